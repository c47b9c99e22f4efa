package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.winsock.ProtocolChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another LSP installed over ours the way Microsoft's installer does it ({@link ForeignLsp}): its
 * chains name our chain entries' ids, never our hidden entry's. Uninstall must see it as a
 * dependant: refuse, or with --force re-chain it past ours, as one journaled transaction.
 */
@EnabledOnOs(OS.LINUX)
class DependantLspTest {
    static final String FOREIGN_DLL = "%SystemRoot%\\system32\\otherlsp.dll";

    @TempDir
    Path tmp;

    record Setup(Catalog catalog, ProviderManifest manifest, Planner planner, List<ForeignLsp> foreign) {
        byte[] catalogBytes() throws Exception {
            return Files.readAllBytes(catalog.stateDir().resolve(FileCatalog.CATALOG_FILE));
        }

        Plan uninstall(TransactionListener l, boolean force) {
            return new Transaction(catalog, Duration.ZERO, l).run(b -> planner.uninstall(manifest.providerGuid(), force, b));
        }
    }

    /** Ours installed in both catalogs, then a foreign LSP over our TCP/IPv4 and UDP/IPv4 chains in each. */
    Setup setup(String name, java.util.function.Function<FileCatalog, Catalog> wrap) {
        TestProvider p = TestProvider.create(tmp.resolve(name + "-p"));
        FileCatalog files = FileCatalog.open(tmp.resolve(name));
        Catalog c = wrap.apply(files);
        Planner planner = new Planner(c, PathExpander.systemDefault());
        ProviderManifest m = p.manifest();
        new Transaction(c, Duration.ZERO, TransactionListener.NONE).run(b -> planner.install(m, b));
        List<ForeignLsp> foreign = new ArrayList<>();
        for (Bitness b : Bitness.values()) {
            OurEntries ours = OurEntries.find(c.read(), b, m.providerGuid());
            List<Integer> targets = ours.chains().stream().filter(e -> e.info().addressFamily() == Protocols.AF_INET
                    && e.info().socketType() != Protocols.SOCK_RAW).map(e -> e.info().catalogEntryId()).toList();
            assertEquals(2, targets.size());
            // Through the catalog's own calls: a 32-bit installer may write the 32-bit catalog alone.
            foreign.add(ForeignLsp.install(files, b, "other lsp", FOREIGN_DLL, targets));
        }
        return new Setup(c, m, planner, foreign);
    }

    Setup setup(String name) {
        return setup(name, f -> f);
    }

    @Test
    void theForeignInstallerNamesOurChainEntriesNotOurHiddenEntry() {
        Setup s = setup("shape");
        CatalogImage image = s.catalog.read();
        for (ForeignLsp f : s.foreign) {
            OurEntries ours = OurEntries.find(image, f.catalog(), s.manifest.providerGuid());
            int ourHidden = ours.layered().orElseThrow().info().catalogEntryId();
            for (ProtocolEntry e : f.chains(image)) {
                assertEquals(3, e.chain().size(), e.chain().toString());
                assertEquals(f.hiddenId(image), e.chain().getFirst());
                ProtocolEntry below = image.byId(f.catalog(), e.chain().get(1)).orElseThrow();
                assertEquals(ourHidden, below.chain().getFirst(), "the second id is one of our chain entries");
                assertFalse(e.chain().contains(ourHidden));
            }
            assertEquals(f.chains(image).stream().map(x -> x.info().catalogEntryId()).toList(),
                    image.order(f.catalog()).subList(0, 2), "its chains come first");
        }
    }

    @Test
    void ourEntriesFindsThemAsDependants() {
        Setup s = setup("found");
        CatalogImage image = s.catalog.read();
        for (ForeignLsp f : s.foreign) {
            OurEntries ours = OurEntries.find(image, f.catalog(), s.manifest.providerGuid());
            assertEquals(f.chains(image), ours.dependants());
        }
    }

    @Test
    void uninstallRefusesAndNamesThemChangingNothing() throws Exception {
        Setup s = setup("refused");
        byte[] before = s.catalogBytes();
        PlanException e = assertThrows(PlanException.class, () -> s.uninstall(TransactionListener.NONE, false));
        assertEquals(PlanException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("\"other lsp over [test lsp over [MSAFD Tcpip [TCP/IP]]]\""), e.getMessage());
        assertArrayEquals(before, s.catalogBytes());
        assertTrue(s.catalog.shimConfig().read().isPresent());
    }

    @Test
    void forceRechainsThemPastOursAndSaysSo() {
        Setup s = setup("forced");
        CatalogImage before = s.catalog.read();
        Plan plan = s.uninstall(TransactionListener.NONE, true);
        CatalogImage after = s.catalog.read();
        for (ForeignLsp f : s.foreign) {
            Bitness b = f.catalog();
            List<ProtocolEntry> was = f.chains(before);
            List<ProtocolEntry> now = f.chains(after);
            assertEquals(2, now.size());
            for (int i = 0; i < 2; i++) {
                List<Integer> oldChain = was.get(i).chain();
                assertEquals(List.of(oldChain.get(0), oldChain.get(2)), now.get(i).chain(), "their hidden entry, then the base entry");
                String note = "re-chained \"" + was.get(i).info().protocolName() + "\" (" + b.label() + "-bit id "
                        + was.get(i).info().catalogEntryId() + ") from " + oldChain + " to " + now.get(i).chain();
                assertTrue(plan.notes().stream().anyMatch(n -> n.contains(note)), note + " in " + plan.notes());
            }
            assertEquals(now.stream().map(x -> x.info().catalogEntryId()).toList(), after.order(b).subList(0, 2), "still first");
            assertFalse(OurEntries.find(after, b, s.manifest.providerGuid()).installed());
        }
        var problems = CatalogChecks.check(s.catalog, after, Optional.empty());
        assertEquals(List.of(), problems.stream().filter(p -> !p.kind().equals(CatalogChecks.Kind.MISSING_DLL)).toList());
    }

    @TestFactory
    List<DynamicTest> aFailureAtEveryPointOfAForcedUninstallRestoresTheBytes() {
        Setup probe = setup("probe");
        List<String> points = TransactionTest.pointsOf(probe.catalog, b -> probe.planner.uninstall(probe.manifest.providerGuid(), true, b));
        assertTrue(points.containsAll(List.of("journal", "step 1", "step 4", "verify", "commit")), points.toString());
        List<DynamicTest> tests = new ArrayList<>();
        for (String point : points) {
            tests.add(DynamicTest.dynamicTest("forced uninstall fails at " + point, () -> {
                Setup s = setup("fail-" + point.replace(' ', '-'));
                byte[] before = s.catalogBytes();
                byte[] config = s.catalog.shimConfig().read().orElseThrow();
                assertThrows(RolledBackException.class, () -> s.uninstall(TransactionTest.failAt(point), true));
                assertArrayEquals(before, s.catalogBytes());
                assertArrayEquals(config, s.catalog.shimConfig().read().orElseThrow());
                assertFalse(new Journal(s.catalog.stateDir()).exists());
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> aForcedUninstallRollsBackThroughWscCallsAlone() {
        Setup probe = setup("wsc-probe", WscOnlyRollbackTest.WscOnly::new);
        List<String> points = TransactionTest.pointsOf(probe.catalog, b -> probe.planner.uninstall(probe.manifest.providerGuid(), true, b));
        List<DynamicTest> tests = new ArrayList<>();
        for (String point : points) {
            tests.add(DynamicTest.dynamicTest("forced uninstall fails at " + point, () -> {
                Setup s = setup("wsc-" + point.replace(' ', '-'), WscOnlyRollbackTest.WscOnly::new);
                CatalogImage before = s.catalog.read();
                assertThrows(RolledBackException.class, () -> s.uninstall(TransactionTest.failAt(point), true));
                CatalogImage after = s.catalog.read();
                assertTrue(CanonicalForm.same(before, after), CanonicalForm.firstDifference(before, after));
            }));
        }
        return tests;
    }

    @Test
    void aDependantLeftWithNothingBelowItIsRemovedAndSaidSo() {
        Setup s = setup("removed");
        // A hand-made chain that ends at our chain entry: without ours it would layer over nothing.
        CatalogImage image = s.catalog.read();
        OurEntries ours = OurEntries.find(image, Bitness.X64, s.manifest.providerGuid());
        ProtocolEntry ourTcp = ours.chains().getFirst();
        ForeignLsp f = s.foreign.getFirst();
        UUID stub = UUID.randomUUID();
        s.catalog.installProvider(Bitness.X64, stub, FOREIGN_DLL, List.of(ourTcp.withInfo(ourTcp.info().withProtocolName("stub chain")
                .withChain(ProtocolChain.of(List.of(f.hiddenId(image), ourTcp.info().catalogEntryId()))))));
        Plan plan = s.uninstall(TransactionListener.NONE, true);
        CatalogImage after = s.catalog.read();
        assertTrue(after.byProvider(Bitness.X64, stub).isEmpty());
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("removed \"stub chain\"") && n.contains(Guids.format(stub))),
                plan.notes().toString());
        assertEquals(2, f.chains(after).size(), "the re-chainable ones stay");
    }

    @Test
    void verifyAcceptsTheDependantsAboveOurChains() {
        Setup s = setup("ontop");
        var problems = CatalogChecks.check(s.catalog, s.catalog.read(), Optional.of(s.manifest.providerGuid()));
        assertTrue(problems.stream().noneMatch(p -> p.kind() == CatalogChecks.Kind.NOT_ON_TOP), problems.toString());
    }

    @Test
    void everyIdOfOursIsKnown() {
        Setup s = setup("ids");
        CatalogImage image = s.catalog.read();
        OurEntries ours = OurEntries.find(image, Bitness.X64, s.manifest.providerGuid());
        Set<Integer> expected = new HashSet<>();
        expected.add(ours.layered().orElseThrow().info().catalogEntryId());
        ours.chains().forEach(c -> expected.add(c.info().catalogEntryId()));
        assertEquals(expected, ours.ids());
    }
}
