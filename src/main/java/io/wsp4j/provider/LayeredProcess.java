package io.wsp4j.provider;

import io.wsp4j.bindings.LPWSPSTARTUP;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.select.SelectEngine;
import io.wsp4j.winsock.WsaError;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The layered provider as it lives in one process between the first WSPStartup and the last
 * WSPCleanup: the author's provider, our table, the socket table, the event bridge, and the lower
 * providers of the chains ws2_32 started us for.
 */
final class LayeredProcess {
    /** WSPStartup's version: 2.2 (MAKEWORD(2, 2)). */
    static final short VERSION_2_2 = 0x0202;
    /** Names our hidden layered catalog entry: with it our entries are found in any chain, also below another LSP (else the first layered entry of the chain is ours). */
    static final String GUID_PROPERTY = "wsp4j.provider.guid";

    final LayeredProvider provider;
    final SocketContexts sockets = new SocketContexts();
    final Lowers lowers = new Lowers();
    final AsyncSelectBridge bridge;
    final OverlappedRequests overlapped;
    final Upcalls upcalls;
    final ProcTable procTable;
    private final ProviderPlatform platform;
    private final java.util.Map<UUID, LowerProvider> startedByGuid = new java.util.HashMap<>();

    LayeredProcess(ProviderPlatform platform, LayeredProvider provider, MemorySegment upcallTable, LayeredSpi.Cleanup cleanup) {
        this.platform = platform;
        this.provider = provider;
        this.upcalls = new Upcalls(upcallTable);
        this.bridge = new AsyncSelectBridge(platform.openCompletionPort(), sockets, new LayeredSpi.LowerEventCalls(), new SelectEngine(upcalls, platform.selectRules()));
        this.overlapped = new OverlappedRequests(platform, upcalls);
        ExtensionStubs extensions = new ExtensionStubs(LastError.of(platform).orElse(null));
        this.procTable = new ProcTable(new LayeredSpi(provider, sockets, bridge, upcalls, overlapped, extensions, lowers, cleanup));
        bridge.start();
    }

    /**
     * WSPStartup for the chain entry {@code protocolInfo}. ws2_32 starts a provider once per GUID, and
     * our chains (TCP/IPv4, UDP/IPv6 …) share one, so the first start attaches every chain of ours
     * in the catalog (and every chain of an LSP layered over ours): each gets the provider below it,
     * started once per lower provider. A load for our hidden layered entry itself (ChainLen =
     * LAYERED_PROTOCOL) needs nothing below.
     */
    void attach(MemorySegment protocolInfo) {
        int chainLength = ProviderCatalog.chainLength(protocolInfo);
        if (chainLength == WinApi.LAYERED_PROTOCOL()) return;
        int chainEntryId = WSAPROTOCOL_INFOW.dwCatalogEntryId(protocolInfo);
        if (lowers.forChainEntry(chainEntryId) != null) return;
        if (chainLength <= WinApi.BASE_PROTOCOL()) {
            throw new ProviderStartupException(WsaErrors.WSAEINVALIDPROVIDER, "catalog entry " + chainEntryId + " is not a layered chain (ChainLen " + chainLength + ")");
        }
        ProviderCatalog catalog = new ProviderCatalog(platform.ws2());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entries = catalog.entries(arena);
            Set<Integer> ours = ourIds(protocolInfo, entries);
            attach(catalog, entries, protocolInfo, ours, arena); // the one asked for: its failure is WSPStartup's
            long n = entries.byteSize() / WSAPROTOCOL_INFOW.sizeof();
            for (long i = 0; i < n; i++) {
                MemorySegment e = entries.asSlice(i * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
                if (indexIn(e, ours) < 0 || lowers.forChainEntry(WSAPROTOCOL_INFOW.dwCatalogEntryId(e)) != null) continue;
                try {
                    attach(catalog, entries, e, ours, arena);
                } catch (ProviderStartupException x) { // another chain's trouble: its sockets will fail, not this startup
                    ProviderLog.warning("chain entry " + WSAPROTOCOL_INFOW.dwCatalogEntryId(e) + " not attached: " + x.getMessage());
                }
            }
        }
    }

    /** Index of the first of {@code ids} in the chain of {@code info} before its last entry, or -1. */
    private static int indexIn(MemorySegment info, Set<Integer> ids) {
        int length = ProviderCatalog.chainLength(info);
        for (int i = 0; i < length - 1; i++) if (ids.contains(ProviderCatalog.chainEntry(info, i))) return i;
        return -1;
    }

    private void attach(ProviderCatalog catalog, MemorySegment entries, MemorySegment chain, Set<Integer> ourIds, Arena arena) {
        int chainEntryId = WSAPROTOCOL_INFOW.dwCatalogEntryId(chain);
        int ours = indexIn(chain, ourIds);
        int chainLength = ProviderCatalog.chainLength(chain);
        int nextId = ProviderCatalog.chainEntry(chain, ours + 1);
        MemorySegment next = ProviderCatalog.find(entries, nextId);
        if (next == null) {
            throw new ProviderStartupException(WsaErrors.WSAEINVALIDPROVIDER, "the chain of entry " + chainEntryId + " names catalog id " + nextId + ", which the catalog does not have");
        }
        // As Microsoft's sample does: the next provider's WSPSocket gets its own catalog entry; its
        // WSPStartup gets that too when it is a base provider, and the caller's protocol info when it is
        // layered, whose chain it finds its own place in (the sample LSP looks from ChainEntries[1] on).
        MemorySegment lowerInfo = Arena.global().allocate(WSAPROTOCOL_INFOW.layout());
        lowerInfo.copyFrom(next);
        MemorySegment startupInfo = lowerInfo;
        if (ours + 1 < chainLength - 1) {
            startupInfo = Arena.global().allocate(WSAPROTOCOL_INFOW.layout());
            startupInfo.copyFrom(chain);
        }
        UUID lowerGuid = ProviderCatalog.uuid(WSAPROTOCOL_INFOW.ProviderId(next));
        LowerProvider started = startedByGuid.get(lowerGuid);
        if (started != null) {
            lowers.add(started.forChain(chainEntryId, lowerInfo));
            return;
        }
        String path = platform.expandEnvironment(catalog.providerPath(WSAPROTOCOL_INFOW.ProviderId(next)));
        SymbolLookup library = platform.loadProvider(path);
        MemorySegment startup = library.find("WSPStartup").orElseThrow(() ->
                new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT, path + " exports no WSPStartup"));
        MemorySegment data = arena.allocate(WSPData.layout());
        MemorySegment lowerTable = Arena.global().allocate(WSPPROC_TABLE.layout());
        int rc = LPWSPSTARTUP.invoke(startup, VERSION_2_2, data, startupInfo, upcalls.table(), lowerTable);
        if (rc != 0) {
            throw new ProviderStartupException(rc, "the lower provider " + path + " (catalog id " + nextId + ") failed WSPStartup: " + WsaError.describe(rc));
        }
        LowerProvider lower = new LowerProvider(chainEntryId, lowerInfo, lowerTable);
        startedByGuid.put(lowerGuid, lower);
        lowers.add(lower);
        ProviderLog.debug("chain entry " + chainEntryId + " layered over " + path);
    }

    /**
     * Every catalog id of ours: our hidden layered entry's and our chain entries' (the chains whose
     * first id is the hidden entry's). Our hidden entry is the one with our GUID, if configured; else
     * the first layered entry of {@code protocolInfo}'s chain (we are the top of a chain ws2_32
     * started). An LSP installed over ours by Microsoft's installer names our chain entry in its
     * chain, not our hidden entry, so our place in a chain is where any of these ids is.
     */
    private static Set<Integer> ourIds(MemorySegment protocolInfo, MemorySegment entries) {
        String configured = System.getProperty(GUID_PROPERTY);
        UUID guid = configured == null || configured.isBlank() ? null : UUID.fromString(configured.strip().replace("{", "").replace("}", ""));
        Integer hidden = null;
        long n = entries.byteSize() / WSAPROTOCOL_INFOW.sizeof();
        if (guid != null) {
            for (long i = 0; i < n && hidden == null; i++) {
                MemorySegment e = entries.asSlice(i * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
                if (ProviderCatalog.chainLength(e) == WinApi.LAYERED_PROTOCOL() && guid.equals(ProviderCatalog.uuid(WSAPROTOCOL_INFOW.ProviderId(e)))) {
                    hidden = WSAPROTOCOL_INFOW.dwCatalogEntryId(e);
                }
            }
        } else {
            int length = ProviderCatalog.chainLength(protocolInfo);
            for (int i = 0; i < length - 1 && hidden == null; i++) {
                MemorySegment e = ProviderCatalog.find(entries, ProviderCatalog.chainEntry(protocolInfo, i));
                if (e != null && ProviderCatalog.chainLength(e) == WinApi.LAYERED_PROTOCOL()) hidden = WSAPROTOCOL_INFOW.dwCatalogEntryId(e);
            }
        }
        Set<Integer> ids = new HashSet<>();
        if (hidden != null) {
            ids.add(hidden);
            for (long i = 0; i < n; i++) {
                MemorySegment e = entries.asSlice(i * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
                if (ProviderCatalog.chainLength(e) > WinApi.BASE_PROTOCOL() && ProviderCatalog.chainEntry(e, 0) == hidden) {
                    ids.add(WSAPROTOCOL_INFOW.dwCatalogEntryId(e));
                }
            }
        }
        if (hidden == null || indexIn(protocolInfo, ids) < 0) {
            throw new ProviderStartupException(WsaErrors.WSAEINVALIDPROVIDER, "no entry of ours in the chain of catalog entry "
                    + WSAPROTOCOL_INFOW.dwCatalogEntryId(protocolInfo) + (guid == null ? "" : " (GUID " + guid + ")"));
        }
        return ids;
    }

    /** The last WSPCleanup: sockets still open are closed below, the lower providers cleaned up once each. */
    int shutdown(MemorySegment lpErrno) throws Throwable {
        for (LayeredSocket s : sockets.snapshot()) {
            bridge.closing(s);
            int ignored = (int) s.below.closeSocket.invokeExact(s.lowerHandle(), Scratch.get().errno);
            overlapped.closed(s);
            sockets.remove(s.handle());
            bridge.closed(s);
            if (s.hooked) provider.onClose(s);
            ignored = upcalls.closeSocketHandle(s.handle(), Scratch.get().errno);
        }
        bridge.close();
        overlapped.close();
        int result = 0;
        for (LowerProvider l : startedByGuid.values()) { // once per lower WSPStartup
            int rc = (int) l.cleanup.invokeExact(Scratch.get().errno);
            if (rc != 0 && result == 0) {
                result = rc;
                LayeredSpi.setErrno(lpErrno, Scratch.get().errnoValue());
            }
        }
        lowers.clear();
        startedByGuid.clear();
        provider.onCleanup();
        return result;
    }
}
