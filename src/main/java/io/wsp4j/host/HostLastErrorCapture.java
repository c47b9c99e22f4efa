package io.wsp4j.host;

import io.wsp4j.provider.LastErrorCapture;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The host's twin of Windows' {@code captureCallState("WSAGetLastError")}: the host keeps the thread's
 * last error itself ({@link LastError}), so a capturing downcall reads it as the call returns, before
 * the caller runs anything else, and stores it in the thread's capture state. The linker's own capture
 * knows only {@code errno} on Linux; the provider's code is the same either way.
 */
final class HostLastErrorCapture implements LastErrorCapture {
    private static final MethodHandle RECORD;

    static {
        try {
            RECORD = MethodHandles.lookup().findVirtual(HostLastErrorCapture.class, "record",
                    MethodType.methodType(void.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LastError lastError;
    private final ThreadLocal<MemorySegment> states = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.JAVA_INT));

    HostLastErrorCapture(LastError lastError) {
        this.lastError = lastError;
    }

    /** {@code (state, args...)}: the downcall, then (in a finally) the thread's last error into {@code state}. */
    @Override
    public MethodHandle downcallHandle(MemorySegment function, FunctionDescriptor descriptor) {
        MethodHandle call = MethodHandles.dropArguments(Linker.nativeLinker().downcallHandle(function, descriptor), 0, MemorySegment.class);
        Class<?> returned = call.type().returnType();
        MethodHandle record = RECORD.bindTo(this);
        MethodHandle cleanup;
        if (returned == void.class) {
            cleanup = MethodHandles.dropArguments(record, 0, Throwable.class); // (Throwable, state)void
        } else {
            // (Throwable, result, state) -> result, recording first
            MethodHandle keep = MethodHandles.dropArguments(MethodHandles.identity(returned), 1, MemorySegment.class);
            keep = MethodHandles.dropArguments(keep, 0, Throwable.class);
            cleanup = MethodHandles.foldArguments(keep, 2, record);
        }
        return MethodHandles.tryFinally(call, cleanup);
    }

    @Override
    public MemorySegment state() {
        return states.get();
    }

    @Override
    public int lastError(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, 0);
    }

    private void record(MemorySegment state) {
        state.set(ValueLayout.JAVA_INT, 0, lastError.get());
    }
}
