package io.wsp4j.provider;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * How the layered provider reads the Winsock last error that a downcall left on the thread: taken by
 * the call itself, never by a second call afterwards. Between two downcalls the JVM may overwrite the
 * thread's last error (the {@code Linker.Option.captureCallState} javadoc says so); a lower
 * {@code AcceptEx} whose {@code WSA_IO_PENDING} is lost that way looks failed, and its request's memory
 * would be reused while the lower provider still owns it.
 *
 * <p>On Windows the capture is the linker's own ({@code captureCallState("WSAGetLastError")}); on the
 * Linux SPI host, whose last error lives in the host, the host reads it as the call returns. Either
 * way the provider code is the same: call through {@link #downcallHandle} with {@link #state()} as the
 * first argument, then read {@link #lastError}.
 */
public interface LastErrorCapture {

    /**
     * A downcall handle for {@code function} with {@code descriptor}'s parameters preceded by a
     * {@link MemorySegment}: the capture state ({@link #state()}) the call's last error is stored in.
     */
    MethodHandle downcallHandle(MemorySegment function, FunctionDescriptor descriptor);

    /** The calling thread's capture state: made once per thread, so a call allocates nothing. */
    MemorySegment state();

    /** The last error the call through {@link #downcallHandle} with {@code state} left on this thread. */
    int lastError(MemorySegment state);
}
