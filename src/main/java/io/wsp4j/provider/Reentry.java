package io.wsp4j.provider;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The re-entry guard of our table. ws2_32 routes every Winsock call of the process through the LSP,
 * including those an author's hook makes (a remote log in onConnect, a JDK library opening a socket):
 * without a guard they would run the hooks again, and a hook that reacts to its own traffic would
 * recurse without end. So a thread that is already inside one of our entries calls straight down:
 * a nested call takes the {@link LayeredSpi#nested() hookless table}, which still maps our handles
 * and keeps the event bridge informed, but runs no hook.
 *
 * <p>The flag is a field of the thread's {@link Scratch}: an outermost call costs two thread-local
 * reads (enter, exit), a nested one a single read. Only the outermost call sets and clears it, so
 * no depth count is needed.
 */
final class Reentry {
    private static final MethodHandle ENTER;
    private static final MethodHandle EXIT_INT;
    private static final MethodHandle EXIT_SOCKET;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ENTER = l.findStatic(Reentry.class, "enter", MethodType.methodType(boolean.class));
            EXIT_INT = l.findStatic(Reentry.class, "exit", MethodType.methodType(int.class, Throwable.class, int.class));
            EXIT_SOCKET = l.findStatic(Reentry.class, "exit", MethodType.methodType(long.class, Throwable.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Reentry() {}

    /**
     * One entry of the table: {@code hooked} for a thread's outermost call (flagged while it runs,
     * hooks included), {@code direct} for a call the same thread makes while inside. Both have the
     * entry's type, which returns int or long (SOCKET).
     */
    static MethodHandle guard(MethodHandle hooked, MethodHandle direct) {
        MethodType type = hooked.type();
        MethodHandle exit = type.returnType() == long.class ? EXIT_SOCKET : EXIT_INT;
        MethodHandle outermost = MethodHandles.tryFinally(hooked, exit);
        MethodHandle test = MethodHandles.dropArguments(ENTER, 0, type.parameterList());
        return MethodHandles.guardWithTest(test, outermost, direct);
    }

    /**
     * Marks this thread inside (one of our entries, or the first WSPStartup creating the provider);
     * false, and nothing changed, if it already was: the call is nested.
     */
    static boolean enter() {
        Scratch x = Scratch.get();
        if (x.insideEntry) return false;
        x.insideEntry = true;
        return true;
    }

    /** Ends the outermost call. */
    static void exit() {
        Scratch.get().insideEntry = false;
    }

    private static int exit(Throwable thrown, int result) {
        exit();
        return result;
    }

    private static long exit(Throwable thrown, long result) {
        exit();
        return result;
    }
}
