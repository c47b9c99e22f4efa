package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.winsock.ProtocolChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class FileCatalogTest {
    @TempDir
    Path dir;

    @Test
    void seedsBothCatalogsLikeAFreshWindows() {
        CatalogImage image = FileCatalog.open(dir).read();
        for (Bitness b : Bitness.values()) {
            List<ProtocolEntry> entries = image.entries(b);
            assertEquals(12, entries.size());
            ProtocolEntry tcp = entries.getFirst();
            assertEquals("MSAFD Tcpip [TCP/IP]", tcp.info().protocolName());
            assertEquals(StockCatalog.MSAFD_TCPIP, tcp.info().providerId());
            assertEquals(0x20066, tcp.info().serviceFlags1());
            assertEquals(1001, tcp.info().catalogEntryId());
            assertTrue(tcp.isBase());
            ProtocolEntry udp6 = entries.stream().filter(e -> e.info().protocolName().equals("MSAFD Tcpip [UDP/IPv6]")).findFirst().orElseThrow();
            assertEquals(StockCatalog.MSAFD_TCPIP6, udp6.info().providerId());
            assertEquals(Protocols.AF_INET6, udp6.info().addressFamily());
            assertEquals(0x20609, udp6.info().serviceFlags1());
            assertEquals(28, udp6.info().maxSockAddr());
        }
    }

    @Test
    void reopeningReadsWhatWasWrittenAndDoesNotReseed() throws Exception {
        FileCatalog c = FileCatalog.open(dir);
        c.deinstallProvider(Bitness.X64, StockCatalog.RSVP);
        byte[] bytes = Files.readAllBytes(dir.resolve(FileCatalog.CATALOG_FILE));
        CatalogImage again = FileCatalog.open(dir).read();
        assertEquals(8, again.entries(Bitness.X64).size());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve(FileCatalog.CATALOG_FILE)));
    }

    @Test
    void installAssignsNewIdsAtTheEndAndIdsAreNeverReused() {
        FileCatalog c = FileCatalog.open(dir);
        CatalogImage before = c.read();
        ProtocolEntry base = before.entries(Bitness.X64).getFirst();
        UUID g = UUID.randomUUID();
        c.installProvider(Bitness.X64, g, "/x/a.so", List.of(base, base));
        CatalogImage after = c.read();
        assertEquals(List.of(1013, 1014), after.byProvider(Bitness.X64, g).stream().map(x -> x.info().catalogEntryId()).toList());
        assertEquals(List.of(1013, 1014), after.order(Bitness.X64).subList(12, 14));
        assertEquals("/x/a.so", after.byProvider(Bitness.X64, g).getFirst().path());
        assertEquals(before.entries(Bitness.X86), after.entries(Bitness.X86), "the other catalog is untouched");

        c.restore(before);
        assertEquals(before, c.read());
        c.installProvider(Bitness.X64, g, "/x/a.so", List.of(base));
        assertEquals(1015, c.read().byProvider(Bitness.X64, g).getFirst().info().catalogEntryId(), "1013 and 1014 are not reused");
    }

    @Test
    void failedOperationsChangeNothing() throws Exception {
        FileCatalog c = FileCatalog.open(dir);
        byte[] before = Files.readAllBytes(dir.resolve(FileCatalog.CATALOG_FILE));
        ProtocolEntry base = c.read().entries(Bitness.X64).getFirst();
        assertThrows(CatalogException.class, () -> c.installProvider(Bitness.X64, StockCatalog.MSAFD_TCPIP, "/x", List.of(base)));
        assertThrows(CatalogException.class, () -> c.writeOrder(Bitness.X64, List.of(1001, 1002)));
        assertThrows(CatalogException.class, () -> c.deinstallProvider(Bitness.X64, UUID.randomUUID()));
        assertThrows(CatalogException.class, () -> c.updateProvider(Bitness.X64, StockCatalog.MSAFD_TCPIP, "/x", List.of(base)));
        ProtocolEntry dangling = base.withChain(ProtocolChain.of(List.of(4242, 1001)));
        assertThrows(CatalogException.class, () -> c.installProvider(Bitness.X64, UUID.randomUUID(), "/x", List.of(dangling)));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(FileCatalog.CATALOG_FILE)));
    }

    @Test
    void writeOrderPermutesAndUpdateKeepsIds() {
        FileCatalog c = FileCatalog.open(dir);
        List<Integer> order = new java.util.ArrayList<>(c.read().order(Bitness.X86));
        java.util.Collections.reverse(order);
        c.writeOrder(Bitness.X86, order);
        assertEquals(order, c.read().order(Bitness.X86));
        List<ProtocolEntry> rsvp = c.read().byProvider(Bitness.X64, StockCatalog.RSVP);
        List<ProtocolEntry> renamed = rsvp.stream().map(e -> e.withInfo(e.info().withProtocolName(e.info().protocolName() + "!"))).toList();
        c.updateProvider(Bitness.X64, StockCatalog.RSVP, "/new/path.dll", renamed);
        List<ProtocolEntry> now = c.read().byProvider(Bitness.X64, StockCatalog.RSVP);
        assertEquals(rsvp.stream().map(x -> x.info().catalogEntryId()).toList(), now.stream().map(x -> x.info().catalogEntryId()).toList());
        assertTrue(now.stream().allMatch(e -> e.info().protocolName().endsWith("!") && e.path().equals("/new/path.dll")));
    }

    @Test
    void defaultDirectoryFollowsWsp4jHomeThenXdgStateHome() {
        assertEquals(Path.of("/a/b"), FileCatalog.defaultDirectory(Map.of("WSP4J_HOME", "/a/b", "XDG_STATE_HOME", "/s")));
        assertEquals(Path.of("/s/wsp4j"), FileCatalog.defaultDirectory(Map.of("XDG_STATE_HOME", "/s")));
        assertEquals(Path.of(System.getProperty("user.home"), ".local", "state", "wsp4j"), FileCatalog.defaultDirectory(Map.of()));
    }

    @Test
    void aDamagedCatalogFileIsReportedNotGuessed() throws Exception {
        FileCatalog c = FileCatalog.open(dir);
        Files.writeString(dir.resolve(FileCatalog.CATALOG_FILE), "{\"format\":\"wsp4j-catalog/1\",\"catalogs\":{\"64\":[{}]}}");
        CatalogException e = assertThrows(CatalogException.class, c::read);
        assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
    }
}
