package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install puts what the shim loads where the manifest says (the shim, the wsp4j jar and the jars
 * its Class-Path names), as journaled steps: a rollback takes them away, uninstall removes them, and
 * nothing that was already there (or changed since) is ever removed.
 */
@EnabledOnOs(OS.LINUX)
class ProviderFilesTest {
    @TempDir
    Path tmp;

    FileCatalog catalog;
    InstallerFiles installer;
    Path dest;
    Path userJar;

    @BeforeEach
    void aFakeInstallationAndAnEmptyDestination() throws IOException {
        catalog = FileCatalog.open(tmp.resolve("catalog"));
        Path root = tmp.resolve("wsp4j");
        Path nativeDir = Files.createDirectories(root.resolve("target/native"));
        Files.writeString(nativeDir.resolve(InstallerFiles.LINUX_SHIM), "the shim");
        Files.writeString(nativeDir.resolve(InstallerFiles.HOST_BASE_PROVIDER), "the host's base provider");
        Path jar = root.resolve("target/wsp4j.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/a.jar lib/b.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        Files.createDirectories(root.resolve("target/lib"));
        Files.writeString(root.resolve("target/lib/a.jar"), "a");
        Files.writeString(root.resolve("target/lib/b.jar"), "b");
        installer = new InstallerFiles(Optional.of(nativeDir), Optional.of(jar));
        dest = tmp.resolve("opt").resolve("wsp4j");
        userJar = Files.writeString(Files.createDirectories(tmp.resolve("mine")).resolve("app.jar"), "the user's own");
    }

    ProviderManifest manifest(String extra) throws Exception {
        String json = """
                {"name": "placed", "providerGuid": "{5B0D6C8E-2F51-4E9A-8C3B-1D7E4A9F6B20}",
                 "shimPath": "%s", "classpath": ["%s", "%s"]%s}
                """.formatted(dest.resolve("bin/libwsp4j_shim.so"), dest.resolve("wsp4j.jar"), userJar, extra);
        return ManifestParser.parse(json.getBytes(), "m.json");
    }

    Plan install(ProviderManifest m, InstallerFiles from, boolean force, TransactionListener l) {
        Planner planner = new Planner(catalog, PathExpander.systemDefault(), from, force);
        return new Transaction(catalog, Duration.ZERO, l).run(before -> planner.install(m, before));
    }

    Plan uninstall(ProviderManifest m, TransactionListener l) {
        Planner planner = new Planner(catalog, PathExpander.systemDefault(), installer, false);
        return new Transaction(catalog, Duration.ZERO, l).run(before -> planner.uninstall(m.providerGuid(), false, before));
    }

    List<Path> placed() {
        return List.of(dest.resolve("bin/libwsp4j_shim.so"), dest.resolve("wsp4j.jar"), dest.resolve("lib/a.jar"), dest.resolve("lib/b.jar"));
    }

    @Test
    void installPutsTheShimTheJarAndItsJarsInPlaceAndUninstallTakesExactlyThoseAway() throws Exception {
        ProviderManifest m = manifest("");
        byte[] catalogBefore = Files.readAllBytes(catalog.stateDir().resolve("catalog.json"));
        Plan plan = install(m, installer, false, TransactionListener.NONE);

        for (Path f : placed()) assertTrue(Files.isRegularFile(f), f + " placed");
        assertEquals("the shim", Files.readString(dest.resolve("bin/libwsp4j_shim.so")));
        assertEquals("a", Files.readString(dest.resolve("lib/a.jar")));
        String conf = Files.readString(catalog.shimConfig().location());
        assertTrue(conf.contains("classpath=" + dest.resolve("wsp4j.jar") + ":" + userJar), conf);
        ProviderFiles.Record record = ProviderFiles.read(catalog.stateDir()).orElseThrow();
        assertEquals(placed(), record.files().stream().map(ProviderFiles.Record.Placed::path).toList());
        assertEquals(List.of(tmp.resolve("opt"), dest, dest.resolve("bin"), dest.resolve("lib")), record.directories());
        assertTrue(plan.steps().getFirst() instanceof Step.MakeDirectory, "files before the catalog names them");
        assertTrue(StateChecks.check(catalog, Optional.of(m.providerGuid())).problems().isEmpty(),
                StateChecks.check(catalog, Optional.of(m.providerGuid())).problems().toString());

        uninstall(m, TransactionListener.NONE);
        assertFalse(Files.exists(tmp.resolve("opt")), "every file and directory the install made is gone");
        assertEquals("the user's own", Files.readString(userJar), "a file the installer did not put there stays");
        assertTrue(ProviderFiles.read(catalog.stateDir()).isEmpty());
        assertArrayEquals(catalogBefore, Files.readAllBytes(catalog.stateDir().resolve("catalog.json")));
    }

    @Test
    void uninstallKeepsAPlacedFileThatChangedAndADirectoryThatIsNotEmpty() throws Exception {
        ProviderManifest m = manifest("");
        install(m, installer, false, TransactionListener.NONE);
        Files.writeString(dest.resolve("wsp4j.jar"), "patched by hand");
        Files.writeString(dest.resolve("lib/mine.jar"), "someone else's");
        Plan plan = uninstall(m, TransactionListener.NONE);
        assertEquals("patched by hand", Files.readString(dest.resolve("wsp4j.jar")));
        assertEquals("someone else's", Files.readString(dest.resolve("lib/mine.jar")));
        assertFalse(Files.exists(dest.resolve("lib/a.jar")));
        assertFalse(Files.exists(dest.resolve("bin")));
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("kept " + dest.resolve("wsp4j.jar"))), plan.notes().toString());
    }

    @Test
    void aFileAlreadyThereIsUsedAsItIsAndNeverRemoved() throws Exception {
        Path shim = Files.writeString(Files.createDirectories(dest.resolve("bin")).resolve("libwsp4j_shim.so"), "built by the user");
        ProviderManifest m = manifest("");
        install(m, installer, false, TransactionListener.NONE);
        assertEquals("built by the user", Files.readString(shim));
        assertFalse(ProviderFiles.read(catalog.stateDir()).orElseThrow().files().stream().anyMatch(f -> f.path().equals(shim)));
        uninstall(m, TransactionListener.NONE);
        assertEquals("built by the user", Files.readString(shim), "never deleted: the installer did not put it there");
    }

    @Test
    void aFailedInstallTakesAwayWhatItPlaced() throws Exception {
        ProviderManifest m = manifest("");
        for (String point : List.of("step 3", "step 8", "verify", "commit")) {
            assertThrows(RolledBackException.class, () -> install(m, installer, false, TransactionTest.failAt(point)));
            assertFalse(Files.exists(tmp.resolve("opt")), "after a failure at " + point);
            assertTrue(ProviderFiles.read(catalog.stateDir()).isEmpty());
        }
    }

    @Test
    void aFailedUninstallPutsTheFilesBack() throws Exception {
        ProviderManifest m = manifest("");
        install(m, installer, false, TransactionListener.NONE);
        byte[] record = ProviderFiles.readBytes(catalog.stateDir()).orElseThrow();
        int steps = uninstall(m, TransactionListener.NONE).steps().size();
        install(m, installer, false, TransactionListener.NONE);
        for (String point : List.of("step " + (steps - 1), "verify", "commit")) {
            assertThrows(RolledBackException.class, () -> uninstall(m, TransactionTest.failAt(point)));
            for (Path f : placed()) assertTrue(Files.isRegularFile(f), f + " is back after a failure at " + point);
            assertArrayEquals(record, ProviderFiles.readBytes(catalog.stateDir()).orElseThrow());
            try (var s = Files.list(dest.resolve("bin"))) {
                assertEquals(List.of(dest.resolve("bin/libwsp4j_shim.so")), s.toList(), "nothing left aside");
            }
        }
    }

    @Test
    void aMissingFileThisInstallationCannotSupplyIsRefusedUnlessForced() throws Exception {
        ProviderManifest m = manifest("");
        PlanException e = assertThrows(PlanException.class, () -> install(m, InstallerFiles.NONE, false, TransactionListener.NONE));
        assertEquals(PlanException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("shimPath: " + dest.resolve("bin/libwsp4j_shim.so") + " does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());

        InstallerFiles hostOnly = new InstallerFiles(installer.nativeDir(), Optional.empty());
        Files.delete(installer.nativeDir().get().resolve(InstallerFiles.LINUX_SHIM));
        Plan forced = install(m, hostOnly, true, TransactionListener.NONE);
        assertTrue(forced.notes().stream().anyMatch(n -> n.startsWith("accepted with --force: shimPath: ")), forced.notes().toString());
    }

    @Test
    void aDirectoryWhereAFileBelongsIsRefusedEvenForced() throws Exception {
        for (String shim : List.of("/", dest.toString())) {
            Files.createDirectories(dest);
            String json = """
                    {"name": "placed", "providerGuid": "{5B0D6C8E-2F51-4E9A-8C3B-1D7E4A9F6B20}", "shimPath": "%s", "classpath": ["%s"]}
                    """.formatted(shim, userJar);
            ProviderManifest m = ManifestParser.parse(json.getBytes(), "m.json");
            PlanException e = assertThrows(PlanException.class, () -> install(m, installer, true, TransactionListener.NONE));
            assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        }
    }

    @Test
    void aLogInADirectoryAnyoneCanWriteIsRefusedUnlessForced() throws Exception {
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        ProviderManifest m = manifest(", \"log\": \"" + open.resolve("shim.log") + "\"");
        PlanException e = assertThrows(PlanException.class, () -> install(m, installer, false, TransactionListener.NONE));
        assertTrue(e.getMessage().startsWith("log: " + open + " can be written by anyone"), e.getMessage());
        Plan forced = install(m, installer, true, TransactionListener.NONE);
        assertTrue(forced.notes().stream().anyMatch(n -> n.startsWith("accepted with --force: log: ")), forced.notes().toString());
    }

    @Test
    void theJvmIsTheInstallersOwnUnlessTheManifestNamesOneAndMustExist() throws Exception {
        install(manifest(""), installer, false, TransactionListener.NONE);
        String conf = Files.readString(catalog.shimConfig().location());
        assertTrue(conf.contains("jvm=" + Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so")), conf);
        uninstall(manifest(""), TransactionListener.NONE);

        ProviderManifest named = manifest(", \"jvm\": \"" + tmp.resolve("jdk/lib/server/libjvm.so") + "\"");
        PlanException e = assertThrows(PlanException.class, () -> install(named, installer, false, TransactionListener.NONE));
        assertTrue(e.getMessage().startsWith("jvm: " + tmp.resolve("jdk/lib/server/libjvm.so") + " does not exist"), e.getMessage());
    }

    @Test
    void theShimConfigurationNamesTheHostsBaseProviderAsTheLowerProvider() throws Exception {
        install(manifest(""), installer, false, TransactionListener.NONE);
        assertTrue(Files.readString(catalog.shimConfig().location()).contains(
                "lower_provider=" + installer.hostBaseProvider().orElseThrow()));

        uninstall(manifest(""), TransactionListener.NONE);
        Files.delete(installer.hostBaseProvider().orElseThrow());
        PlanException e = assertThrows(PlanException.class, () -> install(manifest(""), installer, false, TransactionListener.NONE));
        assertTrue(e.getMessage().contains("could not pass untargeted processes through"), e.getMessage());
    }
}
