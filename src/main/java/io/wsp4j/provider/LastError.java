package io.wsp4j.provider;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The calling thread's Winsock last error, through ws2_32's own {@code WSAGetLastError} and
 * {@code WSASetLastError}. The extension functions are called by the application directly, not
 * through ws2_32: they report failure as FALSE plus this value, as does the lower provider's.
 */
final class LastError {
    private final MethodHandle get;
    private final MethodHandle set;

    private LastError(MethodHandle get, MethodHandle set) {
        this.get = get;
        this.set = set;
    }

    /** ws2_32's pair, if {@code ws2} exports both. */
    static Optional<LastError> of(SymbolLookup ws2) {
        Optional<MemorySegment> get = ws2.find("WSAGetLastError");
        Optional<MemorySegment> set = ws2.find("WSASetLastError");
        if (get.isEmpty() || set.isEmpty()) return Optional.empty();
        Linker linker = Linker.nativeLinker();
        return Optional.of(new LastError(
                linker.downcallHandle(get.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT)),
                linker.downcallHandle(set.get(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT))));
    }

    int get() throws Throwable {
        return (int) get.invokeExact();
    }

    void set(int error) throws Throwable {
        set.invokeExact(error);
    }
}
