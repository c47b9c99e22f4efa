package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.Journal;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.selftest.ChildReport;
import io.wsp4j.catalog.FreshCatalogReader;
import io.wsp4j.selftest.Installer;
import io.wsp4j.selftest.Selftest;
import io.wsp4j.selftest.SelftestListener;
import io.wsp4j.selftest.SelftestPlatform;
import io.wsp4j.selftest.SelftestReport;
import io.wsp4j.selftest.StepResult;
import io.wsp4j.selftest.host.HostSelftestPlatform;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures injected into the selftest on the Linux host: every one ends with the install rolled back,
 * the catalog byte for byte as before and the report saying what was done (exit 4), whether a check
 * fails, a step throws, the uninstall itself fails (the snapshot restores it) or the install is killed
 * half-way (its journal restores it).
 */
@EnabledOnOs(OS.LINUX)
class SelftestRollbackTest {
    @TempDir Path tmp;
    Path catalogDir;
    byte[] before;
    ProviderManifest manifest;

    @BeforeEach
    void seed() throws Exception {
        catalogDir = Files.createDirectories(tmp.resolve("catalog")); // empty: seeded on first use
        assertEquals(0, Cli.run("list", "--catalog", catalogDir.toString()).code());
        before = Files.readAllBytes(catalogDir.resolve(FileCatalog.CATALOG_FILE));
        manifest = ManifestParser.parse(SelftestCommandTest.MANIFEST);
    }

    /** The real Linux platform, with the failures a test injects in place of some of its programs. */
    static class InjectedFailures implements SelftestPlatform {
        final HostSelftestPlatform real;
        ChildReport traffic;
        RuntimeException untargeted;

        InjectedFailures(HostSelftestPlatform real) {
            this.real = real;
        }

        @Override public String describe() { return "injected failures over " + real.describe(); }
        @Override public Catalog catalog() { return real.catalog(); }
        @Override public List<String> catalogArguments() { return real.catalogArguments(); }
        @Override public FreshCatalogReader freshCatalog() { return real.freshCatalog(); }
        @Override public byte[] catalogBytes(CatalogImage fresh) throws java.io.IOException { return real.catalogBytes(fresh); }
        @Override public Set<Bitness> loadedHere() { return real.loadedHere(); }
        @Override public boolean windowsPaths() { return real.windowsPaths(); }
        @Override public List<String> unsuitable(ProviderManifest m) { return real.unsuitable(m); }
        @Override public Optional<String> noThirtyTwoBit() { return real.noThirtyTwoBit(); }
        @Override public UntargetedRun thirtyTwoBit(Path w, ProviderManifest m) { return real.thirtyTwoBit(w, m); }

        @Override
        public ChildReport targetedTraffic(Path w, ProviderManifest m, Path log) {
            return traffic != null ? traffic : real.targetedTraffic(w, m, log);
        }

        @Override
        public UntargetedRun untargeted(Path w, ProviderManifest m) {
            if (untargeted != null) throw untargeted;
            return real.untargeted(w, m);
        }
    }

    /** The CLI's installer, with one command made to fail (or crash) as a test asks. */
    class FlakyInstaller implements Installer {
        final SubcommandInstaller real = new SubcommandInstaller(SelftestCommandTest.MANIFEST, List.of("--catalog", catalogDir.toString()));
        int uninstallFailures;
        boolean killInstallHalfWay;

        @Override
        public Result install() {
            return killInstallHalfWay ? killedInstall() : real.install();
        }

        @Override
        public Result uninstall() {
            if (uninstallFailures-- > 0) return new Result(ExitCodes.FAILURE, List.of("injected: the uninstall failed and changed nothing"));
            return real.uninstall();
        }

        @Override public Result rollbackJournal() { return real.rollbackJournal(); }
        @Override public Result restoreSnapshot(String name) { return real.restoreSnapshot(name); }

        /** A real install in a child JVM, killed (SIGKILL) in the middle of its steps: half a catalog and a journal. */
        Result killedInstall() {
            try {
                Process child = ChildCli.builder(List.of("-D" + TestHooks.PAUSE_AT + "=step 9"), "install", "--manifest",
                        SelftestCommandTest.MANIFEST.toString(), "--catalog", catalogDir.toString()).redirectErrorStream(true).start();
                BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = lines.readLine()) != null && !line.startsWith("wsp4j: paused at step 9")) { /* its progress */ }
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertNotNull(line, "the install never paused");
                return new Result(ExitCodes.FAILURE, List.of("injected: the install was killed at step 9"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    SelftestReport run(InjectedFailures platform, FlakyInstaller installer) throws Exception {
        return new Selftest(platform, installer, manifest, Files.createDirectories(tmp.resolve("work")), SelftestListener.NONE).run();
    }

    static Map<String, String> outcomes(SelftestReport r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (StepResult s : r.steps()) m.put(s.step(), s.outcome().name());
        return m;
    }

    InjectedFailures platform() {
        return new InjectedFailures(new HostSelftestPlatform(catalogDir, new ChildCatalogReader(catalogDir)));
    }

    void assertCatalogAsBefore(SelftestReport r) throws Exception {
        assertArrayEquals(before, Files.readAllBytes(catalogDir.resolve(FileCatalog.CATALOG_FILE)), r.toString());
        assertFalse(Files.exists(catalogDir.resolve(FileCatalog.SHIM_CONFIG_FILE)), "the shim configuration is gone again");
        assertFalse(new Journal(catalogDir).exists(), "no journal left");
        assertEquals(Optional.empty(), r.snapshot(), "the snapshot is not kept once the catalog is back");
    }

    @Test
    void aFailedCheckAndAThrowingStep_theOtherChecksStillRun_thenEverythingIsRolledBack() throws Exception {
        InjectedFailures platform = platform();
        platform.traffic = ChildReport.of("injected traffic program", 1, 1, List.of(), List.of("injected: the exchange failed"));
        platform.untargeted = new IllegalStateException("injected: the untargeted program could not start");

        SelftestReport r = run(platform, new FlakyInstaller());

        assertEquals(SelftestReport.Verdict.FAILED_ROLLED_BACK, r.verdict(), r.toString());
        assertEquals(Map.of("snapshot", "PASS", "install", "PASS", "verify", "PASS", "traffic", "FAIL", "untargeted", "FAIL",
                "32-bit", "SKIP", "uninstall", "PASS", "compare", "PASS"), outcomes(r));
        assertTrue(r.steps().get(4).summary().contains("injected: the untargeted program could not start"), r.steps().get(4).toString());
        assertTrue(r.message().startsWith("traffic, untargeted failed; rolled back: the catalog is byte for byte as before"), r.message());
        assertEquals(List.of("`wsp4j uninstall` exited with 0"), r.rollback());
        assertCatalogAsBefore(r);
    }

    @Test
    void whenEvenTheUninstallFails_theSnapshotRestoresTheCatalog() throws Exception {
        InjectedFailures platform = platform();
        platform.traffic = ChildReport.of("injected traffic program", 1, 1, List.of(), List.of("injected"));
        platform.untargeted = new IllegalStateException("injected");
        FlakyInstaller installer = new FlakyInstaller();
        installer.uninstallFailures = 1;

        SelftestReport r = run(platform, installer);

        assertEquals(SelftestReport.Verdict.FAILED_ROLLED_BACK, r.verdict(), r.toString());
        List<String> compares = r.steps().stream().filter(s -> s.step().equals(Selftest.COMPARE)).map(s -> s.outcome().name()).toList();
        assertEquals(List.of("FAIL", "PASS"), compares, "compared, restored from the snapshot, compared again");
        assertEquals("FAIL", outcomes(r).get("uninstall"));
        assertTrue(r.rollback().stream().anyMatch(a -> a.startsWith("`wsp4j rollback --snapshot selftest-") && a.endsWith("exited with 0")),
                r.rollback().toString());
        assertCatalogAsBefore(r);
    }

    @Test
    void anInstallKilledHalfWay_isRolledBackFromItsJournal() throws Exception {
        FlakyInstaller installer = new FlakyInstaller();
        installer.killInstallHalfWay = true;

        SelftestReport r = run(platform(), installer);

        assertEquals(SelftestReport.Verdict.FAILED_ROLLED_BACK, r.verdict(), r.toString());
        assertEquals(Map.of("snapshot", "PASS", "install", "FAIL", "verify", "SKIP", "traffic", "SKIP", "untargeted", "SKIP",
                "32-bit", "SKIP", "uninstall", "SKIP", "compare", "PASS"), outcomes(r));
        assertTrue(r.rollback().getFirst().startsWith("an unfinished transaction's journal: `wsp4j rollback` exited with 0"), r.rollback().toString());
        assertCatalogAsBefore(r);
    }
}
