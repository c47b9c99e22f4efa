package io.wsp4j.catalog.windows;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.winsock.Bitness;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * The WSC* functions of one catalog, one table per bitness: ws2_32 exports each of them twice, plainly
 * for the 64-bit catalog and with a "32" suffix for the 32-bit one. Installing is the exception: since
 * Vista there is no call that installs into the 32-bit catalog alone (WSCInstallProvider64_32 is gone;
 * WSCInstallProviderAndChains64_32 installs into both), so the 32-bit table has none. A WindowsCatalog
 * operation picks its table once with {@link #of} and calls through it, never choosing per call; the
 * bindings find the functions when first called (Windows).
 */
record WscFunctions(
        String suffix,
        EnumProtocols enumProtocols,
        GetProviderPath getProviderPath,
        Optional<ProviderEntries> installProvider,
        ProviderEntries updateProvider,
        DeinstallProvider deinstallProvider,
        WriteProviderOrder writeProviderOrder,
        GetProviderInfo getProviderInfo,
        SetProviderInfo setProviderInfo) {

    static final WscFunctions X64 = new WscFunctions("",
            WinApi::WSCEnumProtocols, WinApi::WSCGetProviderPath, Optional.of(WinApi::WSCInstallProvider),
            WinApi::WSCUpdateProvider, WinApi::WSCDeinstallProvider, WinApi::WSCWriteProviderOrder,
            WinApi::WSCGetProviderInfo, WinApi::WSCSetProviderInfo);
    static final WscFunctions X86 = new WscFunctions("32",
            WinApi::WSCEnumProtocols32, WinApi::WSCGetProviderPath32, Optional.empty(),
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

    /**
     * int WSCInstallProvider / WSCUpdateProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
     * const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno): a provider's
     * entries under its DLL.
     */
    @FunctionalInterface
    interface ProviderEntries {
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
