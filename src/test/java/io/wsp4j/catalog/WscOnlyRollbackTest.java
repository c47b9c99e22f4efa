package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Windows catalog's rollback, on Linux: a catalog that offers only the WSC* operations a 64-bit
 * process has on Windows (no install into the 32-bit catalog alone) and restores through
 * {@link Reconciler}, driven by the same transactions.
 * A failure at every point of an install and of an uninstall leaves a catalog equal to the
 * before-image (ids of re-created entries may differ, as they would on Windows).
 */
@EnabledOnOs(OS.LINUX)
class WscOnlyRollbackTest {
    @TempDir
    Path tmp;

    /** The file catalog's WSC* operations, but no wholesale restore. */
    record WscOnly(FileCatalog files) implements Catalog {
        public String describe() { return "WSC-only " + files.describe(); }
        public Set<Bitness> bitnesses() { return files.bitnesses(); }
        public Path stateDir() { return files.stateDir(); }
        public CatalogImage read() { return files.read(); }
        public void installProvider(Bitness b, UUID g, String p, List<ProtocolEntry> e) {
            if (!installsInto32BitAlone() && b == Bitness.X86) throw new CatalogException("no WSCInstallProvider64_32 since Vista", CatalogModel.WSAEINVAL);
            files.installProvider(b, g, p, e);
        }
        public void installProviderAndChains(UUID g, String p64, String p32, String n, int f, List<ProtocolEntry> ps) {
            files.installProviderAndChains(g, p64, p32, n, f, ps);
        }
        /** As a 64-bit process on Windows: no way into the 32-bit catalog alone. */
        public boolean installsInto32BitAlone() { return false; }
        public void writeOrder(Bitness b, List<Integer> o) { files.writeOrder(b, o); }
        public void updateProvider(Bitness b, UUID g, String p, List<ProtocolEntry> e) { files.updateProvider(b, g, p, e); }
        public void deinstallProvider(Bitness b, UUID g) { files.deinstallProvider(b, g); }
        public void setProviderCategories(Bitness b, UUID g, int c) { files.setProviderCategories(b, g, c); }
        public java.util.OptionalInt applicationCategories(AppId a) { return files.applicationCategories(a); }
        public void setApplicationCategories(AppId a, int p) { files.setApplicationCategories(a, p); }
        public void restore(CatalogImage image) { Reconciler.restore(this, image); }
        public CatalogLock lock(Duration wait) { return files.lock(wait); }
        public ShimConfigStore shimConfig() { return files.shimConfig(); }
        public boolean providerFileExists(String path) { return files.providerFileExists(path); }
        public void checkWriteAccess() { files.checkWriteAccess(); }
        public boolean requiresProviderFiles() { return files.requiresProviderFiles(); }
        public FileRemoval removeProviderFile(Path file) { return files.removeProviderFile(file); }
    }

    record Setup(WscOnly catalog, Planner planner, io.wsp4j.manifest.ProviderManifest manifest) {}

    Setup setup(String name) {
        TestProvider p = TestProvider.create(tmp.resolve(name + "-p"));
        WscOnly c = new WscOnly(FileCatalog.open(tmp.resolve(name)));
        return new Setup(c, new Planner(c, PathExpander.systemDefault()), p.manifest());
    }

    static List<String> points(Setup s, java.util.function.Function<CatalogImage, Plan> plan) {
        List<String> points = new ArrayList<>();
        new Transaction(s.catalog, Duration.ZERO, new TransactionListener() {
            @Override
            public void reached(String p) {
                points.add(p);
            }
        }).run(plan);
        return points;
    }

    @TestFactory
    List<DynamicTest> installRollsBackThroughWscCalls() {
        Setup probe = setup("probe-i");
        List<String> points = points(probe, before -> probe.planner.install(probe.manifest, before));
        return points.stream().map(point -> DynamicTest.dynamicTest("install fails at " + point, () -> {
            Setup s = setup("i-" + point.replace(' ', '-'));
            CatalogImage before = s.catalog.read();
            assertThrows(RolledBackException.class, () -> new Transaction(s.catalog, Duration.ZERO, TransactionTest.failAt(point))
                    .run(b -> s.planner.install(s.manifest, b)));
            assertTrue(CanonicalForm.same(before, s.catalog.read()), CanonicalForm.firstDifference(before, s.catalog.read()));
            assertTrue(s.catalog.shimConfig().read().isEmpty());
        })).toList();
    }

    @TestFactory
    List<DynamicTest> uninstallRollsBackThroughWscCallsReCreatingRemovedEntries() {
        Setup probe = setup("probe-u");
        new Transaction(probe.catalog, Duration.ZERO, TransactionListener.NONE).run(b -> probe.planner.install(probe.manifest, b));
        List<String> points = points(probe, before -> probe.planner.uninstall(probe.manifest.providerGuid(), false, before));
        return points.stream().map(point -> DynamicTest.dynamicTest("uninstall fails at " + point, () -> {
            Setup s = setup("u-" + point.replace(' ', '-'));
            new Transaction(s.catalog, Duration.ZERO, TransactionListener.NONE).run(b -> s.planner.install(s.manifest, b));
            CatalogImage installed = s.catalog.read();
            assertThrows(RolledBackException.class, () -> new Transaction(s.catalog, Duration.ZERO, TransactionTest.failAt(point))
                    .run(b -> s.planner.uninstall(s.manifest.providerGuid(), false, b)));
            CatalogImage after = s.catalog.read();
            assertTrue(CanonicalForm.same(installed, after), CanonicalForm.firstDifference(installed, after));
            // Entries removed before the failure came back under new ids, and the chains follow them.
            for (Bitness b : Bitness.values()) {
                OurEntries ours = OurEntries.find(after, b, s.manifest.providerGuid());
                assertEquals(6, ours.chains().size());
                assertEquals(ours.chains().stream().map(x -> x.info().catalogEntryId()).toList(), after.order(b).subList(0, 6));
            }
            var problems = CatalogChecks.check(s.catalog, after, java.util.Optional.of(s.manifest.providerGuid()));
            assertTrue(problems.isEmpty(), problems.toString());
        })).toList();
    }
}
