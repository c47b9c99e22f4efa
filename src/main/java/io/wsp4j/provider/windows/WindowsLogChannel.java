package io.wsp4j.provider.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.nio.charset.StandardCharsets.UTF_16LE;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.core.windows.Kernel32;
import io.wsp4j.provider.LogChannel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@link io.wsp4j.provider.ProviderLog}'s channel on Windows: the shim configuration is found as the
 * shim finds it ({@code WSP4J_SHIM_CONFIG}, else the REG_SZ value {@code HKLM\SOFTWARE\wsp4j ConfigPath},
 * read with RegGetValueW, which also expands a REG_EXPAND_SZ), and lines without a log file go to
 * {@code OutputDebugStringW} (a debugger or DebugView shows them; Unicode, so nothing is lost to a code
 * page). Windows only: constructing it elsewhere fails with {@link UnsupportedOperationException}.
 */
public final class WindowsLogChannel implements LogChannel {
    /** HKEY_LOCAL_MACHINE: (HKEY)(ULONG_PTR)(LONG)0x80000002, sign-extended to 64 bits. */
    static final long HKEY_LOCAL_MACHINE = (long) (int) 0x80000002;
    /** HKEY_CURRENT_USER: (HKEY)(ULONG_PTR)(LONG)0x80000001 (tests, which need no elevation there). */
    static final long HKEY_CURRENT_USER = (long) (int) 0x80000001;
    static final String VALUE = "ConfigPath";

    private final long root;
    private final String key;

    /** The shim's registry value: {@code HKLM\SOFTWARE\wsp4j ConfigPath}. */
    public WindowsLogChannel() {
        this(HKEY_LOCAL_MACHINE, "SOFTWARE\\wsp4j");
    }

    WindowsLogChannel(long root, String key) {
        Kernel32.requireWindows("WindowsLogChannel");
        Libraries.load();
        this.root = root;
        this.key = key;
    }

    @Override
    public Optional<Path> shimConfig() {
        Optional<Path> named = LogChannel.fromEnvironment();
        if (named.isPresent()) return named;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment subKey = arena.allocateFrom(key, UTF_16LE);
            MemorySegment value = arena.allocateFrom(VALUE, UTF_16LE);
            MemorySegment size = arena.allocate(JAVA_INT);
            // The size in bytes first (the terminating NUL included), then the value; a value that grew in
            // between asks for more again.
            for (int attempt = 0; attempt < 3; attempt++) {
                int rc = WinApi.RegGetValueW(MemorySegment.ofAddress(root), subKey, value, WinApi.RRF_RT_REG_SZ(),
                        MemorySegment.NULL, MemorySegment.NULL, size);
                if (rc != WinApi.ERROR_SUCCESS()) return Optional.empty(); // no key or value: no configuration
                MemorySegment data = arena.allocate(Integer.toUnsignedLong(size.get(JAVA_INT, 0)) + 2);
                size.set(JAVA_INT, 0, (int) data.byteSize());
                rc = WinApi.RegGetValueW(MemorySegment.ofAddress(root), subKey, value, WinApi.RRF_RT_REG_SZ(),
                        MemorySegment.NULL, data, size);
                if (rc == WinApi.ERROR_MORE_DATA()) continue;
                if (rc != WinApi.ERROR_SUCCESS()) return Optional.empty();
                return Optional.of(Path.of(data.getString(0, UTF_16LE)));
            }
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * CreateFileW with FILE_APPEND_DATA alone (the shim opens the log the same way): the log's ACL gives
     * ordinary users append rights without write rights, and every WriteFile lands whole at the end of
     * the file, whichever process writes. OPEN_ALWAYS creates a missing file where the folder allows it.
     */
    @Override
    public boolean append(Path file, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = WinApi.CreateFileW(arena.allocateFrom(file.toString(), UTF_16LE), WinApi.FILE_APPEND_DATA(),
                    WinApi.FILE_SHARE_READ() | WinApi.FILE_SHARE_WRITE() | WinApi.FILE_SHARE_DELETE(), MemorySegment.NULL,
                    WinApi.OPEN_ALWAYS(), WinApi.FILE_ATTRIBUTE_NORMAL(), MemorySegment.NULL);
            if (handle.address() == WinApi.INVALID_HANDLE_VALUE().address()) return false;
            try {
                MemorySegment data = arena.allocate(bytes.length);
                data.copyFrom(MemorySegment.ofArray(bytes));
                MemorySegment written = arena.allocate(JAVA_INT);
                return WinApi.WriteFile(handle, data, bytes.length, written, MemorySegment.NULL) != 0
                        && written.get(JAVA_INT, 0) == bytes.length;
            } finally {
                WinApi.CloseHandle(handle);
            }
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public boolean debugOutput(String text) {
        try (Arena arena = Arena.ofConfined()) {
            WinApi.OutputDebugStringW(arena.allocateFrom(text, UTF_16LE));
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /** advapi32 (the registry) and kernel32, for the bindings' lookup in the loaded libraries. */
    private static final class Libraries {
        static {
            System.loadLibrary("kernel32");
            System.loadLibrary("advapi32");
        }

        static void load() {
            // the static initializer did the work
        }
    }
}
