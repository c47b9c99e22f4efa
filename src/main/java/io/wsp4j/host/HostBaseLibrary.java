package io.wsp4j.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host's base provider as a shared library ({@code libwsp4j_host_base.so}, built from
 * src/main/c/wsp4j_host_base.c): the {@code lower_provider} an installer writes for a file catalog,
 * so that the native shim can pass an untargeted process through to the host's base provider, which
 * lives in this JVM. {@link #bind} points the library's WSPStartup at a host's base provider.
 */
public final class HostBaseLibrary {
    static final String BIND = "wsp4j_host_base_bind";

    private HostBaseLibrary() {}

    /**
     * Binds the library at {@code library} to {@code host}'s base provider, if it is that library (it
     * exports {@code wsp4j_host_base_bind}); true when it did. Any other library (a real lower
     * provider of one's own) is left alone. The last host bound serves, as with {@link Host#install()}.
     */
    public static boolean bind(Host host, Path library) {
        return bindTo(library, host.baseProvider().startupSymbol());
    }

    /** Unbinds: the library's WSPStartup fails with WSAEPROVIDERFAILEDINIT again, as a missing provider would. */
    public static void unbind(Path library) {
        bindTo(library, MemorySegment.NULL);
    }

    private static boolean bindTo(Path library, MemorySegment startup) {
        if (!Files.isRegularFile(library)) return false;
        Optional<MemorySegment> bind = SymbolLookup.libraryLookup(library, Arena.global()).find(BIND);
        if (bind.isEmpty()) return false;
        MethodHandle h = Linker.nativeLinker().downcallHandle(bind.get(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        try {
            h.invokeExact(startup);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot bind " + library + ": " + t, t);
        }
        return true;
    }
}
