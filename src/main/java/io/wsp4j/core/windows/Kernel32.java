package io.wsp4j.core.windows;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import io.wsp4j.bindings.WinApi;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The kernel32 calls of the Windows backends. Each is a downcall built from the generated
 * bindings' address and descriptor with {@code captureCallState("GetLastError")} added (the
 * generated handles do not capture it, and the JVM may overwrite it between two calls); the
 * calling thread's captured value is then {@link #lastError()}.
 *
 * <p>Windows only. Loading this class touches no native code; the first call loads kernel32 (the
 * generated {@code WinApi} finds functions among its class loader's libraries). Off Windows every
 * entry point fails with {@link UnsupportedOperationException} through {@link #requireWindows}.
 */
public final class Kernel32 {
    private static final String OS_NAME = System.getProperty("os.name", "");

    private Kernel32() {}

    public static boolean isWindows() {
        return OS_NAME.startsWith("Windows");
    }

    /** Fails clearly when {@code what} is used off Windows. */
    public static void requireWindows(String what) {
        if (!isWindows()) {
            throw new UnsupportedOperationException(what + " is Windows-only (it calls kernel32); this JVM runs on " + OS_NAME);
        }
    }

    /** GetLastError() as captured right after this thread's last call through this class. */
    public static int lastError() {
        return (int) Downcalls.LAST_ERROR.get(Downcalls.CALL_STATE.get(), 0L);
    }

    public static MemorySegment createIoCompletionPort(MemorySegment file, MemorySegment existingPort, long key, int concurrentThreads) {
        try {
            return (MemorySegment) Downcalls.CREATE_IO_COMPLETION_PORT.invokeExact(state(), file, existingPort, key, concurrentThreads);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean getQueuedCompletionStatusEx(MemorySegment port, MemorySegment entries, int count,
                                                      MemorySegment removed, int milliseconds, boolean alertable) {
        try {
            return (int) Downcalls.GET_QUEUED_COMPLETION_STATUS_EX.invokeExact(state(), port, entries, count, removed,
                    milliseconds, alertable ? 1 : 0) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean postQueuedCompletionStatus(MemorySegment port, int bytes, long key, MemorySegment overlapped) {
        try {
            return (int) Downcalls.POST_QUEUED_COMPLETION_STATUS.invokeExact(state(), port, bytes, key, overlapped) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment createEventW(MemorySegment attributes, boolean manualReset, boolean initialState, MemorySegment name) {
        try {
            return (MemorySegment) Downcalls.CREATE_EVENT_W.invokeExact(state(), attributes, manualReset ? 1 : 0,
                    initialState ? 1 : 0, name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean setEvent(MemorySegment event) {
        try {
            return (int) Downcalls.SET_EVENT.invokeExact(state(), event) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean closeHandle(MemorySegment handle) {
        try {
            return (int) Downcalls.CLOSE_HANDLE.invokeExact(state(), handle) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Returns the characters (with the NUL) the expansion needs, 0 on failure; writes only if {@code size} suffices. */
    public static int expandEnvironmentStringsW(MemorySegment source, MemorySegment target, int size) {
        try {
            return (int) Downcalls.EXPAND_ENVIRONMENT_STRINGS_W.invokeExact(state(), source, target, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment state() {
        return Downcalls.CALL_STATE.get();
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    /** Initialized by the first call: kernel32 and the capturing downcalls exist only on Windows. */
    private static final class Downcalls {
        static {
            requireWindows("kernel32");
            System.loadLibrary("kernel32");
        }

        private static final Linker LINKER = Linker.nativeLinker();
        private static final Linker.Option CAPTURE_LAST_ERROR = Linker.Option.captureCallState("GetLastError");
        static final VarHandle LAST_ERROR = Linker.Option.captureStateLayout().varHandle(groupElement("GetLastError"));
        /** One capture buffer per thread, kept for the thread's life: the calls themselves allocate nothing. */
        static final ThreadLocal<MemorySegment> CALL_STATE =
                ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Linker.Option.captureStateLayout()));

        static final MethodHandle CREATE_IO_COMPLETION_PORT =
                capturing(WinApi.CreateIoCompletionPort$address(), WinApi.CreateIoCompletionPort$descriptor());
        static final MethodHandle GET_QUEUED_COMPLETION_STATUS_EX =
                capturing(WinApi.GetQueuedCompletionStatusEx$address(), WinApi.GetQueuedCompletionStatusEx$descriptor());
        static final MethodHandle POST_QUEUED_COMPLETION_STATUS =
                capturing(WinApi.PostQueuedCompletionStatus$address(), WinApi.PostQueuedCompletionStatus$descriptor());
        static final MethodHandle CREATE_EVENT_W = capturing(WinApi.CreateEventW$address(), WinApi.CreateEventW$descriptor());
        static final MethodHandle SET_EVENT = capturing(WinApi.SetEvent$address(), WinApi.SetEvent$descriptor());
        static final MethodHandle CLOSE_HANDLE = capturing(WinApi.CloseHandle$address(), WinApi.CloseHandle$descriptor());
        static final MethodHandle EXPAND_ENVIRONMENT_STRINGS_W =
                capturing(WinApi.ExpandEnvironmentStringsW$address(), WinApi.ExpandEnvironmentStringsW$descriptor());

        private static MethodHandle capturing(MemorySegment address, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(address, descriptor, CAPTURE_LAST_ERROR);
        }
    }
}
