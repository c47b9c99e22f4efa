package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.winsock.ProtocolChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class TransactionTest {
    @TempDir
    Path tmp;

    static final class InjectedFailure extends RuntimeException {
        InjectedFailure(String point) {
            super("injected failure at " + point);
        }
    }

    static TransactionListener failAt(String point) {
        return new TransactionListener() {
            @Override
            public void reached(String p) {
                if (p.equals(point)) throw new InjectedFailure(p);
            }
        };
    }

    /** Records every point the transaction passes, to enumerate where failures can be injected. */
    static List<String> pointsOf(Catalog catalog, java.util.function.Function<CatalogImage, Plan> planner) {
        List<String> points = new ArrayList<>();
        new Transaction(catalog, Duration.ZERO, new TransactionListener() {
            @Override
            public void reached(String p) {
                points.add(p);
            }
        }).run(planner);
        return points;
    }

    record Fixture(FileCatalog catalog, ProviderManifest manifest, Planner planner) {
        byte[] catalogBytes() throws Exception {
            return Files.readAllBytes(catalog.stateDir().resolve(FileCatalog.CATALOG_FILE));
        }

        Plan install(TransactionListener l) {
            return new Transaction(catalog, Duration.ZERO, l).run(before -> planner.install(manifest, before));
        }

        Plan uninstall(TransactionListener l, boolean force) {
            return new Transaction(catalog, Duration.ZERO, l).run(before -> planner.uninstall(manifest.providerGuid(), force, before));
        }
    }

    Fixture fixture(String name) {
        TestProvider p = TestProvider.create(tmp.resolve(name + "-provider"));
        FileCatalog c = FileCatalog.open(tmp.resolve(name + "-catalog"));
        return new Fixture(c, p.manifest(), new Planner(c, PathExpander.systemDefault()));
    }

    @Test
    void installThenUninstallLeavesTheCatalogByteIdentical() throws Exception {
        Fixture f = fixture("roundtrip");
        byte[] before = f.catalogBytes();
        f.install(TransactionListener.NONE);
        CatalogImage installed = f.catalog.read();
        for (Bitness b : Bitness.values()) {
            OurEntries ours = OurEntries.find(installed, b, f.manifest.providerGuid());
            assertTrue(ours.installed());
            assertEquals(6, ours.chains().size(), "TCP, UDP, RAW over IPv4 and IPv6");
            List<Integer> top = installed.order(b).subList(0, 6);
            assertEquals(ours.chains().stream().map(x -> x.info().catalogEntryId()).toList(), top, "our chains come first");
            assertTrue(ours.layered().get().isHidden());
            for (ProtocolEntry c : ours.chains()) {
                assertEquals(ours.layered().get().info().catalogEntryId(), c.chain().getFirst());
                assertTrue(installed.byId(b, c.chain().get(1)).orElseThrow().isBase());
                assertEquals(b == Bitness.X86 ? f.manifest.shimPath32().get() : f.manifest.shimPath(), c.path());
            }
        }
        String config = new String(f.catalog.shimConfig().read().orElseThrow());
        assertTrue(config.contains("\nentry_class=io.wsp4j.provider.ShimEntry\n"), config);
        assertTrue(config.contains("\njvm_option=-Dwsp4j.provider=io.wsp4j.provider.sample.AccountingProvider\n"), config);
        assertTrue(config.contains("\njvm_option=-Dwsp4j.provider.guid=" + TestProvider.GUID + "\n"), config);
        assertTrue(config.contains("\njvm_option=-Xrs\n") && config.contains("\njvm_option=--enable-native-access=ALL-UNNAMED\n"), config);
        assertTrue(config.contains("\nfail_policy=pass-through\n") && config.contains("\njvm_option=-Xmx32m\n"), config);
        // Only the shim's keys (it discards a file with any other), single-valued ones once.
        java.util.Map<String, Long> keys = config.lines().filter(l -> !l.startsWith("#"))
                .collect(java.util.stream.Collectors.groupingBy(l -> l.substring(0, l.indexOf('=')), java.util.stream.Collectors.counting()));
        assertTrue(java.util.Set.of("jvm", "classpath", "jvm_option", "entry_class", "allow", "fail_policy", "lower_provider", "log")
                .containsAll(keys.keySet()), keys.toString());
        keys.forEach((k, n) -> assertTrue(n == 1 || k.equals("jvm_option") || k.equals("allow"), k + " x" + n));
        assertEquals(System.getProperty("java.home") + "/bin/java", config.lines().filter(l -> l.startsWith("jvm=")).findFirst().orElseThrow().substring(4));
        assertTrue(CatalogChecks.check(f.catalog, installed, Optional.of(f.manifest.providerGuid())).isEmpty());

        f.uninstall(TransactionListener.NONE, false);
        assertArrayEquals(before, f.catalogBytes());
        assertTrue(f.catalog.shimConfig().read().isEmpty());
        assertFalse(new Journal(f.catalog.stateDir()).exists());
    }

    @Test
    void installingTwiceIsRefusedAndChangesNothing() throws Exception {
        Fixture f = fixture("twice");
        f.install(TransactionListener.NONE);
        byte[] installed = f.catalogBytes();
        PlanException e = assertThrows(PlanException.class, () -> f.install(TransactionListener.NONE));
        assertEquals(PlanException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("already installed"), e.getMessage());
        assertArrayEquals(installed, f.catalogBytes());
    }

    @TestFactory
    List<DynamicTest> aFailureAtEveryPointOfAnInstallRollsBackToTheBeforeImage() {
        Fixture probe = fixture("probe-install");
        List<String> points = pointsOf(probe.catalog, before -> probe.planner.install(probe.manifest, before));
        assertEquals(List.of("journal", "step 1", "step 2", "verify", "commit"), points,
                "journal, WSCInstallProviderAndChains64_32, the shim config, verify, commit");
        List<DynamicTest> tests = new ArrayList<>();
        for (String point : points) {
            tests.add(DynamicTest.dynamicTest("install fails at " + point, () -> {
                Fixture f = fixture("install-" + point.replace(' ', '-'));
                byte[] before = f.catalogBytes();
                RolledBackException e = assertThrows(RolledBackException.class, () -> f.install(failAt(point)));
                assertInstanceOf(InjectedFailure.class, e.getCause());
                assertArrayEquals(before, f.catalogBytes(), "catalog back to its before-image");
                assertTrue(f.catalog.shimConfig().read().isEmpty(), "no shim config left");
                assertFalse(new Journal(f.catalog.stateDir()).exists(), "journal removed after the rollback");
                f.install(TransactionListener.NONE); // and the catalog is still good to use
            }));
        }
        return tests;
    }

    /** The 64-bit catalog alone is installed entry by entry (WSCInstallProvider), each entry a step of its own. */
    @TestFactory
    List<DynamicTest> aFailureAtEveryPointOfA64BitOnlyInstallRollsBackToTheBeforeImage() {
        java.util.function.Function<String, Fixture> only64 = name -> {
            TestProvider p = TestProvider.create(tmp.resolve(name + "-provider"), TestProvider.GUID, "test lsp", "[\"64\"]");
            FileCatalog c = FileCatalog.open(tmp.resolve(name + "-catalog"));
            return new Fixture(c, p.manifest(), new Planner(c, PathExpander.systemDefault()));
        };
        Fixture probe = only64.apply("probe-64");
        List<String> points = pointsOf(probe.catalog, before -> probe.planner.install(probe.manifest, before));
        assertEquals(12, points.size(), "journal, the hidden entry, 6 chains, the order, the shim config, verify, commit: " + points);
        List<DynamicTest> tests = new ArrayList<>();
        for (String point : points) {
            tests.add(DynamicTest.dynamicTest("64-bit install fails at " + point, () -> {
                Fixture f = only64.apply("install64-" + point.replace(' ', '-'));
                byte[] before = f.catalogBytes();
                assertThrows(RolledBackException.class, () -> f.install(failAt(point)));
                assertArrayEquals(before, f.catalogBytes());
                f.install(TransactionListener.NONE);
                CatalogImage installed = f.catalog.read();
                assertEquals(6, OurEntries.find(installed, Bitness.X64, f.manifest.providerGuid()).chains().size());
                assertFalse(OurEntries.find(installed, Bitness.X86, f.manifest.providerGuid()).installed());
                f.uninstall(TransactionListener.NONE, false);
                assertArrayEquals(before, f.catalogBytes());
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> aFailureAtEveryPointOfAnUninstallRollsBackToTheInstalledState() {
        Fixture probe = fixture("probe-uninstall");
        probe.install(TransactionListener.NONE);
        List<String> points = pointsOf(probe.catalog, before -> probe.planner.uninstall(probe.manifest.providerGuid(), false, before));
        assertTrue(points.size() >= 16, points.toString());
        List<DynamicTest> tests = new ArrayList<>();
        for (String point : points) {
            tests.add(DynamicTest.dynamicTest("uninstall fails at " + point, () -> {
                Fixture f = fixture("uninstall-" + point.replace(' ', '-'));
                f.install(TransactionListener.NONE);
                byte[] installed = f.catalogBytes();
                byte[] config = f.catalog.shimConfig().read().orElseThrow();
                assertThrows(RolledBackException.class, () -> f.uninstall(failAt(point), false));
                assertArrayEquals(installed, f.catalogBytes());
                assertArrayEquals(config, f.catalog.shimConfig().read().orElseThrow());
                assertFalse(new Journal(f.catalog.stateDir()).exists());
            }));
        }
        return tests;
    }

    @Test
    void aJournalLeftBehindBlocksNewTransactionsUntilRollbackRestoresTheBeforeImage() throws Exception {
        Fixture f = fixture("left-behind");
        byte[] before = f.catalogBytes();
        // The step fails and so does the rollback (as if the process died in between): the journal stays.
        TransactionListener crash = TransactionListener.both(failAt("step 2"), failAt("rollback"));
        CatalogException e = assertThrows(CatalogException.class, () -> f.install(crash));
        assertFalse(e instanceof RolledBackException);
        assertTrue(e.getMessage().contains("wsp4j rollback"), e.getMessage());
        assertTrue(new Journal(f.catalog.stateDir()).exists());
        assertFalse(java.util.Arrays.equals(before, f.catalogBytes()), "the catalog is half-changed");

        assertThrows(InterruptedTransactionException.class, () -> f.install(TransactionListener.NONE));

        Optional<Journal.Entry> done = new Transaction(f.catalog, Duration.ZERO, TransactionListener.NONE).rollbackInterrupted().journal();
        assertEquals("install", done.orElseThrow().operation());
        assertArrayEquals(before, f.catalogBytes());
        assertTrue(f.catalog.shimConfig().read().isEmpty());
        assertTrue(new Transaction(f.catalog, Duration.ZERO, TransactionListener.NONE).rollbackInterrupted().journal().isEmpty());
    }

    @Test
    void aSecondInstallerFailsCleanlyWhileTheFirstHoldsTheCatalogThenSeesItsResult() throws Exception {
        Fixture f = fixture("concurrent");
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        TransactionListener slow = new TransactionListener() {
            @Override
            public void reached(String p) {
                if (!p.equals("step 2")) return;
                inside.countDown();
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Plan> first = pool.submit(() -> f.install(slow));
            assertTrue(inside.await(30, TimeUnit.SECONDS));
            CatalogBusyException busy = assertThrows(CatalogBusyException.class,
                    () -> new Transaction(f.catalog, Duration.ofMillis(200), TransactionListener.NONE)
                            .run(before -> f.planner.install(f.manifest, before)));
            assertTrue(busy.getMessage().contains("another installer"), busy.getMessage());
            // A waiting installer gets the lock once the first commits, and sees the result.
            Future<Throwable> second = Executors.newSingleThreadExecutor().submit(() -> {
                try {
                    new Transaction(f.catalog, Duration.ofSeconds(30), TransactionListener.NONE).run(before -> f.planner.install(f.manifest, before));
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            Throwable t = second.get(30, TimeUnit.SECONDS);
            assertInstanceOf(PlanException.class, t);
            assertTrue(CatalogChecks.check(f.catalog, f.catalog.read(), Optional.of(f.manifest.providerGuid())).isEmpty());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void uninstallRefusesWhenAnotherLspIsLayeredOverOursAndForceRechainsIt() throws Exception {
        Fixture f = fixture("dependants");
        f.install(TransactionListener.NONE);
        CatalogImage installed = f.catalog.read();
        OurEntries ours = OurEntries.find(installed, Bitness.X64, f.manifest.providerGuid());
        int ourLayered = ours.layered().get().info().catalogEntryId();
        ProtocolEntry ourTcpChain = ours.chains().getFirst();

        UUID theirLayered = UUID.randomUUID(), theirChain = UUID.randomUUID();
        f.catalog.installProvider(Bitness.X64, theirLayered, "/opt/other/lsp.dll",
                List.of(new ProtocolEntry(ours.layered().get().info().withProviderId(theirLayered).withProtocolName("other lsp"),
                        "/opt/other/lsp.dll")));
        int theirId = f.catalog.read().byProvider(Bitness.X64, theirLayered).getFirst().info().catalogEntryId();
        List<Integer> chain = new ArrayList<>(List.of(theirId));
        chain.addAll(ourTcpChain.chain());
        f.catalog.installProvider(Bitness.X64, theirChain, "/opt/other/lsp.dll",
                List.of(new ProtocolEntry(ourTcpChain.info().withProviderId(theirChain).withProtocolName("other lsp over [wsp4j]")
                        .withChain(ProtocolChain.of(chain)),
                        "/opt/other/lsp.dll")));
        byte[] withOther = f.catalogBytes();

        PlanException refused = assertThrows(PlanException.class, () -> f.uninstall(TransactionListener.NONE, false));
        assertEquals(PlanException.Kind.REFUSED, refused.kind());
        assertTrue(refused.getMessage().contains("\"other lsp over [wsp4j]\""), refused.getMessage());
        assertArrayEquals(withOther, f.catalogBytes());

        Plan plan = f.uninstall(TransactionListener.NONE, true);
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("re-chained \"other lsp over [wsp4j]\"")), plan.notes().toString());
        CatalogImage after = f.catalog.read();
        ProtocolEntry rechained = after.byProvider(Bitness.X64, theirChain).getFirst();
        assertEquals(List.of(theirId, ourTcpChain.chain().get(1)), rechained.chain());
        assertFalse(OurEntries.find(after, Bitness.X64, f.manifest.providerGuid()).installed());
        assertTrue(CatalogChecks.check(f.catalog, after, Optional.empty()).stream()
                .noneMatch(p -> p.kind() == CatalogChecks.Kind.DANGLING_CHAIN), "no chain points at our removed ids");
    }

    @Test
    void aSelectorThatMatchesNothingIsBadInput() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("nomatch"));
        String json = p.json().replace("\"allow\"", "\"layerOver\": [{\"addressFamily\": \"AF_BTH\"}],\n  \"allow\"");
        Files.writeString(p.manifestFile(), json);
        FileCatalog c = FileCatalog.open(tmp.resolve("nomatch-catalog"));
        PlanException e = assertThrows(PlanException.class,
                () -> new Planner(c, PathExpander.systemDefault()).install(p.manifest(), c.read()));
        assertEquals(PlanException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("layerOver[0] (AF_BTH) matches no base provider"), e.getMessage());
    }

    @Test
    void aShimInADirectoryOthersCanWriteIsRefused() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("unsafe"));
        Files.setPosixFilePermissions(p.dir().resolve("bin"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        FileCatalog c = FileCatalog.open(tmp.resolve("unsafe-catalog"));
        PlanException e = assertThrows(PlanException.class,
                () -> new Planner(c, PathExpander.systemDefault()).install(p.manifest(), c.read()));
        assertEquals(PlanException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("writable by its group or by others"), e.getMessage());
    }

    @Test
    void snapshotsRestoreAsATransaction() throws Exception {
        Fixture f = fixture("snapshot");
        byte[] before = f.catalogBytes();
        Snapshots s = new Snapshots(f.catalog.stateDir());
        s.save("clean", f.catalog.read(), f.catalog.shimConfig().read(), Optional.empty());
        f.install(TransactionListener.NONE);
        Snapshots.Snapshot clean = s.load("clean").orElseThrow();
        new Transaction(f.catalog, Duration.ZERO, TransactionListener.NONE).restoreImage(clean.image(), clean.shimConfig(), clean.installedFiles());
        assertArrayEquals(before, f.catalogBytes());
        assertTrue(f.catalog.shimConfig().read().isEmpty());
        assertEquals(List.of("clean"), s.names());
    }

    @Test
    void verifyFindsDanglingChainsAndOrphansAndRepairRemovesThem() throws Exception {
        FileCatalog c = FileCatalog.open(tmp.resolve("broken"));
        String dll = Files.writeString(tmp.resolve("lsp.dll"), "dll").toString();
        ProtocolEntry tcp = c.read().entries(Bitness.X64).getFirst();
        UUID orphan = UUID.randomUUID(), dangling = UUID.randomUUID();
        c.installProvider(Bitness.X64, orphan, dll, List.of(tcp.withInfo(tcp.info().withChain(ProtocolChain.layered()).withSocket(0, 0))));
        c.installProvider(Bitness.X64, dangling, dll, List.of(tcp.withChain(ProtocolChain.of(List.of(1013, 1001)))));
        c.deinstallProvider(Bitness.X64, orphan); // now 1013 is gone: the chain dangles
        c.installProvider(Bitness.X64, orphan, dll, List.of(tcp.withInfo(tcp.info().withChain(ProtocolChain.layered()).withSocket(0, 0))));
        var problems = CatalogChecks.check(c, c.read(), Optional.empty());
        assertEquals(List.of(CatalogChecks.Kind.DANGLING_CHAIN, CatalogChecks.Kind.ORPHANED_LAYERED_ENTRY),
                problems.stream().map(CatalogChecks.Problem::kind).toList());

        new Transaction(c, Duration.ZERO, TransactionListener.NONE).run(before -> CatalogChecks.repairPlan(c, before, Optional.empty()));
        assertEquals(List.of(), CatalogChecks.check(c, c.read(), Optional.empty()));
        assertTrue(CanonicalForm.same(StockCatalog.image(), c.read()));
    }

    @Test
    void simulationPredictsTheFileCatalogExactly() {
        Fixture f = fixture("simulate");
        Plan plan = f.planner.install(f.manifest, f.catalog.read());
        CatalogImage predicted = plan.simulate(Map.of());
        f.install(TransactionListener.NONE);
        assertEquals(predicted, f.catalog.read());
    }
}
