package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.TestProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: an install in a child JVM, paused by the test hook in the middle of its steps,
 * killed with SIGKILL. The catalog is half-changed and the journal is there; another installer is
 * refused while the child holds the lock and until `rollback` has run; `rollback` restores the
 * before-image byte for byte.
 */
@EnabledOnOs(OS.LINUX)
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void killMinusNineInTheMiddleOfAnInstallThenRollback() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        Path catalog = Files.createDirectories(tmp.resolve("catalog")); // empty: seeded on first use
        String c = catalog.toString(), m = p.manifestFile().toString();
        assertEquals(0, Cli.run("list", "--catalog", c).code());
        byte[] before = Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE));

        Process child = ChildCli.builder(List.of("-D" + TestHooks.PAUSE_AT + "=step 2"), "install", "--manifest", m, "--catalog", c)
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = lines.readLine()) != null && !line.startsWith("wsp4j: paused at step 2")) seen.append(line).append('\n');
            assertNotNull(line, "the child never paused:\n" + seen);
            assertTrue(seen.toString().contains("[1/2]"), seen.toString());

            // While the child holds the catalog, a second installer fails cleanly.
            Cli busy = Cli.run("install", "--manifest", m, "--catalog", c, "--wait", "0");
            assertEquals(ExitCodes.REFUSED, busy.code(), busy.toString());
            assertTrue(busy.err().contains("being changed by another installer (pid " + child.pid() + ")"), busy.err());

            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
        } finally {
            child.destroyForcibly();
        }

        assertTrue(Files.exists(catalog.resolve("journal").resolve("transaction.json")), "the journal survives the crash");
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE))), "half-installed");
        Cli verify = Cli.run("verify", "--catalog", c);
        assertEquals(ExitCodes.REFUSED, verify.code(), "an unfinished transaction is exit 3 for every command");
        assertTrue(verify.out().contains("interrupted transaction"), verify.out());

        Cli refused = Cli.run("install", "--manifest", m, "--catalog", c);
        assertEquals(ExitCodes.REFUSED, refused.code(), refused.toString());
        assertTrue(refused.err().contains("run `wsp4j rollback` first"), refused.err());

        Cli rollback = Cli.run("rollback", "--catalog", c);
        assertEquals(0, rollback.code(), rollback.toString());
        assertTrue(rollback.out().startsWith("rolled back the interrupted install"), rollback.out());
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));
        assertFalse(Files.exists(catalog.resolve(FileCatalog.SHIM_CONFIG_FILE)));
        assertEquals(0, Cli.run("verify", "--catalog", c).code());

        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code(), "usable again");
    }

    @Test
    void killMinusNineInTheMiddleOfAnUninstallThenRollbackRestoresTheInstall() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        Path catalog = Files.createDirectories(tmp.resolve("catalog")); // empty: seeded on first use
        String c = catalog.toString(), m = p.manifestFile().toString();
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code());
        byte[] installed = Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE));
        byte[] config = Files.readAllBytes(catalog.resolve(FileCatalog.SHIM_CONFIG_FILE));

        Process child = ChildCli.builder(List.of("-D" + TestHooks.PAUSE_AT + "=step 4"), "uninstall", "--manifest", m, "--catalog", c)
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("wsp4j: paused at step 4")) { /* progress */ }
            assertNotNull(line);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertEquals(0, Cli.run("rollback", "--catalog", c).code());
        assertArrayEquals(installed, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));
        assertArrayEquals(config, Files.readAllBytes(catalog.resolve(FileCatalog.SHIM_CONFIG_FILE)));
    }

    /**
     * The steps install gained on both sides at once: the files it puts in place (the shim where the
     * manifest says, the directories it needs, the record of them) and the LSP categories it sets.
     * Killed just after each such step of an install, and after each file step of the uninstall, then
     * `rollback`: every file under the test's directory (catalog, shim, directories) is as it was.
     * The points come from the plans themselves.
     */
    @Test
    void killMinusNineAfterEachFileAndCategoryStepThenRollbackRestoresEveryFile() throws Exception {
        Path placed = tmp.resolve("opt/wsp4j/libwsp4j_shim.so");
        String json = Files.readString(DemoStoryTest.MANIFEST).replace("${WSP4J_ROOT}/target/native/libwsp4j_shim.so", placed.toString());
        assertTrue(json.contains("\"categories\": [\"LSP_INSPECTOR\"]"), json);
        String m = Files.writeString(tmp.resolve("placing.json"), json).toString();
        String c = Files.createDirectories(tmp.resolve("catalog")).toString();
        assertEquals(0, Cli.run("list", "--catalog", c).code());
        java.util.Set<String> fileOrCategory = java.util.Set.of("makeDirectory", "placeFile", "setLspCategories",
                "writeInstalledFilesRecord", "removeFile", "removeDirectory", "removeInstalledFilesRecord");

        DirectoryBytes clean = DirectoryBytes.of(tmp);
        List<String> install = PlannedSteps.of("install", "--manifest", m, "--catalog", c);
        assertTrue(install.containsAll(List.of("makeDirectory", "placeFile", "setLspCategories", "writeInstalledFilesRecord")), install.toString());
        for (int i = 0; i < install.size(); i++) {
            if (!fileOrCategory.contains(install.get(i))) continue;
            String point = PlannedSteps.after(i, install);
            killAt(point, "install", "--manifest", m, "--catalog", c);
            assertNotEquals(clean, DirectoryBytes.of(tmp), "half-installed after " + install.get(i));
            Cli rollback = Cli.run("rollback", "--catalog", c);
            assertEquals(0, rollback.code(), rollback.toString());
            assertEquals(clean, DirectoryBytes.of(tmp), "every file as before the install killed after step " + (i + 1) + " " + install.get(i));
        }

        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code());
        assertTrue(Files.isRegularFile(placed));
        DirectoryBytes installed = DirectoryBytes.of(tmp);
        List<String> uninstall = PlannedSteps.of("uninstall", "--manifest", m, "--catalog", c);
        assertTrue(uninstall.containsAll(List.of("removeFile", "removeDirectory", "removeInstalledFilesRecord")), uninstall.toString());
        for (int i = 0; i < uninstall.size(); i++) {
            if (!fileOrCategory.contains(uninstall.get(i))) continue;
            killAt(PlannedSteps.after(i, uninstall), "uninstall", "--manifest", m, "--catalog", c);
            Cli rollback = Cli.run("rollback", "--catalog", c);
            assertEquals(0, rollback.code(), rollback.toString());
            assertEquals(installed, DirectoryBytes.of(tmp), "every file as before the uninstall killed after step " + (i + 1) + " "
                    + uninstall.get(i));
        }
        assertEquals(0, Cli.run("verify", "--manifest", m, "--catalog", c).code());
        assertEquals(0, Cli.run("uninstall", "--manifest", m, "--catalog", c).code());
        var after = new java.util.TreeMap<>(DirectoryBytes.of(tmp).entries());
        var before = new java.util.TreeMap<>(clean.entries());
        after.remove("catalog/" + FileCatalog.NEXT_IDS_FILE); // the id counters move on: ids are never given out twice
        before.remove("catalog/" + FileCatalog.NEXT_IDS_FILE);
        assertEquals(before, after, "and the uninstall leaves every other file as before the install");
    }

    /** Runs the CLI in a child JVM until the test hook pauses it at {@code point}, then kills it with SIGKILL. */
    private static void killAt(String point, String... args) throws Exception {
        Process child = ChildCli.builder(List.of("-D" + TestHooks.PAUSE_AT + "=" + point), args).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = lines.readLine()) != null && !line.startsWith("wsp4j: paused at " + point)) seen.append(line).append('\n');
            assertNotNull(line, String.join(" ", args) + " never paused at " + point + ":\n" + seen);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * The demo killed half-way through its install: the next demo (and every other command on that
     * catalog) says a transaction did not finish and exits 3, instead of demoing on a half install;
     * after `rollback` the demo runs and leaves the catalog as it was.
     */
    @Test
    void killMinusNineInTheMiddleOfTheDemoThenEveryCommandSaysSoUntilRollback() throws Exception {
        Path catalog = Files.createDirectories(tmp.resolve("demo-cat"));
        String c = catalog.toString(), m = DemoStoryTest.MANIFEST.toString();
        assertEquals(0, Cli.run("list", "--catalog", c).code());
        byte[] before = Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE));

        Process child = ChildCli.builder(List.of("-D" + TestHooks.PAUSE_AT + "=step 3"), "demo", "--catalog", c, "--manifest", m)
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("wsp4j: paused at step 3")) { /* the demo's output */ }
            assertNotNull(line, "the demo never paused");
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        for (String[] cmd : List.of(new String[] {"demo", "--manifest", m}, new String[] {"repair"}, new String[] {"list"},
                new String[] {"host"}, new String[] {"install", "--manifest", m})) {
            List<String> args = new java.util.ArrayList<>(List.of(cmd));
            args.addAll(List.of("--catalog", c));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(ExitCodes.REFUSED, r.code(), cmd[0] + ": " + r);
            assertTrue(r.err().contains("did not finish") && r.err().contains("wsp4j rollback"), cmd[0] + ": " + r);
            assertFalse(r.out().contains("already installed"), "no demo on a half install: " + r);
        }
        assertEquals(0, Cli.run("rollback", "--catalog", c).code());
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));
        Cli demo = Cli.run("demo", "--catalog", c, "--manifest", m);
        assertEquals(0, demo.code(), demo.toString());
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));
    }
}
