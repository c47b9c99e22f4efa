package io.wsp4j.catalog.windows;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.AppId;
import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.StockCatalog;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The Windows catalog's read-only calls against the real ws2_32 (nothing here changes the catalog):
 * WSCEnumProtocols and WSCEnumProtocols32 with WSCGetProviderPath(32) and WSCGetProviderInfo(32), and
 * WSCGetApplicationCategory for an application nobody categorized.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsCatalogReadTest {
    @Test
    void readsBothCatalogsWithTheBaseProvidersPathsAndNoCategories() {
        CatalogImage image = WindowsCatalog.system().read();
        for (Bitness b : Bitness.values()) {
            ProtocolEntry tcp = image.entries(b).stream()
                    .filter(e -> e.isBase() && e.info().providerId().equals(StockCatalog.MSAFD_TCPIP) && e.triple().equals("AF_INET/SOCK_STREAM/IPPROTO_TCP"))
                    .findFirst().orElseThrow(() -> new AssertionError(b.label() + "-bit catalog without MSAFD Tcpip [TCP/IP]"));
            assertTrue(tcp.path().toLowerCase().endsWith("mswsock.dll"), tcp.path());
            assertEquals(0, tcp.categories(), "a base provider has no LSP categories");
        }
    }

    /** WSCGetApplicationCategory wants administrator rights (WSANO_RECOVERY otherwise). */
    @Test
    void anApplicationNobodyCategorizedReadsAsNotCategorized() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Elevation.isElevated(), "needs an elevated prompt");
        AppId nobody = new AppId("C:\\wsp4j-test\\" + UUID.randomUUID() + ".exe");
        assertEquals(OptionalInt.empty(), WindowsCatalog.system().applicationCategories(nobody));
    }
}
