package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.TestProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** `verify` tells the truth about what the shim will load, as it is now, and about the catalog's own files. */
@EnabledOnOs(OS.LINUX)
class VerifyTruthTest {
    @TempDir
    Path tmp;

    Path catalog;
    String c;
    TestProvider p;

    @BeforeEach
    void installed() throws Exception {
        catalog = Files.createDirectories(tmp.resolve("catalog"));
        c = catalog.toString();
        p = TestProvider.create(tmp.resolve("p"));
        Cli install = Cli.run("install", "--manifest", p.manifestFile().toString(), "--catalog", c);
        assertEquals(0, install.code(), install.toString());
        Cli ok = Cli.run("verify", "--catalog", c);
        assertEquals(0, ok.code(), "a fresh install verifies: " + ok);
    }

    Cli verifyFails(String says) {
        Cli v = Cli.run("verify", "--catalog", c);
        assertEquals(ExitCodes.FAILURE, v.code(), v.toString());
        assertTrue(v.out().contains(says), "expected \"" + says + "\" in:\n" + v.out());
        return v;
    }

    void editConfig(UnaryOperator<String> edit) throws Exception {
        Path conf = catalog.resolve(FileCatalog.SHIM_CONFIG_FILE);
        Files.writeString(conf, edit.apply(Files.readString(conf)));
    }

    @Test
    void aMissingShimConfigurationFails() throws Exception {
        Files.delete(catalog.resolve(FileCatalog.SHIM_CONFIG_FILE));
        verifyFails("shim configuration " + catalog.resolve("shim.conf") + " is missing");
    }

    @Test
    void anUnreadableShimConfigurationFails() throws Exception {
        Path conf = catalog.resolve(FileCatalog.SHIM_CONFIG_FILE);
        Files.delete(conf);
        Files.createDirectory(conf);
        verifyFails("the shim configuration cannot be read");
    }

    @Test
    void aShimConfigurationTheShimWouldDiscardFails() throws Exception {
        editConfig(s -> s + "colour=blue\n");
        verifyFails("unknown key `colour`");
    }

    @Test
    void aShimConfigurationNamingAMissingJvmClassPathOrLowerProviderFails() throws Exception {
        editConfig(s -> s.replaceAll("(?m)^jvm=.*$", "jvm=" + tmp.resolve("no-jvm.so")));
        verifyFails("jvm " + tmp.resolve("no-jvm.so") + " does not exist");
        Files.delete(p.dir().resolve("bin/app.jar"));
        verifyFails("classpath " + p.dir().resolve("bin/app.jar") + " does not exist");
        editConfig(s -> s.replaceAll("(?m)^lower_provider=.*\\n", ""));
        verifyFails("names no lower_provider");
        editConfig(s -> s + "lower_provider=" + tmp.resolve("nowhere.so") + "\n");
        verifyFails("lower_provider " + tmp.resolve("nowhere.so") + " does not exist");
    }

    @Test
    void aMissingShimFails() throws Exception {
        Files.delete(p.dir().resolve("bin/shim.so"));
        verifyFails("does not exist");
    }

    @Test
    void aShimPathThatBecameSomeoneElsesFailsAsAFreshInstallWould() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing a file's owner needs root");
        UserPrincipal nobody = catalog.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(p.dir().resolve("bin/shim.so"), nobody);
        verifyFails("is owned by nobody");
    }

    @Test
    void aShimDirectoryOthersCanWriteFails() throws Exception {
        Files.setPosixFilePermissions(p.dir().resolve("bin"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        verifyFails("unsafe path");
    }

    @Test
    void aLeftoverShimConfigurationWithNothingInstalledFails() throws Exception {
        byte[] conf = Files.readAllBytes(catalog.resolve(FileCatalog.SHIM_CONFIG_FILE));
        assertEquals(0, Cli.run("uninstall", "--manifest", p.manifestFile().toString(), "--catalog", c).code());
        Files.write(catalog.resolve(FileCatalog.SHIM_CONFIG_FILE), conf);
        verifyFails("no wsp4j provider is installed");
    }

    /**
     * An install into both catalogs is one WSCInstallProviderAndChains64_32, and Windows gives its chain
     * entries GUIDs of its own (the file catalog's model derives them from the provider's): the
     * provider is still ours, found by the GUID its shim configuration names, and verify says so.
     */
    @Test
    void chainsWhoseGuidsWindowsChoseAreStillOurs() throws Exception {
        FileCatalog files = FileCatalog.openExisting(catalog);
        io.wsp4j.catalog.CatalogImage image = files.read();
        java.util.Map<io.wsp4j.catalog.Bitness, List<io.wsp4j.catalog.ProtocolEntry>> renamed = new java.util.EnumMap<>(io.wsp4j.catalog.Bitness.class);
        java.util.UUID provider = p.manifest().providerGuid();
        int chains = 0;
        for (io.wsp4j.catalog.Bitness b : io.wsp4j.catalog.Bitness.values()) {
            var ours = io.wsp4j.catalog.OurEntries.find(image, b, provider).chains();
            chains += ours.size();
            renamed.put(b, image.entries(b).stream().map(e -> ours.contains(e) ? e.withInfo(e.info().withProviderId(java.util.UUID.randomUUID())) : e)
                    .toList());
        }
        assertEquals(12, chains);
        files.restore(new io.wsp4j.catalog.CatalogImage(renamed));
        Cli v = Cli.run("verify", "--catalog", c);
        assertEquals(0, v.code(), v.toString());
        Cli uninstall = Cli.run("uninstall", "--manifest", p.manifestFile().toString(), "--catalog", c);
        assertEquals(0, uninstall.code(), uninstall.toString());
    }

    @Test
    void theCatalogsOwnFilesDamagedFail() throws Exception {
        Files.writeString(catalog.resolve(FileCatalog.NEXT_IDS_FILE), "[]");
        verifyFails("next-ids.json cannot be read");
    }

    @Test
    void aMistypedCatalogIsNotCreatedAndAFileIsNotADirectory() throws Exception {
        Path typo = tmp.resolve("typo").resolve("x");
        for (String cmd : List.of("verify", "list", "snapshot", "repair", "rollback")) {
            Cli r = Cli.run(cmd, "--catalog", typo.toString());
            assertEquals(ExitCodes.BAD_INPUT, r.code(), cmd + ": " + r);
            assertTrue(r.err().contains("no such directory"), r.toString());
        }
        Cli plan = Cli.run("plan", "--manifest", p.manifestFile().toString(), "--catalog", typo.toString());
        assertEquals(ExitCodes.BAD_INPUT, plan.code(), plan.toString());
        Cli dry = Cli.run("install", "--dry-run", "--manifest", p.manifestFile().toString(), "--catalog", typo.toString());
        assertEquals(ExitCodes.BAD_INPUT, dry.code(), dry.toString());
        assertFalse(Files.exists(tmp.resolve("typo")), "nothing was created");

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Cli r = Cli.run("list", "--catalog", file.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("not a directory"), r.toString());
        assertEquals("x", Files.readString(file));
    }
}
