package io.wsp4j.host;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.layered.DemoTraffic;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.provider.LayeredStartup;
import io.wsp4j.provider.ProviderPlatforms;
import io.wsp4j.provider.ProviderSelection;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.Ws2Def;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foreign pass-through LSP installed over wsp4j's chain entries the way Microsoft's installer
 * does it: its chains are {@code [its hidden id, our chain entry's id, base id]} and never name our
 * hidden entry. ws2 starts the foreign layer, which starts wsp4j with its own chain; wsp4j must find
 * its place there by its chain entry's id and layer over the base provider.
 */
@EnabledOnOs(OS.LINUX)
class LayerAboveWsp4jTest {
    @TempDir Path dir;
    private Host host;
    private String guidBefore;

    @BeforeEach
    void layer() {
        guidBefore = System.getProperty("wsp4j.provider.guid");
        // As the installer's shim config names it: our hidden entry's GUID.
        System.setProperty("wsp4j.provider.guid", LayeredHostInstall.LAYERED_GUID.toString());
        ProviderSelection.register(() -> new AccountingProvider(dir.resolve("accounting.log")));
        host = new Host().install();
    }

    @AfterEach
    void unlayer() {
        if (host != null) host.close();
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
        if (guidBefore == null) System.clearProperty("wsp4j.provider.guid");
        else System.setProperty("wsp4j.provider.guid", guidBefore);
    }

    @Test
    void trafficGoesThroughTheForeignLayerThenWsp4jThenTheBase() {
        LayeredHostInstall.Installed ours = LayeredHostInstall.install(host);
        int ourTcp = -1;
        for (int id : ours.chainIds()) {
            Catalog.Entry e = host.catalog().byId(id);
            if (e.addressFamily() == Ws2Def.AF_INET && e.socketType() == Ws2Def.SOCK_STREAM) ourTcp = id;
        }
        PassThroughLayer foreign = PassThroughLayer.install(host, ourTcp);
        Catalog.Entry chosen = host.catalog().find(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(3, chosen.chainLength(), "ws2 picks the foreign chain");
        assertEquals(ourTcp, chosen.chainEntry(1), "which names our chain entry");
        assertEquals(host.catalog().byId(ourTcp).chainEntry(1), chosen.chainEntry(2));
        for (int i = 0; i < chosen.chainLength(); i++) assertNotEquals(ours.layeredId(), chosen.chainEntry(i), "and never our hidden entry");

        DemoTraffic.Result r = DemoTraffic.run(host, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(foreign.startups.get() > 0, "the foreign layer was started");
        assertInstanceOf(AccountingProvider.class, LayeredStartup.activeProvider(), "and it started wsp4j");
        AccountingProvider.Snapshot a = r.accounting();
        assertNotNull(a);
        assertEquals(2, a.connections(), "both connections went through wsp4j");
        assertEquals(r.clientSent() + r.serverSent(), a.bytesOut());
        assertEquals(r.clientSent() + r.serverSent(), a.bytesIn());
    }
}
