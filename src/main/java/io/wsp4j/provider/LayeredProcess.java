package io.wsp4j.provider;

import io.wsp4j.bindings.LPWSPSTARTUP;
import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
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
import java.util.UUID;

/**
 * The layered provider as it lives in one process between the first WSPStartup and the last
 * WSPCleanup: the author's provider, our table, the socket table, the event bridge, and the lower
 * providers of the chains ws2_32 started us for.
 */
final class LayeredProcess {
    /** WSPStartup's version: 2.2 (MAKEWORD(2, 2)). */
    static final short VERSION_2_2 = 0x0202;
    /** Names our hidden layered catalog entry when another LSP is layered above us (else the first layered entry of the chain is ours). */
    static final String GUID_PROPERTY = "wsp4j.provider.guid";
    private static final System.Logger LOG = System.getLogger(LayeredProcess.class.getName());

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
        ExtensionStubs extensions = new ExtensionStubs(LastError.of(platform.ws2()).orElse(null));
        this.procTable = new ProcTable(new LayeredSpi(provider, sockets, bridge, upcalls, overlapped, extensions, lowers, cleanup));
        bridge.start();
    }

    /**
     * WSPStartup for the chain entry {@code protocolInfo}. ws2_32 starts a provider once per GUID, and
     * our chains (TCP/IPv4, UDP/IPv6 …) share one, so the first start attaches every chain of ours
     * in the catalog: each gets the provider below it, started once per lower provider. A load for our
     * hidden layered entry itself (ChainLen = LAYERED_PROTOCOL) needs nothing below.
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
            int layeredId = ProviderCatalog.chainEntry(protocolInfo, ourIndex(protocolInfo, entries));
            attach(catalog, entries, protocolInfo, layeredId, arena); // the one asked for: its failure is WSPStartup's
            long n = entries.byteSize() / WSAPROTOCOL_INFOW.sizeof();
            for (long i = 0; i < n; i++) {
                MemorySegment e = entries.asSlice(i * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
                if (indexIn(e, layeredId) < 0 || lowers.forChainEntry(WSAPROTOCOL_INFOW.dwCatalogEntryId(e)) != null) continue;
                try {
                    attach(catalog, entries, e, layeredId, arena);
                } catch (ProviderStartupException x) { // another chain's trouble: its sockets will fail, not this startup
                    LOG.log(System.Logger.Level.WARNING, "chain entry " + WSAPROTOCOL_INFOW.dwCatalogEntryId(e) + " not attached: " + x.getMessage());
                }
            }
        }
    }

    /** Index of {@code id} in the chain of {@code info} before its last entry, or -1. */
    private static int indexIn(MemorySegment info, int id) {
        int length = ProviderCatalog.chainLength(info);
        for (int i = 0; i < length - 1; i++) if (ProviderCatalog.chainEntry(info, i) == id) return i;
        return -1;
    }

    private void attach(ProviderCatalog catalog, MemorySegment entries, MemorySegment chain, int layeredId, Arena arena) {
        int chainEntryId = WSAPROTOCOL_INFOW.dwCatalogEntryId(chain);
        int ours = indexIn(chain, layeredId);
        int chainLength = ProviderCatalog.chainLength(chain);
        int nextId = ProviderCatalog.chainEntry(chain, ours + 1);
        MemorySegment next = ProviderCatalog.find(entries, nextId);
        if (next == null) {
            throw new ProviderStartupException(WsaErrors.WSAEINVALIDPROVIDER, "the chain of entry " + chainEntryId + " names catalog id " + nextId + ", which the catalog does not have");
        }
        MemorySegment lowerInfo = Arena.global().allocate(WSAPROTOCOL_INFOW.layout());
        if (ours + 1 == chainLength - 1) {
            lowerInfo.copyFrom(next); // a base provider gets its own entry
        } else {
            lowerInfo.copyFrom(chain); // a layered one gets the chain without us
            stripChain(lowerInfo, ours + 1);
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
        int rc = LPWSPSTARTUP.invoke(startup, VERSION_2_2, data, lowerInfo, upcalls.table(), lowerTable);
        if (rc != 0) {
            throw new ProviderStartupException(rc, "the lower provider " + path + " (catalog id " + nextId + ") failed WSPStartup: " + WsaError.describe(rc));
        }
        LowerProvider lower = new LowerProvider(chainEntryId, lowerInfo, lowerTable);
        startedByGuid.put(lowerGuid, lower);
        lowers.add(lower);
        LOG.log(System.Logger.Level.DEBUG, "chain entry " + chainEntryId + " layered over " + path);
    }

    /** Our position in the chain: the first layered entry (with our GUID, if configured) before its end. */
    private static int ourIndex(MemorySegment protocolInfo, MemorySegment entries) {
        String configured = System.getProperty(GUID_PROPERTY);
        UUID guid = configured == null || configured.isBlank() ? null : UUID.fromString(configured.strip().replace("{", "").replace("}", ""));
        int length = ProviderCatalog.chainLength(protocolInfo);
        for (int i = 0; i < length - 1; i++) {
            MemorySegment e = ProviderCatalog.find(entries, ProviderCatalog.chainEntry(protocolInfo, i));
            if (e == null || ProviderCatalog.chainLength(e) != WinApi.LAYERED_PROTOCOL()) continue;
            if (guid == null || guid.equals(ProviderCatalog.uuid(WSAPROTOCOL_INFOW.ProviderId(e)))) return i;
        }
        throw new ProviderStartupException(WsaErrors.WSAEINVALIDPROVIDER, "no layered entry of ours in the chain of catalog entry "
                + WSAPROTOCOL_INFOW.dwCatalogEntryId(protocolInfo) + (guid == null ? "" : " (GUID " + guid + ")"));
    }

    /** Removes the first {@code count} entries of the chain. */
    static void stripChain(MemorySegment info, int count) {
        MemorySegment chain = WSAPROTOCOL_INFOW.ProtocolChain(info);
        int length = WSAPROTOCOLCHAIN.ChainLen(chain);
        for (int i = count; i < length; i++) WSAPROTOCOLCHAIN.ChainEntries(chain, i - count, WSAPROTOCOLCHAIN.ChainEntries(chain, i));
        for (int i = length - count; i < length; i++) WSAPROTOCOLCHAIN.ChainEntries(chain, i, 0);
        WSAPROTOCOLCHAIN.ChainLen(chain, length - count);
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
