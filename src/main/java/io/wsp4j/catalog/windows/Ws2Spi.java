package io.wsp4j.catalog.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles for the WSC* functions of ws2_32.dll (ws2spi.h), the token check of advapi32 and
 * kernel32, the registry value of advapi32 and MoveFileExW. Windows x64 only; looked up the first
 * time a Windows catalog is used (the class loads anywhere, the libraries only on Windows).
 * The *32 functions exist only in the 64-bit ws2_32 and address the 32-bit (WOW64) catalog.
 */
final class Ws2Spi {
    static final int SOCKET_ERROR = -1;
    static final int WSAENOBUFS = 10055;
    static final int MAX_PATH = 260;
    static final int ERROR_SUCCESS = 0;
    static final int ERROR_FILE_NOT_FOUND = 2;

    /** HKEY_LOCAL_MACHINE: (HKEY)(ULONG_PTR)(LONG)0x80000002, sign-extended to 64 bits. */
    static final long HKEY_LOCAL_MACHINE = (long) (int) 0x80000002;
    static final int REG_SZ = 1;
    static final int TOKEN_QUERY = 0x0008;
    /** TOKEN_INFORMATION_CLASS.TokenElevation; the TOKEN_ELEVATION struct is one DWORD. */
    static final int TOKEN_ELEVATION_CLASS = 20;
    static final int MOVEFILE_DELAY_UNTIL_REBOOT = 0x4;

    private Ws2Spi() {}

    /** Handles, created when first used (on Windows). */
    static final class Handles {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup WS2 = SymbolLookup.libraryLookup("ws2_32", Arena.global());
        private static final SymbolLookup ADVAPI = SymbolLookup.libraryLookup("advapi32", Arena.global());
        private static final SymbolLookup KERNEL = SymbolLookup.libraryLookup("kernel32", Arena.global());

        // int WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength, LPINT lpErrno)
        static final MethodHandle WSC_ENUM_PROTOCOLS = ws2("WSCEnumProtocols", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle WSC_ENUM_PROTOCOLS32 = ws2("WSCEnumProtocols32", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        // int WSCGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen, LPINT lpErrno)
        static final MethodHandle WSC_GET_PROVIDER_PATH = ws2("WSCGetProviderPath", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle WSC_GET_PROVIDER_PATH32 = ws2("WSCGetProviderPath32", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        // int WSCInstallProvider(LPGUID, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW, DWORD dwNumberOfEntries, LPINT lpErrno)
        static final MethodHandle WSC_INSTALL_PROVIDER = ws2("WSCInstallProvider", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        static final MethodHandle WSC_INSTALL_PROVIDER64_32 = ws2("WSCInstallProvider64_32", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        // int WSCUpdateProvider(LPGUID, const WCHAR *, const LPWSAPROTOCOL_INFOW, DWORD, LPINT)
        static final MethodHandle WSC_UPDATE_PROVIDER = ws2("WSCUpdateProvider", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        static final MethodHandle WSC_UPDATE_PROVIDER32 = ws2("WSCUpdateProvider32", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        // int WSCDeinstallProvider(LPGUID lpProviderId, LPINT lpErrno)
        static final MethodHandle WSC_DEINSTALL_PROVIDER = ws2("WSCDeinstallProvider", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle WSC_DEINSTALL_PROVIDER32 = ws2("WSCDeinstallProvider32", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        // int WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries): returns the error code itself
        static final MethodHandle WSC_WRITE_PROVIDER_ORDER = ws2("WSCWriteProviderOrder", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle WSC_WRITE_PROVIDER_ORDER32 = ws2("WSCWriteProviderOrder32", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

        // BOOL OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle)
        static final MethodHandle OPEN_PROCESS_TOKEN = find(ADVAPI, "OpenProcessToken", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        // BOOL GetTokenInformation(HANDLE, TOKEN_INFORMATION_CLASS, LPVOID, DWORD, PDWORD)
        static final MethodHandle GET_TOKEN_INFORMATION = find(ADVAPI, "GetTokenInformation", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        // LSTATUS RegSetKeyValueW(HKEY, LPCWSTR lpSubKey, LPCWSTR lpValueName, DWORD dwType, LPCVOID lpData, DWORD cbData)
        static final MethodHandle REG_SET_KEY_VALUE = find(ADVAPI, "RegSetKeyValueW", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        // LSTATUS RegDeleteKeyValueW(HKEY, LPCWSTR lpSubKey, LPCWSTR lpValueName)
        static final MethodHandle REG_DELETE_KEY_VALUE = find(ADVAPI, "RegDeleteKeyValueW", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
        // HANDLE GetCurrentProcess(void); BOOL CloseHandle(HANDLE)
        static final MethodHandle GET_CURRENT_PROCESS = find(KERNEL, "GetCurrentProcess", FunctionDescriptor.of(ADDRESS));
        static final MethodHandle CLOSE_HANDLE = find(KERNEL, "CloseHandle", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // BOOL MoveFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, DWORD dwFlags)
        static final MethodHandle MOVE_FILE_EX = find(KERNEL, "MoveFileExW", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

        private static MethodHandle ws2(String name, FunctionDescriptor fd) {
            return find(WS2, name, fd);
        }

        private static MethodHandle find(SymbolLookup lib, String name, FunctionDescriptor fd) {
            MemorySegment fn = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name + " not found"));
            return LINKER.downcallHandle(fn, fd);
        }
    }

    /** A NUL-terminated UTF-16LE copy of {@code s} in {@code arena}. */
    static MemorySegment wide(Arena arena, String s) {
        MemorySegment m = arena.allocate((s.length() + 1) * 2L, 2);
        for (int i = 0; i < s.length(); i++) m.setAtIndex(java.lang.foreign.ValueLayout.JAVA_CHAR, i, s.charAt(i));
        return m;
    }
}
