package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.layered.DemoTraffic;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.provider.JavaWspStartup;
import io.wsp4j.provider.ProviderPlatform;
import io.wsp4j.provider.ProviderPlatforms;
import io.wsp4j.provider.ProviderSelection;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.ProtocolFlags;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * wsp4j installed over another LSP's chain entry, as Microsoft's installer layers one LSP over
 * another: our chain is {@code [our hidden id, its chain entry id, base id]}. Microsoft's sample
 * (InitializeProvider, common/provider.cpp) and the SPI give the next provider's WSPStartup the
 * caller's protocol info when the next provider is layered, so that it finds its own place in the
 * whole chain by its ids (the sample looks from ChainEntries[1] on); its WSPSocket gets its own catalog
 * entry (the sample's NextProvider). A recording LSP below checks both.
 */
@EnabledOnOs(OS.LINUX)
class Wsp4jOverAnotherLspTest {
    private static final String LOWER_PATH = "%WSP4J_HOST%\\recording-lsp.dll";
    private static final UUID LOWER_HIDDEN = UUID.fromString("5b2e8d10-7c4a-4f3e-8d21-3e5f6a7b0001");
    private static final UUID LOWER_CHAIN = UUID.fromString("5b2e8d10-7c4a-4f3e-8d21-3e5f6a7b0002");
    private static final UUID OUR_CHAIN = UUID.fromString("7a1d3c50-5e4f-4c0b-9b1e-0000000000b2");

    @TempDir Path dir;
    private Host host;
    private int lowerChainId;
    private final List<int[]> startupChains = new ArrayList<>(); // [catalog id, chain length, entries...]
    private final List<Integer> socketInfoIds = new ArrayList<>();
    private MethodHandle baseSocket;

    @BeforeEach
    void layer() {
        ProviderSelection.register(() -> new AccountingProvider(dir.resolve("accounting.log")));
        host = new Host().install();
    }

    @AfterEach
    void unlayer() {
        if (host != null) host.close();
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
    }

    @Test
    void theLayeredProviderBelowGetsTheCallersChainAtStartupAndItsOwnEntryForSockets() {
        Catalog catalog = host.catalog();
        Catalog.Entry base = catalog.find(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        registerRecordingLsp();
        int lowerHidden = catalog.install(LOWER_HIDDEN, LOWER_PATH, hidden(base), 1)[0];
        lowerChainId = catalog.install(LOWER_CHAIN, LOWER_PATH, chain(base, lowerHidden, base.catalogEntryId()), 1)[0];
        host.platform().registerProvider(LayeredHostInstall.PROVIDER_PATH, JavaWspStartup.stub());
        int ourHidden = catalog.install(LayeredHostInstall.LAYERED_GUID, LayeredHostInstall.PROVIDER_PATH, hidden(base), 1)[0];
        int ourChain = catalog.install(OUR_CHAIN, LayeredHostInstall.PROVIDER_PATH,
                chain(base, ourHidden, lowerChainId, base.catalogEntryId()), 1)[0];
        List<Integer> order = new ArrayList<>(List.of(ourChain, lowerChainId));
        for (Catalog.Entry e : catalog.entries()) if (!order.contains(e.catalogEntryId())) order.add(e.catalogEntryId());
        catalog.writeProviderOrder(order.stream().mapToInt(Integer::intValue).toArray());

        DemoTraffic.Result r = DemoTraffic.run(host, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertEquals(2, r.accounting().connections(), "both connections went through wsp4j and the LSP below it");
        assertFalse(startupChains.isEmpty(), "wsp4j started the LSP below it");
        int[] got = startupChains.get(0);
        assertEquals(ourChain, got[0], "WSPStartup: the caller's protocol info (our chain entry)");
        assertArrayEquals(new int[] {ourHidden, lowerChainId, base.catalogEntryId()}, java.util.Arrays.copyOfRange(got, 2, 2 + got[1]),
                "the whole chain, in which the LSP below finds its own entry second");
        assertFalse(socketInfoIds.isEmpty());
        assertTrue(socketInfoIds.stream().allMatch(id -> id == lowerChainId), () -> "WSPSocket: its own catalog entry, got " + socketInfoIds);
    }

    // ---- the recording LSP below: records what it was given, then passes to the base provider -------

    private void registerRecordingLsp() {
        try {
            MethodHandle startup = MethodHandles.lookup().findVirtual(Wsp4jOverAnotherLspTest.class, "lowerStartup",
                    Spi.WSPSTARTUP.toMethodType()).bindTo(this);
            host.platform().registerProvider(LOWER_PATH, Linker.nativeLinker().upcallStub(startup, Spi.WSPSTARTUP, Arena.global()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the chain, finds its own entry in it (as the sample: by its chain entry's id), starts what follows. */
    private int lowerStartup(short version, MemorySegment data, MemorySegment protocolInfo, MemorySegment upcallTable, MemorySegment procTable) {
        try {
            Catalog.Entry given = new Catalog.Entry(protocolInfo.reinterpret(Spi.WSAPROTOCOL_INFOW.byteSize()), LOWER_PATH);
            int[] record = new int[2 + given.chainLength()];
            record[0] = given.catalogEntryId();
            record[1] = given.chainLength();
            int mine = -1;
            for (int i = 0; i < given.chainLength(); i++) {
                record[2 + i] = given.chainEntry(i);
                if (given.chainEntry(i) == lowerChainId && mine < 0) mine = i;
            }
            startupChains.add(record);
            if (mine < 0 || mine + 1 >= given.chainLength()) return WsaErrors.WSAEINVALIDPROVIDER;
            Catalog.Entry next = host.catalog().byId(given.chainEntry(mine + 1));
            ProviderPlatform platform = host.platform();
            MemorySegment nextStartup = platform.loadProvider(platform.expandEnvironment(next.path())).find("WSPStartup").orElseThrow();
            MethodHandle down = Linker.nativeLinker().downcallHandle(nextStartup, Spi.WSPSTARTUP);
            int rc = (int) down.invokeExact(version, data, next.info(), upcallTable, procTable);
            if (rc != 0) return rc;
            // Its WSPSocket records the protocol info it gets, then is the base provider's.
            long at = Spi.WSPPROC_TABLE.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("lpWSPSocket"));
            MemorySegment table = procTable.reinterpret(Spi.WSPPROC_TABLE.byteSize());
            baseSocket = Linker.nativeLinker().downcallHandle(table.get(java.lang.foreign.ValueLayout.ADDRESS, at), Spi.procDescriptor("lpWSPSocket"));
            MethodHandle socket = MethodHandles.lookup().findVirtual(Wsp4jOverAnotherLspTest.class, "lowerSocket",
                    Spi.procDescriptor("lpWSPSocket").toMethodType()).bindTo(this);
            table.set(java.lang.foreign.ValueLayout.ADDRESS, at, Linker.nativeLinker().upcallStub(socket, Spi.procDescriptor("lpWSPSocket"), Arena.global()));
            return 0;
        } catch (Throwable t) {
            return WsaErrors.WSAEPROVIDERFAILEDINIT;
        }
    }

    private long lowerSocket(int af, int type, int protocol, MemorySegment lpProtocolInfo, int g, int flags, MemorySegment lpErrno) {
        try {
            if (lpProtocolInfo.address() != 0) {
                socketInfoIds.add(new Catalog.Entry(lpProtocolInfo.reinterpret(Spi.WSAPROTOCOL_INFOW.byteSize()), LOWER_PATH).catalogEntryId());
            }
            return (long) baseSocket.invokeExact(af, type, protocol, lpProtocolInfo, g, flags, lpErrno);
        } catch (Throwable t) {
            return WsaErrors.INVALID_SOCKET;
        }
    }

    // ---- catalog entries, as Microsoft's installer builds them -----------------------------------------

    private static MemorySegment hidden(Catalog.Entry base) {
        MemorySegment info = copy(base);
        set(info, "dwProviderFlags", base.providerFlags() | ProtocolFlags.PFL_HIDDEN);
        set(info, "iSocketType", 0);
        set(info, "iProtocol", 0);
        setChain(info);
        return info;
    }

    private static MemorySegment chain(Catalog.Entry base, int... ids) {
        MemorySegment info = copy(base);
        set(info, "dwServiceFlags1", base.serviceFlags1() & ~ProtocolFlags.XP1_IFS_HANDLES);
        setChain(info, ids);
        return info;
    }

    private static MemorySegment copy(Catalog.Entry e) {
        MemorySegment c = Arena.global().allocate(Spi.WSAPROTOCOL_INFOW);
        c.copyFrom(e.info());
        return c;
    }

    private static void set(MemorySegment info, String member, int value) {
        info.set(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, member), value);
    }

    private static void setChain(MemorySegment info, int... ids) {
        long at = Spi.offset(Spi.WSAPROTOCOL_INFOW, "ProtocolChain");
        info.set(JAVA_INT, at + Spi.offset(Spi.WSAPROTOCOLCHAIN, "ChainLen"), ids.length);
        for (int i = 0; i < 7; i++) {
            info.set(JAVA_INT, at + Spi.offset(Spi.WSAPROTOCOLCHAIN, "ChainEntries") + 4L * i, i < ids.length ? ids[i] : 0);
        }
    }
}
