package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.TestProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** install-scripts/*.sh against a file catalog, through a launcher that runs the compiled CLI. */
@EnabledOnOs(OS.LINUX)
class InstallScriptsTest {
    @TempDir
    Path tmp;

    record Run(int code, String out) {}

    Run script(String name, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", Path.of("install-scripts", name).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("WSP4J_LAUNCHER", ChildCli.launcher(tmp).toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    @Test
    void installUninstallRollbackScripts() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        Path catalog = Files.createDirectories(tmp.resolve("catalog")); // empty: seeded on first use
        String c = catalog.toString(), m = p.manifestFile().toString();

        Run dry = script("install.sh", "--manifest", m, "--catalog", c, "--dry-run");
        assertEquals(0, dry.code(), dry.out());
        assertTrue(dry.out().contains("Plan: install"), dry.out());
        byte[] before = Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE));

        Run install = script("install.sh", "--manifest", m, "--catalog", c);
        assertEquals(0, install.code(), install.out());
        assertTrue(install.out().contains("/2] write the shim configuration"), install.out());
        Run again = script("install.sh", "--manifest", m, "--catalog", c);
        assertEquals(ExitCodes.REFUSED, again.code(), again.out());

        Run uninstall = script("uninstall.sh", "--manifest", m, "--catalog", c);
        assertEquals(0, uninstall.code(), uninstall.out());
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));

        Run rollback = script("rollback.sh", "--catalog", c);
        assertEquals(0, rollback.code(), rollback.out());
        assertTrue(rollback.out().contains("nothing to roll back"), rollback.out());
    }

    @Test
    void selftestShRunsTheSelftestWithItsArguments() throws Exception {
        Path everyone = Path.of("provider-manifest", "accounting.host.json").toAbsolutePath(); // allow: ["*"], unfit for the selftest
        Run r = script("selftest.sh", "--catalog", tmp.resolve("catalog").toString(), "--manifest", everyone.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out());
        assertTrue(r.out().contains("FAIL  snapshot    the manifest does not suit the selftest here"), r.out());
    }

    @Test
    void aBadManifestGivesExitTwoThroughTheScript() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"name\": 1}");
        Run r = script("install.sh", "--manifest", bad.toString(), "--catalog", tmp.resolve("catalog").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out());
        assertTrue(r.out().contains("name: expected a string, found a number"), r.out());
    }

    @Test
    void rollbackShFinishesAKilledInstall() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        Path catalog = Files.createDirectories(tmp.resolve("catalog")); // empty: seeded on first use
        String c = catalog.toString();
        assertEquals(0, Cli.run("list", "--catalog", c).code());
        byte[] before = Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE));
        Process child = ChildCli.builder(List.of("-D" + TestHooks.PAUSE_AT + "=step 2"), "install", "--manifest",
                p.manifestFile().toString(), "--catalog", c).redirectErrorStream(true).start();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("wsp4j: paused")) { /* progress */ }
            assertNotNull(line);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        Run r = script("rollback.sh", "--catalog", c);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("rolled back the interrupted install"), r.out());
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));
    }
}
