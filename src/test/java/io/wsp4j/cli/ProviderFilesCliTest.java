package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

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

/** The files the shim loads, through the CLI: put in place by install, removed by uninstall, and only those. */
@EnabledOnOs(OS.LINUX)
class ProviderFilesCliTest {
    static final Path BUILT_SHIM = Path.of(System.getProperty("basedir", ""), "target", "native", "libwsp4j_shim.so").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void uninstallNeverDeletesAFileTheInstallerDidNotPutThere() throws Exception {
        assertTrue(Files.isRegularFile(BUILT_SHIM));
        byte[] shim = Files.readAllBytes(BUILT_SHIM);
        String c = Files.createDirectories(tmp.resolve("catalog")).toString(), m = DemoStoryTest.MANIFEST.toString();
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code());
        Cli u = Cli.run("uninstall", "--manifest", m, "--catalog", c, "--delete-shim");
        assertEquals(0, u.code(), u.toString());
        assertArrayEquals(shim, Files.readAllBytes(BUILT_SHIM), "the build's own shim is not the installer's to delete");
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code(), "and the sample installs again");
    }

    Path placingManifest() throws Exception {
        String json = Files.readString(DemoStoryTest.MANIFEST).replace("${WSP4J_ROOT}/target/native/libwsp4j_shim.so",
                tmp.resolve("opt/wsp4j/libwsp4j_shim.so").toString());
        return Files.writeString(tmp.resolve("placing.json"), json);
    }

    @Test
    void installPutsTheShimWhereTheManifestSaysAndUninstallRemovesIt() throws Exception {
        String c = Files.createDirectories(tmp.resolve("catalog")).toString(), m = placingManifest().toString();
        Path placed = tmp.resolve("opt/wsp4j/libwsp4j_shim.so");
        Cli install = Cli.run("install", "--manifest", m, "--catalog", c);
        assertEquals(0, install.code(), install.toString());
        assertTrue(install.err().contains("put shimPath in place: " + placed), install.err());
        assertArrayEquals(Files.readAllBytes(BUILT_SHIM), Files.readAllBytes(placed));
        assertEquals(0, Cli.run("verify", "--catalog", c).code());

        Cli dry = Cli.run("uninstall", "--manifest", m, "--catalog", c, "--dry-run");
        assertTrue(dry.out().contains("remove " + placed), dry.out());
        Cli u = Cli.run("uninstall", "--manifest", m, "--catalog", c);
        assertEquals(0, u.code(), u.toString());
        assertFalse(Files.exists(tmp.resolve("opt")), "the shim and the directories install made are gone");
        assertTrue(Files.isRegularFile(BUILT_SHIM));
    }

    @Test
    void killMinusNineInAnUninstallAfterItMovedTheShimAsideThenRollbackPutsItBack() throws Exception {
        String c = Files.createDirectories(tmp.resolve("catalog")).toString(), m = placingManifest().toString();
        Path placed = tmp.resolve("opt/wsp4j/libwsp4j_shim.so");
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code());
        assertTrue(Files.isRegularFile(placed), "install put the shim there");
        DirectoryBytes installed = DirectoryBytes.of(tmp);
        int steps = Cli.run("uninstall", "--manifest", m, "--catalog", c, "--dry-run", "--json").out().split("\"step\"").length - 1;

        // The last step (removing the record) is reached after the shim was moved aside.
        Process child = ChildCli.builder(List.of("-D" + TestHooks.PAUSE_AT + "=step " + steps), "uninstall", "--manifest", m,
                "--catalog", c).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("wsp4j: paused at step")) { /* progress */ }
            assertNotNull(line);
            assertFalse(Files.exists(placed), "moved aside by the time of the pause");
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        Cli rollback = Cli.run("rollback", "--catalog", c);
        assertEquals(0, rollback.code(), rollback.toString());
        assertEquals(installed, DirectoryBytes.of(tmp), "the shim, the catalog and every file as before the uninstall");
    }
}
