package io.wsp4j.provider;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The calling thread's Winsock last error, for the extension functions: the application calls them
 * directly, not through ws2_32, and they report failure as FALSE plus this value, as does the lower
 * provider's. Set with ws2_32's own {@code WSASetLastError}; read only as the platform's
 * {@link LastErrorCapture} took it from the lower call itself.
 */
final class LastError {
    private final MethodHandle set;
    private final LastErrorCapture capture;

    private LastError(MethodHandle set, LastErrorCapture capture) {
        this.set = set;
        this.capture = capture;
    }

    /** The platform's pair, if its ws2 exports {@code WSASetLastError} and it captures last errors. */
    static Optional<LastError> of(ProviderPlatform platform) {
        Optional<MemorySegment> set = platform.ws2().find("WSASetLastError");
        Optional<LastErrorCapture> capture = platform.lastErrorCapture();
        if (set.isEmpty() || capture.isEmpty()) return Optional.empty();
        return Optional.of(new LastError(
                Linker.nativeLinker().downcallHandle(set.get(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)),
                capture.get()));
    }

    /** A lower function as a downcall whose first argument is {@link #state()}: see {@link LastErrorCapture}. */
    MethodHandle capturing(MemorySegment function, FunctionDescriptor descriptor) {
        return capture.downcallHandle(function, descriptor);
    }

    /** This thread's capture state, to pass as the first argument of a {@link #capturing} handle. */
    MemorySegment state() {
        return capture.state();
    }

    /** The last error the capturing call with {@code state} left. */
    int captured(MemorySegment state) {
        return capture.lastError(state);
    }

    void set(int error) throws Throwable {
        set.invokeExact(error);
    }
}
