package io.wsp4j.provider.windows;

import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.NativeCallException;
import io.wsp4j.core.windows.IocpCompletionPort;
import io.wsp4j.core.windows.Kernel32;
import io.wsp4j.provider.LastErrorCapture;
import io.wsp4j.provider.ProviderPlatform;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The provider on Windows: ws2_32.dll for the catalog, kernel32 for environment expansion, provider
 * DLLs loaded for the life of the process, an I/O completion port for the event core. Windows only:
 * constructing it elsewhere fails with {@link UnsupportedOperationException}.
 */
public final class WindowsPlatform implements ProviderPlatform {
    /** A first guess at an expanded path's length in UTF-16 units (MAX_PATH); longer ones take a second call. */
    private static final int FIRST_GUESS = 260;

    public WindowsPlatform() {
        Kernel32.requireWindows("WindowsPlatform");
    }

    @Override
    public SymbolLookup ws2() {
        return Ws2.LOOKUP;
    }

    /** ws2_32 is loaded once, for the process lifetime, as Windows keeps it loaded for any Winsock user anyway. */
    private static final class Ws2 {
        static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup("ws2_32", Arena.global());
    }

    /**
     * ExpandEnvironmentStringsW returns the size the result needs, in characters including the NUL,
     * and writes only when the buffer holds that many; 0 means failure. A variable that changes between
     * two calls can make the second one ask for more again, hence the loop.
     */
    @Override
    public String expandEnvironment(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocateFrom(path, StandardCharsets.UTF_16LE);
            int capacity = Math.max(FIRST_GUESS, path.length() + 1);
            while (true) {
                MemorySegment target = arena.allocate(ValueLayout.JAVA_CHAR, capacity);
                int needed = Kernel32.expandEnvironmentStringsW(source, target, capacity);
                if (needed == 0) throw new NativeCallException("ExpandEnvironmentStringsW", Kernel32.lastError(), path);
                if (needed <= capacity) return target.getString(0, StandardCharsets.UTF_16LE);
                capacity = needed;
            }
        }
    }

    /** LoadLibrary through the FFM API; the global arena keeps the DLL loaded, as a Winsock provider must stay. */
    @Override
    public SymbolLookup loadProvider(String path) {
        return SymbolLookup.libraryLookup(Path.of(path), Arena.global());
    }

    @Override
    public CompletionPort openCompletionPort() {
        return new IocpCompletionPort();
    }

    /** The linker's own capture, {@code captureCallState("WSAGetLastError")}. */
    @Override
    public Optional<LastErrorCapture> lastErrorCapture() {
        return Optional.of(new WsaLastErrorCapture());
    }
}
