package io.wsp4j.provider;

import io.wsp4j.bindings.LPFN_ACCEPTEX;
import io.wsp4j.bindings.LPFN_CONNECTEX;
import io.wsp4j.bindings.LPFN_DISCONNECTEX;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The extension functions we hand out when an application asks for one with
 * SIO_GET_EXTENSION_FUNCTION_POINTER on our handle: the lower provider's would get our (non-IFS)
 * handles and fail, so AcceptEx, ConnectEx and DisconnectEx are ours ({@link LayeredSpi#acceptEx} …),
 * translating handles and completing the caller's OVERLAPPED as our other overlapped calls do.
 * Each is an upcall stub bound as the WSPPROC_TABLE's entries are: behind the {@link Reentry} guard,
 * and catching everything — a Throwable becomes FALSE with last error WSAENETDOWN, logged once per
 * function. As the table's ({@link ProcTable}), the stubs are made once for the JVM's life (global
 * memory, which the application may keep the pointers to as long as it likes, and which the JVM never
 * frees) and call the functions of the provider started now.
 */
final class ExtensionStubs {
    private static final Map<ExtensionFunction, FunctionDescriptor> OURS = Map.of(
            ExtensionFunction.ACCEPT_EX, LPFN_ACCEPTEX.descriptor(),
            ExtensionFunction.CONNECT_EX, LPFN_CONNECTEX.descriptor(),
            ExtensionFunction.DISCONNECT_EX, LPFN_DISCONNECTEX.descriptor());
    private static final MethodHandle FAILED;
    private static final MethodHandle HOOKED;
    private static final MethodHandle NESTED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FAILED = l.findStatic(ExtensionStubs.class, "failed", MethodType.methodType(int.class, ExtensionFunction.class, Throwable.class));
            HOOKED = l.findStatic(ExtensionStubs.class, "hooked", MethodType.methodType(LayeredSpi.class));
            NESTED = l.findStatic(ExtensionStubs.class, "nested", MethodType.methodType(LayeredSpi.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The functions the stubs call now: the provider started last. */
    private record Target(ExtensionStubs stubs, LayeredSpi hooked, LayeredSpi nested) {}

    private static volatile Target target;
    /** The stubs, made at the first start whose platform has a last error (guarded by the class). */
    private static Map<ExtensionFunction, MemorySegment> made;

    private final LastError lastError;
    private final Map<ExtensionFunction, AtomicBoolean> logged = new EnumMap<>(ExtensionFunction.class);

    /** @param lastError ws2_32's last error; null if it cannot be had (then none is handed out). */
    ExtensionStubs(LastError lastError) {
        this.lastError = lastError;
        for (ExtensionFunction f : OURS.keySet()) logged.put(f, new AtomicBoolean());
    }

    /** The stubs call the table's two instances from now on (once per start, when the table is built). */
    void bind(LayeredSpi hooked, LayeredSpi nested) {
        target = new Target(this, hooked, nested);
        if (lastError == null) return;
        synchronized (ExtensionStubs.class) {
            if (made == null) made = makeStubs();
        }
    }

    private static Map<ExtensionFunction, MemorySegment> makeStubs() {
        Map<ExtensionFunction, MemorySegment> stubs = new EnumMap<>(ExtensionFunction.class);
        Linker linker = Linker.nativeLinker();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Map.Entry<ExtensionFunction, FunctionDescriptor> e : OURS.entrySet()) {
            ExtensionFunction f = e.getKey();
            MethodType type = e.getValue().toMethodType();
            MethodHandle entry;
            try {
                entry = lookup.findVirtual(LayeredSpi.class, javaName(f), type);
            } catch (ReflectiveOperationException x) {
                throw new IllegalStateException("LayeredSpi has no " + javaName(f) + type, x);
            }
            MethodHandle guarded = Reentry.guard(MethodHandles.foldArguments(entry, HOOKED), MethodHandles.foldArguments(entry, NESTED));
            MethodHandle failure = MethodHandles.dropArguments(FAILED.bindTo(f), 1, type.parameterList());
            stubs.put(f, linker.upcallStub(MethodHandles.catchException(guarded, Throwable.class, failure), e.getValue(), Arena.global()));
        }
        return stubs;
    }

    private static LayeredSpi hooked() {
        return target.hooked();
    }

    private static LayeredSpi nested() {
        return target.nested();
    }

    /** ACCEPT_EX → acceptEx. */
    static String javaName(ExtensionFunction f) {
        String[] words = f.name().toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        return b.toString();
    }

    /** Our stub for {@code f}, or null if {@code f} is not one we stand in for (or there is no last error to report through). */
    MemorySegment pointer(ExtensionFunction f) {
        if (lastError == null) return null;
        synchronized (ExtensionStubs.class) {
            return made == null ? null : made.get(f);
        }
    }

    LastError lastError() {
        return lastError;
    }

    /** Must not throw: it runs inside an upcall. */
    private static int failed(ExtensionFunction f, Throwable t) {
        ExtensionStubs current = target.stubs();
        try {
            current.lastError.set(t instanceof OutOfMemoryError ? WsaErrors.WSAENOBUFS : WsaErrors.WSAENETDOWN);
        } catch (Throwable ignored) {
            // the last error cannot be set: FALSE alone must do
        }
        try {
            if (current.logged.get(f).compareAndSet(false, true)) {
                ProviderLog.error(f.macro() + " failed inside the layered provider (logged once)", t);
            }
        } catch (Throwable ignored) {
            // logging failed: nothing more we can do safely
        }
        return 0;
    }
}
