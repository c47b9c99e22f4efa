package io.wsp4j.host;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolFlags;
import io.wsp4j.winsock.Ws2Def;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The host catalog's WSCDeinstallProvider: every entry of the provider goes, nothing else does, the
 * others keep their ids and order; an unknown provider is refused (Windows: WSAEINVAL) with the
 * catalog unchanged; like Windows, it does not look at other providers' chains, so a chain naming a
 * removed entry stays (an uninstaller rewrites or removes those chains first).
 */
@EnabledOnOs(OS.LINUX)
class CatalogDeinstallTest {
    private static final UUID LAYERED = UUID.fromString("11111111-2222-3333-4444-000000000001");
    private static final UUID CHAINS = UUID.fromString("11111111-2222-3333-4444-000000000002");
    private static final UUID OTHER = UUID.fromString("11111111-2222-3333-4444-000000000003");

    @Test
    void removesEveryEntryOfTheProviderAndOnlyThoseKeepingTheOthersOrderAndIds() {
        Catalog catalog = new Catalog();
        List<Catalog.Entry> bases = catalog.entries();
        int[] other = install(catalog, OTHER, "other.dll", bases.get(0), bases.get(1));
        int[] chains = install(catalog, CHAINS, "chains.dll", bases.get(2), bases.get(3), bases.get(4));
        List<Integer> before = ids(catalog);

        assertTrue(catalog.deinstall(CHAINS));

        List<Integer> expected = before.stream().filter(id -> Arrays.stream(chains).noneMatch(c -> c == id)).toList();
        assertEquals(expected, ids(catalog));
        assertEquals(bases.size() + other.length, catalog.entries().size());
        for (Catalog.Entry e : catalog.entries()) assertNotEquals(CHAINS, e.providerId());
        for (int id : other) assertEquals(OTHER, catalog.byId(id).providerId());
        assertNull(catalog.providerPath(CHAINS));
        assertEquals("other.dll", catalog.providerPath(OTHER));
        assertThrows(IllegalArgumentException.class, () -> catalog.byId(chains[0]));
    }

    @Test
    void anUnknownProviderIsRefusedAndChangesNothing() {
        Catalog catalog = new Catalog();
        install(catalog, OTHER, "other.dll", catalog.entries().get(0));
        List<Catalog.Entry> before = catalog.entries();

        assertFalse(catalog.deinstall(CHAINS));
        assertEquals(before, catalog.entries());

        assertTrue(catalog.deinstall(OTHER));
        assertFalse(catalog.deinstall(OTHER), "a second deinstall finds nothing");
    }

    @Test
    void chainsNamingTheRemovedLayeredEntryStayAsOnWindows() {
        Catalog catalog = new Catalog();
        Catalog.Entry tcp = catalog.find(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        int layeredId = installLayered(catalog, tcp);
        int chainId = installChain(catalog, layeredId, tcp);
        catalog.writeProviderOrder(order(chainId, catalog));

        assertTrue(catalog.deinstall(LAYERED));

        Catalog.Entry chain = catalog.byId(chainId);
        assertEquals(2, chain.chainLength());
        assertEquals(layeredId, chain.chainEntry(0), "the chain still names the removed entry");
        assertEquals(tcp.catalogEntryId(), chain.chainEntry(1));
        assertSame(chain, catalog.find(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP),
                "socket() still picks the orphaned chain: what breaks programs on Windows");
        assertThrows(IllegalArgumentException.class, () -> catalog.byId(layeredId));
    }

    @Test
    void removedIdsAreNotReusedAndARemovedEntryStaysReadable() {
        Catalog catalog = new Catalog();
        int[] first = install(catalog, OTHER, "other.dll", catalog.entries().get(0));
        Catalog.Entry held = catalog.byId(first[0]); // e.g. by a socket created through it

        assertTrue(catalog.deinstall(OTHER));
        int[] again = install(catalog, OTHER, "other.dll", catalog.entries().get(0));

        assertTrue(again[0] > first[0], again[0] + " after " + first[0]);
        assertEquals(first[0], held.catalogEntryId());
        assertEquals(OTHER, held.providerId());
    }

    @Test
    void theOrderCanBeWrittenWithoutTheRemovedIds() {
        Catalog catalog = new Catalog();
        int[] other = install(catalog, OTHER, "other.dll", catalog.entries().get(0));
        catalog.writeProviderOrder(order(other[0], catalog));
        assertTrue(catalog.deinstall(OTHER));

        List<Integer> remaining = ids(catalog);
        int[] reversed = remaining.reversed().stream().mapToInt(Integer::intValue).toArray();
        catalog.writeProviderOrder(reversed);
        assertEquals(remaining.reversed(), ids(catalog));
        int[] withRemoved = Arrays.copyOf(reversed, reversed.length + 1);
        withRemoved[reversed.length] = other[0];
        assertThrows(IllegalArgumentException.class, () -> catalog.writeProviderOrder(withRemoved));
    }

    // ---- building entries as an installer does ---------------------------------------------------

    /** Copies of {@code targets} as base entries of {@code provider}. */
    private static int[] install(Catalog catalog, UUID provider, String path, Catalog.Entry... targets) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment infos = arena.allocate(WSAPROTOCOL_INFOW.layout(), targets.length);
            for (int i = 0; i < targets.length; i++) slot(infos, i).copyFrom(targets[i].info());
            return catalog.install(provider, path, infos, targets.length);
        }
    }

    private static int installLayered(Catalog catalog, Catalog.Entry target) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(WSAPROTOCOL_INFOW.layout());
            info.copyFrom(target.info());
            WSAPROTOCOL_INFOW.dwProviderFlags(info, ProtocolFlags.PFL_HIDDEN);
            setChain(info, new int[0]);
            return catalog.install(LAYERED, "layered.dll", info, 1)[0];
        }
    }

    private static int installChain(Catalog catalog, int layeredId, Catalog.Entry target) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(WSAPROTOCOL_INFOW.layout());
            info.copyFrom(target.info());
            setChain(info, new int[] {layeredId, target.catalogEntryId()});
            return catalog.install(CHAINS, "layered.dll", info, 1)[0];
        }
    }

    private static MemorySegment slot(MemorySegment infos, int i) {
        return infos.asSlice(i * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
    }

    private static void setChain(MemorySegment info, int[] ids) {
        MemorySegment chain = WSAPROTOCOL_INFOW.ProtocolChain(info);
        WSAPROTOCOLCHAIN.ChainLen(chain, ids.length);
        for (int i = 0; i < ProtocolChain.MAX_LENGTH; i++) WSAPROTOCOLCHAIN.ChainEntries(chain, i, i < ids.length ? ids[i] : 0);
    }

    /** {@code first}, then every other id in the current order. */
    private static int[] order(int first, Catalog catalog) {
        List<Integer> rest = ids(catalog).stream().filter(id -> id != first).toList();
        int[] order = new int[rest.size() + 1];
        order[0] = first;
        for (int i = 0; i < rest.size(); i++) order[i + 1] = rest.get(i);
        return order;
    }

    private static List<Integer> ids(Catalog catalog) {
        return catalog.entries().stream().map(Catalog.Entry::catalogEntryId).toList();
    }
}
