package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.manifest.ProviderManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install into both catalogs, call by call: between any two WSC* calls of an install, an
 * uninstall or a rollback, no 64-bit entry names the 32-bit shim and no chain names another
 * catalog's ids ({@link CheckedCatalog}), on the file catalog and on a catalog that rolls back
 * through WSC* calls alone, as the Windows catalog does.
 */
@EnabledOnOs(OS.LINUX)
class BothCatalogsInstallTest {
    @TempDir
    Path tmp;

    record Setup(CheckedCatalog catalog, ProviderManifest manifest, Planner planner) {
        Plan install(TransactionListener l) {
            return new Transaction(catalog, Duration.ZERO, l).run(b -> planner.install(manifest, b));
        }

        Plan uninstall(TransactionListener l) {
            return new Transaction(catalog, Duration.ZERO, l).run(b -> planner.uninstall(manifest.providerGuid(), false, b));
        }

        void assertNoViolation() {
            catalog.violation().ifPresent(v -> fail(v));
        }
    }

    Setup setup(String name, Function<FileCatalog, Catalog> wrap) {
        TestProvider p = TestProvider.create(tmp.resolve(name + "-p"));
        ProviderManifest m = p.manifest();
        CheckedCatalog c = new CheckedCatalog(wrap.apply(FileCatalog.open(tmp.resolve(name))), m.shimPath(), m.shimPath32().orElseThrow());
        return new Setup(c, m, new Planner(c, PathExpander.systemDefault()));
    }

    @Test
    void installAndUninstallKeepEachCatalogToItself() {
        Setup s = setup("both", f -> f);
        s.install(TransactionListener.NONE);
        s.assertNoViolation();
        CatalogImage installed = s.catalog.read();
        for (Bitness b : Bitness.values()) {
            OurEntries ours = OurEntries.find(installed, b, s.manifest.providerGuid());
            assertEquals(6, ours.chains().size());
            String shim = b == Bitness.X64 ? s.manifest.shimPath() : s.manifest.shimPath32().orElseThrow();
            assertEquals(shim, ours.layered().orElseThrow().path());
            ours.chains().forEach(c -> assertEquals(shim, c.path()));
        }
        s.uninstall(TransactionListener.NONE);
        s.assertNoViolation();
    }

    @Test
    void theInstallIsOneWscInstallProviderAndChainsCall() {
        Setup s = setup("one-call", f -> f);
        Plan plan = s.planner.install(s.manifest, s.catalog.read());
        Step.InstallProviderAndChains call = (Step.InstallProviderAndChains) plan.steps().getFirst();
        assertEquals(s.manifest.shimPath(), call.path64());
        assertEquals(s.manifest.shimPath32().orElseThrow(), call.path32());
        assertEquals(0, call.serviceFlags() & Protocols.XP1_IFS_HANDLES, "non-IFS");
        assertEquals(List.of("AF_INET/SOCK_STREAM/IPPROTO_TCP", "AF_INET/SOCK_DGRAM/IPPROTO_UDP", "AF_INET6/SOCK_STREAM/IPPROTO_TCP",
                "AF_INET6/SOCK_DGRAM/IPPROTO_UDP", "AF_INET/SOCK_RAW/0", "AF_INET6/SOCK_RAW/0"),
                call.protocols().stream().map(ProtocolEntry::triple).toList());
        assertInstanceOf(Step.ShimConfig.class, plan.steps().get(1));
        assertEquals(2, plan.steps().size());
    }

    @Test
    void the32BitCatalogAloneIsRefused() {
        TestProvider p = TestProvider.create(tmp.resolve("only32"), TestProvider.GUID, "test lsp", "[\"32\"]");
        FileCatalog c = FileCatalog.open(tmp.resolve("only32-catalog"));
        PlanException e = assertThrows(PlanException.class, () -> new Planner(c, PathExpander.systemDefault()).install(p.manifest(), c.read()));
        assertEquals(PlanException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("WSCInstallProviderAndChains64_32"), e.getMessage());
    }

    @Test
    void anotherLspFirstForAProtocolRefusesTheInstallIntoBothCatalogs() {
        Setup s = setup("lsp-on-top", f -> f);
        FileCatalog files = FileCatalog.open(s.catalog.stateDir());
        ForeignLsp.install(files, Bitness.X86, "other lsp", "%SystemRoot%\\system32\\otherlsp.dll", List.of(1001));
        CatalogImage before = s.catalog.read();
        PlanException e = assertThrows(PlanException.class, () -> s.planner.install(s.manifest, before));
        assertEquals(PlanException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().startsWith("the first AF_INET/SOCK_STREAM/IPPROTO_TCP entry of the 32-bit catalog is 1014"
                + " \"other lsp over [MSAFD Tcpip [TCP/IP]]\""), e.getMessage());
    }

    @Test
    void theModelRefusesWhatWindowsDocumentsAsInvalidAndChangesNothing() throws Exception {
        FileCatalog c = FileCatalog.open(tmp.resolve("model"));
        byte[] before = java.nio.file.Files.readAllBytes(c.stateDir().resolve(FileCatalog.CATALOG_FILE));
        ProtocolEntry tcp = c.read().entries(Bitness.X64).getFirst();
        java.util.UUID g = java.util.UUID.randomUUID();
        CatalogException none = assertThrows(CatalogException.class, () -> c.installProviderAndChains(g, "/a", "/b", "x", 0, List.of()));
        assertEquals(CatalogModel.WSAEINVAL, none.errorCode());
        CatalogException taken = assertThrows(CatalogException.class,
                () -> c.installProviderAndChains(StockCatalog.MSAFD_TCPIP, "/a", "/b", "x", 0, List.of(tcp)));
        assertEquals(CatalogModel.WSAEINVAL, taken.errorCode());
        CatalogException name = assertThrows(CatalogException.class,
                () -> c.installProviderAndChains(g, "/a", "/b", "MSAFD Tcpip [UDP/IP]", 0, List.of(tcp)));
        assertEquals(CatalogModel.WSAEINVAL, name.errorCode());
        ProtocolEntry bth = tcp.withInfo(tcp.info().withSocket(Protocols.SOCK_SEQPACKET, 3));
        CatalogException nothing = assertThrows(CatalogException.class, () -> c.installProviderAndChains(g, "/a", "/b", "x", 0, List.of(bth)));
        assertEquals(CatalogModel.WSAEINVAL, nothing.errorCode());
        assertArrayEquals(before, java.nio.file.Files.readAllBytes(c.stateDir().resolve(FileCatalog.CATALOG_FILE)));

        c.installProviderAndChains(g, "/a", "/b", "x", 0, List.of(tcp, tcp));
        for (Bitness b : Bitness.values()) {
            List<ProtocolEntry> entries = c.read().entries(b);
            ProtocolEntry hidden = entries.getLast();
            assertTrue(hidden.isLayered() && hidden.isHidden() && hidden.info().providerId().equals(g));
            assertEquals(b == Bitness.X64 ? "/a" : "/b", hidden.path());
            ProtocolEntry chain = entries.getFirst();
            assertEquals(List.of(hidden.info().catalogEntryId(), 1001), chain.chain(), "one chain: duplicates are ignored");
            assertEquals("x over [MSAFD Tcpip [TCP/IP]]", chain.info().protocolName());
            assertEquals(b == Bitness.X64 ? "/a" : "/b", chain.path());
            assertFalse(entries.get(1).isChain());
        }
    }

    @TestFactory
    List<DynamicTest> everyRollbackKeepsEachCatalogToItself() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var wrap : List.<Function<FileCatalog, Catalog>>of(f -> f, WscOnlyRollbackTest.WscOnly::new)) {
            Setup probe = setup("probe-" + tests.size(), wrap);
            List<String> installPoints = TransactionTest.pointsOf(probe.catalog, b -> probe.planner.install(probe.manifest, b));
            List<String> uninstallPoints = TransactionTest.pointsOf(probe.catalog, b -> probe.planner.uninstall(probe.manifest.providerGuid(), false, b));
            String kind = probe.catalog.describe().contains("WSC-only") ? "WSC calls" : "file catalog";
            for (String point : installPoints) {
                String name = "install fails at " + point + " (" + kind + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Setup s = setup(name.replaceAll("[^A-Za-z0-9]+", "-"), wrap);
                    CatalogImage before = s.catalog.read();
                    assertThrows(RolledBackException.class, () -> s.install(TransactionTest.failAt(point)));
                    s.assertNoViolation();
                    assertTrue(CanonicalForm.same(before, s.catalog.read()), CanonicalForm.firstDifference(before, s.catalog.read()));
                }));
            }
            for (String point : uninstallPoints) {
                String name = "uninstall fails at " + point + " (" + kind + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Setup s = setup(name.replaceAll("[^A-Za-z0-9]+", "-"), wrap);
                    s.install(TransactionListener.NONE);
                    CatalogImage installed = s.catalog.read();
                    assertThrows(RolledBackException.class, () -> s.uninstall(TransactionTest.failAt(point)));
                    s.assertNoViolation();
                    assertTrue(CanonicalForm.same(installed, s.catalog.read()), CanonicalForm.firstDifference(installed, s.catalog.read()));
                }));
            }
        }
        return tests;
    }
}
