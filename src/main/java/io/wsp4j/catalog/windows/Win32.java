package io.wsp4j.catalog.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.nio.charset.StandardCharsets.UTF_16LE;

import io.wsp4j.catalog.CatalogException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * What the Windows catalog needs beyond the generated bindings (which hold the WSC* calls): the
 * token check and the registry value of advapi32, and GetCurrentProcess and MoveFileExW of kernel32.
 * Signatures only, no structs. Looked up the first time they are used (on Windows); {@link #load()}
 * also loads ws2_32 and kernel32 for the bindings, which find functions through loaded libraries.
 */
final class Win32 {
    static final int ERROR_SUCCESS = 0;
    static final int ERROR_FILE_NOT_FOUND = 2;
    /** MAX_PATH: WSCGetProviderPath's buffer, in WCHARs. */
    static final int MAX_PATH = 260;
    /** HKEY_LOCAL_MACHINE: (HKEY)(ULONG_PTR)(LONG)0x80000002, sign-extended to 64 bits. */
    static final long HKEY_LOCAL_MACHINE = (long) (int) 0x80000002;
    /** HKEY_CURRENT_USER: (HKEY)(ULONG_PTR)(LONG)0x80000001 (tests, which need no elevation there). */
    static final long HKEY_CURRENT_USER = (long) (int) 0x80000001;
    static final int REG_SZ = 1;
    static final int KEY_QUERY_VALUE = 0x0001;
    /** The 64-bit registry view, which the 32-bit shim reads too. */
    static final int KEY_WOW64_64KEY = 0x0100;
    static final int TOKEN_QUERY = 0x0008;
    /** TOKEN_INFORMATION_CLASS.TokenElevation; TOKEN_ELEVATION is one DWORD, TokenIsElevated. */
    static final int TOKEN_ELEVATION_CLASS = 20;
    static final int MOVEFILE_DELAY_UNTIL_REBOOT = 0x4;

    private Win32() {}

    /** Loads the DLLs the bindings call into (idempotent). */
    static void load() {
        Handles.init();
    }

    static final class Handles {
        static {
            System.loadLibrary("ws2_32");
            System.loadLibrary("kernel32");
            System.loadLibrary("advapi32");
        }

        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup LOADED = SymbolLookup.loaderLookup();

        // BOOL OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle)
        static final MethodHandle OPEN_PROCESS_TOKEN = find("OpenProcessToken", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        // BOOL GetTokenInformation(HANDLE, TOKEN_INFORMATION_CLASS, LPVOID, DWORD, PDWORD)
        static final MethodHandle GET_TOKEN_INFORMATION = find("GetTokenInformation", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        // LSTATUS RegSetKeyValueW(HKEY, LPCWSTR lpSubKey, LPCWSTR lpValueName, DWORD dwType, LPCVOID lpData, DWORD cbData)
        static final MethodHandle REG_SET_KEY_VALUE = find("RegSetKeyValueW", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        // LSTATUS RegDeleteKeyValueW(HKEY, LPCWSTR lpSubKey, LPCWSTR lpValueName)
        static final MethodHandle REG_DELETE_KEY_VALUE = find("RegDeleteKeyValueW", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
        // LSTATUS RegOpenKeyExW(HKEY, LPCWSTR lpSubKey, DWORD ulOptions, REGSAM samDesired, PHKEY phkResult)
        static final MethodHandle REG_OPEN_KEY_EX = find("RegOpenKeyExW", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        // LSTATUS RegQueryInfoKeyW(HKEY, LPWSTR lpClass, LPDWORD lpcchClass, LPDWORD lpReserved, LPDWORD lpcSubKeys,
        //     LPDWORD lpcbMaxSubKeyLen, LPDWORD lpcbMaxClassLen, LPDWORD lpcValues, LPDWORD lpcbMaxValueNameLen,
        //     LPDWORD lpcbMaxValueLen, LPDWORD lpcbSecurityDescriptor, PFILETIME lpftLastWriteTime)
        static final MethodHandle REG_QUERY_INFO_KEY = find("RegQueryInfoKeyW", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        // LSTATUS RegCloseKey(HKEY)
        static final MethodHandle REG_CLOSE_KEY = find("RegCloseKey", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // LSTATUS RegDeleteKeyExW(HKEY, LPCWSTR lpSubKey, REGSAM samDesired, DWORD Reserved)
        static final MethodHandle REG_DELETE_KEY_EX = find("RegDeleteKeyExW", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));
        // HANDLE GetCurrentProcess(void)
        static final MethodHandle GET_CURRENT_PROCESS = find("GetCurrentProcess", FunctionDescriptor.of(ADDRESS));
        // BOOL MoveFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, DWORD dwFlags); GetLastError captured
        static final MethodHandle MOVE_FILE_EX = findCapturing("MoveFileExW", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

        static void init() {
            // the static initializer did the work
        }

        private static MethodHandle find(String name, FunctionDescriptor fd) {
            return LINKER.downcallHandle(LOADED.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name + " not found")), fd);
        }

        /** With a leading capture-state parameter ({@link #captureState}): the call's own GetLastError, read with {@link #lastError}. */
        private static MethodHandle findCapturing(String name, FunctionDescriptor fd) {
            return LINKER.downcallHandle(LOADED.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name + " not found")), fd,
                    Linker.Option.captureCallState("GetLastError"));
        }
    }

    /** Room for the GetLastError a capturing call stores (the JVM may overwrite the thread's own before a second call reads it). */
    static MemorySegment captureState(Arena arena) {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    /** The GetLastError a capturing call stored in {@code state}. */
    static int lastError(MemorySegment state) {
        return (int) Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("GetLastError")).get(state, 0L);
    }

    /**
     * A NUL-terminated UTF-16LE copy of {@code s} in {@code arena}: {@code 2 * (s.length() + 1)} bytes,
     * the size RegSetKeyValueW wants for a REG_SZ. An unpaired surrogate becomes U+FFFD (the JDK's
     * encoder), so a name that holds one cannot be passed through.
     */
    static MemorySegment wide(Arena arena, String s) {
        return arena.allocateFrom(s, UTF_16LE);
    }

    /**
     * The NUL-terminated UTF-16LE string at the start of a buffer of {@code capacity} WCHARs that a
     * call filled. No NUL within the buffer means the call did not keep its contract: a failure.
     */
    static String fromWide(MemorySegment buf, int capacity) {
        MemorySegment filled = buf.asSlice(0, capacity * JAVA_CHAR.byteSize());
        try {
            return filled.getString(0, UTF_16LE);
        } catch (IndexOutOfBoundsException noTerminator) {
            throw new CatalogException("a string returned by Windows has no terminating NUL within its "
                    + capacity + "-character buffer", 0, noTerminator);
        }
    }
}
