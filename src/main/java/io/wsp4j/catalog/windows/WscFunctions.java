package io.wsp4j.catalog.windows;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.catalog.Bitness;
import java.lang.foreign.MemorySegment;

/**
 * The WSC* functions of one catalog. ws2_32 exports each of them twice, plainly for the 64-bit
 * catalog and with a "32" suffix for the 32-bit one; installing is the exception (no 32-bit-only
 * install: see WindowsCatalog). Chosen once per call by {@link #of}; the bindings find the functions
 * when first called (Windows).
 */
record WscFunctions(
        String suffix,
        EnumProtocols enumProtocols,
        GetProviderPath getProviderPath,
        UpdateProvider updateProvider,
        DeinstallProvider deinstallProvider,
        WriteProviderOrder writeProviderOrder,
        GetProviderInfo getProviderInfo,
        SetProviderInfo setProviderInfo) {

    static final WscFunctions X64 = new WscFunctions("",
            WinApi::WSCEnumProtocols, WinApi::WSCGetProviderPath,
            WinApi::WSCUpdateProvider, WinApi::WSCDeinstallProvider, WinApi::WSCWriteProviderOrder,
            WinApi::WSCGetProviderInfo, WinApi::WSCSetProviderInfo);
    static final WscFunctions X86 = new WscFunctions("32",
            WinApi::WSCEnumProtocols32, WinApi::WSCGetProviderPath32,
            WinApi::WSCUpdateProvider32, WinApi::WSCDeinstallProvider32, WinApi::WSCWriteProviderOrder32,
            WinApi::WSCGetProviderInfo32, WinApi::WSCSetProviderInfo32);

    static WscFunctions of(Bitness b) {
        return switch (b) {
            case X64 -> X64;
            case X86 -> X86;
        };
    }

    /** The exported name of {@code function} (its 64-bit name) in this catalog, for messages. */
    String name(String function) {
        return function + suffix;
    }

    /** int WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength, LPINT lpErrno) */
    @FunctionalInterface
    interface EnumProtocols {
        int call(MemorySegment protocols, MemorySegment buffer, MemorySegment bufferLength, MemorySegment errno);
    }

    /** int WSCGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen, LPINT lpErrno) */
    @FunctionalInterface
    interface GetProviderPath {
        int call(MemorySegment providerId, MemorySegment path, MemorySegment pathLength, MemorySegment errno);
    }

    /** int WSCUpdateProvider(LPGUID, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW, DWORD dwNumberOfEntries, LPINT lpErrno) */
    @FunctionalInterface
    interface UpdateProvider {
        int call(MemorySegment providerId, MemorySegment path, MemorySegment infos, int count, MemorySegment errno);
    }

    /** int WSCDeinstallProvider(LPGUID lpProviderId, LPINT lpErrno) */
    @FunctionalInterface
    interface DeinstallProvider {
        int call(MemorySegment providerId, MemorySegment errno);
    }

    /** int WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries): the error code itself. */
    @FunctionalInterface
    interface WriteProviderOrder {
        int call(MemorySegment catalogEntryIds, int count);
    }

    /** int WSCGetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t *InfoSize, DWORD Flags, LPINT lpErrno) */
    @FunctionalInterface
    interface GetProviderInfo {
        int call(MemorySegment providerId, int infoType, MemorySegment info, MemorySegment infoSize, int flags, MemorySegment errno);
    }

    /** int WSCSetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t InfoSize, DWORD Flags, LPINT lpErrno) */
    @FunctionalInterface
    interface SetProviderInfo {
        int call(MemorySegment providerId, int infoType, MemorySegment info, long infoSize, int flags, MemorySegment errno);
    }
}
