package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.TestProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class InstallerCliTest {
    @TempDir
    Path tmp;

    /** An empty directory: the first command seeds it (only install creates a missing one). */
    Path catalog() throws java.io.IOException {
        return Files.createDirectories(tmp.resolve("catalog"));
    }

    byte[] catalogBytes() throws Exception {
        return Files.readAllBytes(catalog().resolve(FileCatalog.CATALOG_FILE));
    }

    @Test
    void installListUninstallWithProgressLinesAndTheCatalogBackAsItWas() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        Cli list0 = Cli.run("list", "--catalog", catalog().toString());
        assertEquals(0, list0.code(), list0.toString());
        byte[] before = catalogBytes();

        Cli install = Cli.run("install", "--manifest", p.manifestFile().toString(), "--catalog", catalog().toString());
        assertEquals(0, install.code(), install.toString());
        assertTrue(install.err().contains("[1/2] install layered provider \"test lsp\""), install.err());
        assertTrue(install.err().contains("[2/2] write the shim configuration"), install.err());
        assertTrue(install.out().contains("installed in the 64-bit catalog: layered entry 1013, 6 chains"), install.out());

        Cli list = Cli.run("list", "--catalog", catalog().toString());
        List<String> rows = list.out().lines().toList();
        assertTrue(rows.get(2).matches(" *1014 +chain +AF_INET SOCK_STREAM IPPROTO_TCP +\\[test lsp] → \\[MSAFD Tcpip \\[TCP/IP]]"), rows.get(2));
        assertTrue(list.out().contains("layered  (hidden)"), list.out());

        Cli verify = Cli.run("verify", "--catalog", catalog().toString(), "--manifest", p.manifestFile().toString());
        assertEquals(0, verify.code(), verify.toString());

        Cli uninstall = Cli.run("uninstall", "--manifest", p.manifestFile().toString(), "--catalog", catalog().toString());
        assertEquals(0, uninstall.code(), uninstall.toString());
        assertArrayEquals(before, catalogBytes());
        assertEquals(list0.out(), Cli.run("list", "--catalog", catalog().toString()).out());
    }

    @Test
    void exitCodesFollowTheDocumentation() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        String c = catalog().toString(), m = p.manifestFile().toString();
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code());
        Cli twice = Cli.run("install", "--manifest", m, "--catalog", c);
        assertEquals(ExitCodes.REFUSED, twice.code(), twice.toString());
        List<String> errors = twice.err().lines().filter(l -> l.startsWith("wsp4j: ")).toList();
        assertEquals(1, errors.size(), "one line: " + twice.err());
        assertTrue(errors.getFirst().startsWith("wsp4j: provider {3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13} (\"test lsp\") is already installed"), twice.err());

        assertEquals(0, Cli.run("uninstall", "--provider", TestProvider.GUID, "--catalog", c).code());
        assertEquals(ExitCodes.REFUSED, Cli.run("uninstall", "--provider", TestProvider.GUID, "--catalog", c).code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("uninstall", "--provider", "nope", "--catalog", c).code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("list", "--bits", "16", "--catalog", c).code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("rollback", "--snapshot", "missing", "--catalog", c).code());
        Cli nothing = Cli.run("rollback", "--catalog", c);
        assertEquals(0, nothing.code());
        assertTrue(nothing.out().startsWith("nothing to roll back"), nothing.out());
    }

    @Test
    void aBadManifestExitsTwoWithAPreciseMessageAndTouchesNothing() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        Cli.run("list", "--catalog", catalog().toString());
        byte[] before = catalogBytes();
        List<String> sorted = Files.list(catalog()).map(x -> x.getFileName().toString()).sorted().toList();
        String[][] cases = {
                {"\"allow\"", "\"alow\": [], \"allow\"", "unknown field"},
                {"\"providerGuid\": \"" + TestProvider.GUID + "\"", "\"providerGuid\": \"{123}\"", "providerGuid: \"{123}\" is not a GUID"},
                {"\"catalogs\": [\"64\", \"32\"]", "\"catalogs\": [\"64\", \"32\"], \"layerOver\": [{\"protocol\": \"IPPROTO_XTP\"}]", "unknown protocol \"IPPROTO_XTP\""},
                {"\"jvmOptions\": [\"-Xmx32m\"]", "\"jvmOptions\": 3", "jvmOptions: expected an array of strings"},
        };
        for (String[] k : cases) {
            String json = p.json().replace(k[0], k[1]);
            assertNotEquals(p.json(), json);
            Path bad = Files.writeString(tmp.resolve("bad.json"), json);
            Cli r = Cli.run("install", "--manifest", bad.toString(), "--catalog", catalog().toString());
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
            assertTrue(r.err().contains(k[2]) && r.err().contains("bad.json:"), r.err());
            assertTrue(r.err().strip().endsWith("nothing was changed"), r.err());
        }
        Path truncated = Files.writeString(tmp.resolve("cut.json"), p.json().substring(0, p.json().length() / 2));
        Cli r = Cli.run("install", "--manifest", truncated.toString(), "--catalog", catalog().toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("not valid JSON"), r.err());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("install", "--manifest", tmp.resolve("absent.json").toString(), "--catalog", catalog().toString()).code());

        Files.setPosixFilePermissions(p.dir().resolve("bin"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Cli unsafe = Cli.run("install", "--manifest", p.manifestFile().toString(), "--catalog", catalog().toString());
        assertEquals(ExitCodes.BAD_INPUT, unsafe.code(), unsafe.toString());
        assertTrue(unsafe.err().contains("shimPath: " + p.dir().resolve("bin") + " is writable by its group or by others"), unsafe.err());

        assertArrayEquals(before, catalogBytes());
        assertEquals(sorted, Files.list(catalog()).map(x -> x.getFileName().toString()).sorted().toList(), "no journal, no shim config");
    }

    @Test
    void dryRunAndPlanChangeNothingAndJsonIsMachineReadable() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        String c = catalog().toString(), m = p.manifestFile().toString();
        Cli.run("list", "--catalog", c);
        byte[] before = catalogBytes();
        Cli dry = Cli.run("install", "--dry-run", "--manifest", m, "--catalog", c);
        assertEquals(0, dry.code(), dry.toString());
        assertTrue(dry.out().startsWith("Plan: install, 2 steps"), dry.out());
        assertTrue(dry.out().contains("+  1014  chain"), dry.out());
        Cli plan = Cli.run("plan", "--json", "--manifest", m, "--catalog", c);
        JsonNode json = new ObjectMapper().readTree(plan.out());
        assertEquals("install", json.get("operation").asText());
        assertEquals(2, json.get("steps").size());
        assertEquals("installProviderAndChains", json.get("steps").get(0).get("step").asText());
        assertArrayEquals(before, catalogBytes());

        JsonNode listed = new ObjectMapper().readTree(Cli.run("list", "--json", "--catalog", c).out());
        assertEquals(12, listed.get("catalogs").get("64").size());
        assertEquals("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", listed.get("catalogs").get("64").get(0).get("providerId").asText());
    }

    @Test
    void snapshotAndRollbackToIt() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        String c = catalog().toString();
        assertEquals(0, Cli.run("snapshot", "clean", "--catalog", c).code());
        byte[] before = catalogBytes();
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("snapshot", "clean", "--catalog", c).code(), "no silent overwrite");
        assertEquals(0, Cli.run("install", "--manifest", p.manifestFile().toString(), "--catalog", c).code());
        assertEquals("clean\n", Cli.run("snapshot", "--list", "--catalog", c).out());
        Cli back = Cli.run("rollback", "--snapshot", "clean", "--catalog", c);
        assertEquals(0, back.code(), back.toString());
        assertArrayEquals(before, catalogBytes());
        assertFalse(Files.exists(catalog().resolve(FileCatalog.SHIM_CONFIG_FILE)));
    }

    @Test
    void everyCommandHasHelpThatTeachesAndDocumentsItsExitCodes() {
        for (String cmd : List.of("install", "uninstall", "list", "plan", "rollback", "snapshot", "verify", "repair")) {
            Cli help = Cli.run(cmd, "--help");
            assertEquals(0, help.code(), cmd);
            assertTrue(help.out().contains("Examples:"), cmd + ":\n" + help.out());
            assertTrue(help.out().contains("Exit codes: 0"), cmd + ":\n" + help.out());
            assertTrue(help.out().contains("--catalog=DIR"), cmd + ":\n" + help.out());
        }
        Cli completion = Cli.run("generate-completion");
        assertEquals(0, completion.code());
        assertTrue(completion.out().contains("uninstall"), "completion script knows the commands");
    }

    @Test
    void aDamagedJournalIsReportedAndKeptNotGuessedAt() throws Exception {
        String c = catalog().toString();
        Cli.run("list", "--catalog", c);
        Path journal = Files.createDirectories(catalog().resolve("journal")).resolve("transaction.json");
        Files.writeString(journal, "{\"format\": \"wsp4j-journal/1\", \"oper");
        Cli r = Cli.run("rollback", "--catalog", c);
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("is damaged") && r.err().contains("rollback --snapshot"), r.err());
        assertTrue(Files.exists(journal), "kept for a human");
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        assertEquals(ExitCodes.REFUSED, Cli.run("install", "--manifest", p.manifestFile().toString(), "--catalog", c).code());
    }

    @Test
    void verifyReportsOneGuidUnderTwoDlls() throws Exception {
        var cat = FileCatalog.open(catalog());
        // The RSVP provider's GUID re-registered with another DLL: two providers claim one identity.
        var rsvp = cat.read().byProvider(io.wsp4j.catalog.Bitness.X64, io.wsp4j.catalog.StockCatalog.RSVP);
        var moved = new java.util.ArrayList<>(rsvp);
        moved.set(0, new io.wsp4j.catalog.ProtocolEntry(rsvp.getFirst().info(), "C:\\evil\\rsvpsp.dll"));
        var all = new java.util.ArrayList<>(cat.read().entries(io.wsp4j.catalog.Bitness.X64));
        all.replaceAll(e -> e.info().catalogEntryId() == moved.getFirst().info().catalogEntryId() ? moved.getFirst() : e);
        var images = new java.util.EnumMap<io.wsp4j.catalog.Bitness, java.util.List<io.wsp4j.catalog.ProtocolEntry>>(io.wsp4j.catalog.Bitness.class);
        images.put(io.wsp4j.catalog.Bitness.X64, all);
        images.put(io.wsp4j.catalog.Bitness.X86, cat.read().entries(io.wsp4j.catalog.Bitness.X86));
        cat.restore(new io.wsp4j.catalog.CatalogImage(images));
        Cli v = Cli.run("verify", "--catalog", catalog().toString());
        assertEquals(ExitCodes.FAILURE, v.code(), v.toString());
        assertTrue(v.out().contains("duplicate guid: GUID {9D60A9E0-337A-11D0-BD88-0000C082E69A} is used with two DLLs"), v.out());
    }

    @Test
    void repairFixesWhatIsSafe() throws Exception {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        String c = catalog().toString(), m = p.manifestFile().toString();
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code());
        // Someone else's installer pushes our chains down the order.
        var cat = FileCatalog.open(catalog());
        var order = new java.util.ArrayList<>(cat.read().order(io.wsp4j.catalog.Bitness.X64));
        java.util.Collections.rotate(order, -6);
        cat.writeOrder(io.wsp4j.catalog.Bitness.X64, order);
        Cli verify = Cli.run("verify", "--manifest", m, "--catalog", c);
        assertEquals(ExitCodes.FAILURE, verify.code());
        assertTrue(verify.out().contains("not on top"), verify.out());
        Cli repair = Cli.run("repair", "--manifest", m, "--catalog", c);
        assertEquals(0, repair.code(), repair.toString());
        assertEquals(0, Cli.run("verify", "--manifest", m, "--catalog", c).code());
    }
}
