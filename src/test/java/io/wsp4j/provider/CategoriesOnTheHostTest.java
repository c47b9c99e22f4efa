package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.AppId;
import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.LspCategory;
import io.wsp4j.catalog.OurEntries;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.Planner;
import io.wsp4j.catalog.TestProvider;
import io.wsp4j.catalog.Transaction;
import io.wsp4j.catalog.TransactionListener;
import io.wsp4j.host.Catalog;
import io.wsp4j.host.Host;
import io.wsp4j.host.InstalledCatalog;
import io.wsp4j.host.layered.DemoTraffic;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.Ws2Def;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host applies LSP categories as Windows does when a process starts: a process whose application
 * permits fewer categories than wsp4j's has a view of the catalog without wsp4j's chains, so its
 * sockets go to the base provider and wsp4j is never started in it.
 */
@EnabledOnOs(OS.LINUX)
class CategoriesOnTheHostTest {
    static final int INSPECTOR = LspCategory.LSP_INSPECTOR.bit();

    @TempDir Path dir;
    private Host host;

    @BeforeEach
    void start() {
        ProviderSelection.register(() -> new AccountingProvider(dir.resolve("accounting.log")));
        host = new Host().install();
        LayeredHostInstall.install(host);
        // As the installer sets them: on the hidden entry and on every chain entry.
        host.catalog().setProviderCategories(LayeredHostInstall.LAYERED_GUID, INSPECTOR);
        host.catalog().setProviderCategories(LayeredHostInstall.CHAIN_GUID, INSPECTOR);
    }

    @AfterEach
    void stop() {
        if (host != null) host.close();
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
    }

    private DemoTraffic.Result traffic() {
        return DemoTraffic.run(host, null);
    }

    @Test
    void aProcessWhoseApplicationPermitsNoInspectorRunsWithoutWsp4j() {
        host.catalog().setApplicationCategories(OptionalInt.of(LspCategory.LSP_FIREWALL.bit()));
        Catalog.Entry chosen = host.catalog().find(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(ProtocolChain.BASE_PROTOCOL, chosen.chainLength(), "socket() gets the base entry");
        assertTrue(host.catalog().view().stream().allMatch(e -> e.chainLength() == ProtocolChain.BASE_PROTOCOL),
                "neither our hidden entry nor a chain of ours is in the process's view");
        assertEquals(host.catalog().entries().size() - 7, host.catalog().view().size());

        DemoTraffic.Result r = traffic();
        assertNull(r.accounting(), "no wsp4j provider ran");
        assertEquals(0, LayeredStartup.references(), "wsp4j's WSPStartup was never called");
        assertNull(LayeredStartup.activeProvider());
        assertTrue(r.clientSent() > 0 && r.serverSent() > 0, "the traffic went through the base provider");
    }

    @Test
    void aProcessWhoseApplicationPermitsInspectorsLoadsIt() {
        host.catalog().setApplicationCategories(OptionalInt.of(INSPECTOR | LspCategory.LSP_FIREWALL.bit()));
        DemoTraffic.Result r = traffic();
        assertNotNull(r.accounting());
        assertEquals(2, r.accounting().connections());
    }

    @Test
    void aProcessNobodyCategorizedLoadsEveryLsp() {
        host.catalog().setApplicationCategories(OptionalInt.empty());
        assertNotNull(traffic().accounting());
    }

    @Test
    void aSystemProcessLoadsOnlyLspsMarkedForSystemProcesses() {
        host.catalog().setApplicationCategories(OptionalInt.of(INSPECTOR | LspCategory.LSP_SYSTEM.bit()));
        assertNull(traffic().accounting(), "an inspector without LSP_SYSTEM stays out of a process that permits LSP_SYSTEM");
    }

    @Test
    void anLspWithoutCategoriesStaysOutOfEveryCategorizedProcess() {
        host.catalog().setProviderCategories(LayeredHostInstall.LAYERED_GUID, 0);
        host.catalog().setProviderCategories(LayeredHostInstall.CHAIN_GUID, 0);
        host.catalog().setApplicationCategories(OptionalInt.of(-1));
        assertNull(traffic().accounting());
    }

    @Test
    void theHostLoadsTheCategoriesAnInstallerWroteIntoTheFileCatalog() {
        TestProvider p = TestProvider.create(dir.resolve("p"), TestProvider.GUID, "test lsp", "[\"64\"]", List.of("LSP_INSPECTOR"));
        FileCatalog files = FileCatalog.open(dir.resolve("catalog"));
        new Transaction(files, Duration.ZERO, TransactionListener.NONE)
                .run(b -> new Planner(files, PathExpander.systemDefault()).install(p.manifest(), b));
        AppId scanner = new AppId("/usr/bin/scanner");
        new Transaction(files, Duration.ZERO, TransactionListener.NONE)
                .run(b -> new Planner(files, PathExpander.systemDefault()).applicationCategories(scanner, LspCategory.LSP_PROXY.bit(), b));

        try (Host other = new Host()) {
            InstalledCatalog.load(other, files.read().entries(Bitness.X64));
            OurEntries ours = OurEntries.find(files.read(), Bitness.X64, p.manifest().providerGuid());
            assertEquals(INSPECTOR, other.catalog().providerCategories(ours.layered().orElseThrow().info().providerId()));
            ours.chains().forEach(c -> assertEquals(INSPECTOR, other.catalog().providerCategories(c.info().providerId())));

            other.catalog().setApplicationCategories(files.applicationCategories(scanner));
            Catalog.Entry chosen = other.catalog().find(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
            assertEquals(ProtocolChain.BASE_PROTOCOL, chosen.chainLength(), "a proxy-only application does not load an inspector");
        }
    }
}
