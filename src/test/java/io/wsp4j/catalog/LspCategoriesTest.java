package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.manifest.ProviderManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * LSP categories as steps of the install transaction (WSCSetProviderInfo on the hidden entry and
 * every chain entry, in each catalog), and applications' permitted categories
 * (WSCSetApplicationCategory), journaled and rolled back like every other catalog change.
 */
@EnabledOnOs(OS.LINUX)
class LspCategoriesTest {
    static final int INSPECTOR = LspCategory.LSP_INSPECTOR.bit();

    @TempDir
    Path tmp;

    record Setup(Catalog catalog, FileCatalog files, ProviderManifest manifest, Planner planner) {
        byte[] bytes(String file) throws Exception {
            Path p = files.stateDir().resolve(file);
            return Files.exists(p) ? Files.readAllBytes(p) : null;
        }

        Plan install(TransactionListener l) {
            return new Transaction(catalog, Duration.ZERO, l).run(b -> planner.install(manifest, b));
        }

        Plan uninstall(TransactionListener l) {
            return new Transaction(catalog, Duration.ZERO, l).run(b -> planner.uninstall(manifest.providerGuid(), false, b));
        }

        Plan permit(AppId app, int categories, TransactionListener l) {
            return new Transaction(catalog, Duration.ZERO, l).run(b -> planner.applicationCategories(app, categories, b));
        }
    }

    Setup setup(String name, String catalogs, Function<FileCatalog, Catalog> wrap) {
        TestProvider p = TestProvider.create(tmp.resolve(name + "-p"), TestProvider.GUID, "test lsp", catalogs, List.of("LSP_INSPECTOR"));
        FileCatalog files = FileCatalog.open(tmp.resolve(name));
        Catalog c = wrap.apply(files);
        return new Setup(c, files, p.manifest(), new Planner(c, PathExpander.systemDefault()));
    }

    Setup setup(String name) {
        return setup(name, "[\"64\", \"32\"]", f -> f);
    }

    static void assertOursHave(CatalogImage image, ProviderManifest m, Bitness b, int categories) {
        OurEntries ours = OurEntries.find(image, b, m.providerGuid());
        assertTrue(ours.installed(), b.label() + "-bit");
        assertEquals(categories, ours.layered().orElseThrow().categories(), b.label() + "-bit hidden entry");
        assertEquals(6, ours.chains().size());
        for (ProtocolEntry c : ours.chains()) assertEquals(categories, c.categories(), b.label() + "-bit " + c.info().protocolName());
    }

    @Test
    void theInstallSetsTheManifestsCategoriesOnEveryEntryOfOursInEachCatalogAndTheUninstallLeavesTheBytes() throws Exception {
        Setup s = setup("install");
        byte[] before = s.bytes(FileCatalog.CATALOG_FILE);
        Plan plan = s.install(TransactionListener.NONE);
        assertEquals(List.of(Step.InstallProviderAndChains.class, Step.SetLspCategories.class, Step.SetLspCategories.class, Step.ShimConfig.class),
                plan.steps().stream().map(Object::getClass).toList());
        CatalogImage installed = s.catalog.read();
        for (Bitness b : Bitness.values()) {
            assertOursHave(installed, s.manifest, b, INSPECTOR);
            installed.entries(b).stream().filter(ProtocolEntry::isBase).forEach(e -> assertEquals(0, e.categories(), e.info().protocolName()));
        }
        assertTrue(new String(s.bytes(FileCatalog.CATALOG_FILE)).contains("\"lspCategories\" : \"0x00000001\""));
        assertTrue(CatalogChecks.check(s.catalog, installed, Optional.of(s.manifest.providerGuid()), OptionalInt.of(INSPECTOR)).isEmpty());

        s.uninstall(TransactionListener.NONE);
        assertArrayEquals(before, s.bytes(FileCatalog.CATALOG_FILE));
        assertNull(s.bytes(FileCatalog.APPLICATIONS_FILE));
    }

    @Test
    void aSixtyFourBitInstallSetsThemOnThatCatalogOnly() {
        Setup s = setup("only64", "[\"64\"]", f -> f);
        Plan plan = s.install(TransactionListener.NONE);
        assertEquals(1, plan.steps().stream().filter(x -> x instanceof Step.SetLspCategories).count());
        assertOursHave(s.catalog.read(), s.manifest, Bitness.X64, INSPECTOR);
    }

    @Test
    void theSimulationPredictsTheCategories() {
        Setup s = setup("simulate");
        Plan plan = s.planner.install(s.manifest, s.catalog.read());
        CatalogImage predicted = plan.simulate(Map.of());
        s.install(TransactionListener.NONE);
        assertEquals(predicted, s.catalog.read());
    }

    @TestFactory
    List<DynamicTest> aFailureAtEveryPointOfAnInstallOrUninstallWithCategoriesRestoresIt() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var wrap : List.<Function<FileCatalog, Catalog>>of(f -> f, WscOnlyRollbackTest.WscOnly::new)) {
            String kind = tests.isEmpty() ? "file catalog" : "WSC calls";
            Setup probe = setup("probe-" + kind.replace(' ', '-'), "[\"64\", \"32\"]", wrap);
            List<String> installPoints = TransactionTest.pointsOf(probe.catalog, b -> probe.planner.install(probe.manifest, b));
            assertEquals(List.of("journal", "step 1", "step 2", "step 3", "step 4", "verify", "commit"), installPoints);
            List<String> uninstallPoints = TransactionTest.pointsOf(probe.catalog, b -> probe.planner.uninstall(probe.manifest.providerGuid(), false, b));
            for (String point : installPoints) {
                String name = "install fails at " + point + " (" + kind + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Setup s = setup(name.replaceAll("[^A-Za-z0-9]+", "-"), "[\"64\", \"32\"]", wrap);
                    byte[] before = s.bytes(FileCatalog.CATALOG_FILE);
                    assertThrows(RolledBackException.class, () -> s.install(TransactionTest.failAt(point)));
                    if (kind.equals("file catalog")) assertArrayEquals(before, s.bytes(FileCatalog.CATALOG_FILE));
                    assertTrue(CanonicalForm.same(StockCatalog.image(), s.catalog.read()), CanonicalForm.firstDifference(StockCatalog.image(), s.catalog.read()));
                    assertTrue(s.catalog.shimConfig().read().isEmpty());
                }));
            }
            for (String point : uninstallPoints) {
                String name = "uninstall fails at " + point + " (" + kind + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Setup s = setup(name.replaceAll("[^A-Za-z0-9]+", "-"), "[\"64\", \"32\"]", wrap);
                    s.install(TransactionListener.NONE);
                    byte[] installedBytes = s.bytes(FileCatalog.CATALOG_FILE);
                    CatalogImage installed = s.catalog.read();
                    assertThrows(RolledBackException.class, () -> s.uninstall(TransactionTest.failAt(point)));
                    CatalogImage after = s.catalog.read();
                    if (kind.equals("file catalog")) assertArrayEquals(installedBytes, s.bytes(FileCatalog.CATALOG_FILE));
                    assertTrue(CanonicalForm.same(installed, after), CanonicalForm.firstDifference(installed, after));
                    for (Bitness b : Bitness.values()) assertOursHave(after, s.manifest, b, INSPECTOR);
                }));
            }
        }
        return tests;
    }

    @Test
    void verifyReportsEntriesOfOursWhoseCategoriesDifferAndRepairSetsThem() {
        Setup s = setup("differ");
        s.install(TransactionListener.NONE);
        int firewall = LspCategory.LSP_FIREWALL.bit();
        var problems = CatalogChecks.check(s.catalog, s.catalog.read(), Optional.of(s.manifest.providerGuid()), OptionalInt.of(firewall));
        assertEquals(14, problems.size(), "7 entries of ours in each catalog");
        assertTrue(problems.stream().allMatch(p -> p.kind() == CatalogChecks.Kind.CATEGORIES_DIFFER), problems.toString());
        assertTrue(problems.getFirst().message().endsWith("has the LSP categories LSP_INSPECTOR; the manifest says LSP_FIREWALL"),
                problems.getFirst().message());
        Plan repair = new Transaction(s.catalog, Duration.ZERO, TransactionListener.NONE)
                .run(b -> CatalogChecks.repairPlan(s.catalog, b, Optional.of(s.manifest.providerGuid()), OptionalInt.of(firewall)));
        assertEquals(2, repair.steps().size(), "one step per catalog");
        for (Bitness b : Bitness.values()) assertOursHave(s.catalog.read(), s.manifest, b, firewall);
    }

    @Test
    void theLoadingRuleIsTheDocumentedOne() {
        int system = LspCategory.LSP_SYSTEM.bit(), firewall = LspCategory.LSP_FIREWALL.bit(), crypto = LspCategory.LSP_CRYPTO_COMPRESS.bit();
        // "Categorizing Layered Service Providers and Applications": Foo.exe loads only LSP1, Bar.exe only LSP3.
        OptionalInt foo = OptionalInt.of(system | firewall | crypto), bar = OptionalInt.of(firewall | crypto);
        int lsp1 = system, lsp2 = 0, lsp3 = firewall, lsp4 = system | firewall | crypto | INSPECTOR;
        assertEquals(List.of(true, false, false, false), List.of(LspCategory.loads(foo, lsp1), LspCategory.loads(foo, lsp2),
                LspCategory.loads(foo, lsp3), LspCategory.loads(foo, lsp4)));
        assertEquals(List.of(false, false, true, false), List.of(LspCategory.loads(bar, lsp1), LspCategory.loads(bar, lsp2),
                LspCategory.loads(bar, lsp3), LspCategory.loads(bar, lsp4)));
        assertTrue(LspCategory.loads(OptionalInt.empty(), 0), "an uncategorized application loads every LSP");
        assertFalse(LspCategory.loads(OptionalInt.of(firewall), INSPECTOR), "an application that permits no inspector");
    }

    // -------------------------------------------------------------------------------- applications

    static final AppId SCANNER = new AppId("/usr/bin/scanner");
    static final AppId SVCHOST = new AppId("%SystemRoot%\\system32\\svchost.exe", "-k netsvcs");

    @Test
    void permittedCategoriesAddUpAsWindowsOrsThemAndAreKeptByPathAndCommandLine() throws Exception {
        Setup s = setup("apps");
        assertEquals(OptionalInt.empty(), s.catalog.applicationCategories(SCANNER));
        s.permit(SCANNER, LspCategory.LSP_FIREWALL.bit(), TransactionListener.NONE);
        s.permit(SCANNER, INSPECTOR, TransactionListener.NONE);
        s.permit(SVCHOST, LspCategory.LSP_SYSTEM.bit(), TransactionListener.NONE);
        assertEquals(OptionalInt.of(LspCategory.LSP_FIREWALL.bit() | INSPECTOR), s.catalog.applicationCategories(SCANNER));
        assertEquals(OptionalInt.of(LspCategory.LSP_SYSTEM.bit()), s.catalog.applicationCategories(SVCHOST));
        assertEquals(OptionalInt.empty(), s.catalog.applicationCategories(new AppId(SVCHOST.path())), "another command line");
        assertEquals(Map.of(SCANNER, OptionalInt.of(LspCategory.LSP_FIREWALL.bit() | INSPECTOR), SVCHOST, OptionalInt.of(LspCategory.LSP_SYSTEM.bit())),
                s.catalog.read().applications());
        PlanException again = assertThrows(PlanException.class, () -> s.permit(SCANNER, INSPECTOR, TransactionListener.NONE));
        assertEquals(PlanException.Kind.REFUSED, again.kind());
    }

    @TestFactory
    List<DynamicTest> aFailureAtEveryPointOfAnApplicationChangeRestoresTheFileCatalog() throws Exception {
        Setup probe = setup("apps-probe");
        List<String> points = TransactionTest.pointsOf(probe.catalog, b -> probe.planner.applicationCategories(SCANNER, INSPECTOR, b));
        assertEquals(List.of("journal", "step 1", "verify", "commit"), points);
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean categorizedBefore : List.of(false, true)) {
            for (String point : points) {
                String name = "fails at " + point + (categorizedBefore ? ", already categorized" : ", not categorized");
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Setup s = setup(name.replaceAll("[^A-Za-z0-9]+", "-"));
                    if (categorizedBefore) s.permit(SCANNER, LspCategory.LSP_FIREWALL.bit(), TransactionListener.NONE);
                    byte[] apps = s.bytes(FileCatalog.APPLICATIONS_FILE);
                    byte[] catalog = s.bytes(FileCatalog.CATALOG_FILE);
                    assertThrows(RolledBackException.class, () -> s.permit(SCANNER, INSPECTOR, TransactionTest.failAt(point)));
                    assertArrayEquals(apps, s.bytes(FileCatalog.APPLICATIONS_FILE));
                    assertArrayEquals(catalog, s.bytes(FileCatalog.CATALOG_FILE));
                    assertFalse(new Journal(s.files.stateDir()).exists());
                }));
            }
        }
        return tests;
    }

    @Test
    void throughWscCallsAloneAnAddedCategoryCannotBeTakenBackAndTheJournalSaysSo() {
        Setup s = setup("apps-wsc", "[\"64\", \"32\"]", WscOnlyRollbackTest.WscOnly::new);
        CatalogException e = assertThrows(CatalogException.class, () -> s.permit(SCANNER, INSPECTOR, TransactionTest.failAt("verify")));
        assertFalse(e instanceof RolledBackException);
        assertTrue(e.getMessage().contains("cannot take back what application /usr/bin/scanner was permitted (it was not categorized, now"
                + " LSP_INSPECTOR): WSCSetApplicationCategory only adds categories"), e.getMessage());
        assertTrue(new Journal(s.files.stateDir()).exists(), "kept for `wsp4j rollback`, which restores the file catalog exactly");
        new Transaction(s.files, Duration.ZERO, TransactionListener.NONE).rollbackInterrupted();
        assertEquals(OptionalInt.empty(), s.files.applicationCategories(SCANNER));
        // Before the change is made, a failure changes nothing and needs nothing taken back.
        assertThrows(RolledBackException.class, () -> s.permit(SCANNER, INSPECTOR, TransactionTest.failAt("step 1")));
    }
}
