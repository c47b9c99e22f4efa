package io.wsp4j.provider.windows;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import io.wsp4j.core.windows.Kernel32;
import io.wsp4j.provider.LastErrorCapture;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Windows capture of a downcall's Winsock last error: the linker's
 * {@code captureCallState("WSAGetLastError")}, which stores the value right after the native function
 * returns, before the JVM runs anything that could overwrite the thread's last error. Windows only:
 * other linkers know no {@code WSAGetLastError} state, so constructing it elsewhere fails with
 * {@link UnsupportedOperationException} (loading it touches nothing).
 */
final class WsaLastErrorCapture implements LastErrorCapture {
    static final String STATE = "WSAGetLastError";
    /** One capture buffer per thread, kept for the thread's life: the calls themselves allocate nothing. */
    private static final ThreadLocal<MemorySegment> STATES =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Linker.Option.captureStateLayout()));

    WsaLastErrorCapture() {
        Kernel32.requireWindows("WsaLastErrorCapture");
    }

    @Override
    public MethodHandle downcallHandle(MemorySegment function, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(function, descriptor, Linker.Option.captureCallState(STATE));
    }

    @Override
    public MemorySegment state() {
        return STATES.get();
    }

    @Override
    public int lastError(MemorySegment state) {
        return (int) Layout.ERROR.get(state, 0L);
    }

    /** The capture layout names a WSAGetLastError field only on Windows: looked up at first use. */
    private static final class Layout {
        static final VarHandle ERROR = Linker.Option.captureStateLayout().varHandle(groupElement(STATE));
    }
}
