package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.FileCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * `wsp4j selftest` on the Linux host, for real: the installer, child JVMs through the native shim, the
 * accounting log, the renamed untargeted launcher; the catalog byte for byte as before at the end.
 */
@EnabledOnOs(OS.LINUX)
class SelftestCommandTest {
    static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    static final Path MANIFEST = ROOT.resolve("provider-manifest").resolve("selftest.host.json");

    @TempDir Path tmp;

    static Map<String, String> outcomes(JsonNode report) {
        Map<String, String> m = new LinkedHashMap<>();
        report.get("steps").forEach(s -> m.put(s.get("step").asText(), s.get("outcome").asText()));
        return m;
    }

    @Test
    void everyStepPassesOnAFreshFileCatalog_whichEndsByteForByteAsBefore() throws Exception {
        Path catalog = tmp.resolve("catalog"), work = tmp.resolve("work"), reportFile = tmp.resolve("out").resolve("report.json");
        Files.createDirectories(catalog);
        assertEquals(0, Cli.run("list", "--catalog", catalog.toString()).code()); // seeds it
        byte[] before = Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE));

        Cli r = Cli.run("selftest", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString(), "--work", work.toString(),
                "--json", "--report", reportFile.toString());

        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode report = CatalogJson.MAPPER.readTree(r.out());
        assertEquals("PASSED", report.get("verdict").asText(), r.toString());
        assertEquals(Map.of("snapshot", "PASS", "install", "PASS", "verify", "PASS", "traffic", "PASS", "untargeted", "PASS",
                "32-bit", "SKIP", "uninstall", "PASS", "compare", "PASS"), outcomes(report));
        assertEquals(report, CatalogJson.MAPPER.readTree(Files.readAllBytes(reportFile)), "--report writes the same report");
        assertTrue(r.err().contains("[4/8] traffic"), "progress lines on stderr: " + r.err());
        assertTrue(r.err().contains("PASS  traffic"), "under --json the step lines go to stderr: " + r.err());

        JsonNode traffic = report.get("steps").get(3);
        assertEquals(4, count(traffic, "  counted "), "two connections per exchange, found in the accounting log: " + traffic);
        assertTrue(traffic.toString().contains("counted IOCP/AcceptEx server"), traffic.toString());
        JsonNode untargeted = report.get("steps").get(4);
        assertTrue(untargeted.toString().contains("out: image=wsp4j-untargeted"), untargeted.toString());
        assertTrue(untargeted.toString().contains("out: javaStarted=false"), untargeted.toString());
        assertTrue(untargeted.toString().contains("out: exchanged=true"), "passed through to the base provider: " + untargeted);

        assertArrayEquals(before, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));
        assertFalse(Files.exists(catalog.resolve(FileCatalog.SHIM_CONFIG_FILE)));
        assertFalse(Files.exists(catalog.resolve("snapshots")), "the snapshot is deleted once the catalog is back");
        assertTrue(Files.readString(work.resolve("accounting.log")).contains(" conn "), "--work is kept, with the children's logs");
    }

    private static long count(JsonNode step, String prefix) {
        long n = 0;
        for (JsonNode d : step.get("details")) if (d.asText().startsWith(prefix)) n++;
        return n;
    }

    @Test
    void anAllowListThatNamesTheUntargetedChildIsBadInput_andNothingChanges() throws Exception {
        Path catalog = Files.createDirectories(tmp.resolve("catalog")); // empty: seeded on first use
        assertEquals(0, Cli.run("list", "--catalog", catalog.toString()).code());
        byte[] before = Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE));
        Path everyone = ROOT.resolve("provider-manifest").resolve("accounting.host.json"); // allow: ["*"]

        Cli r = Cli.run("selftest", "--catalog", catalog.toString(), "--manifest", everyone.toString());

        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.out().contains("FAIL  snapshot    the manifest does not suit the selftest here"), r.toString());
        assertTrue(r.out().contains("names \"wsp4j-untargeted\""), r.toString());
        assertTrue(r.out().contains("nothing was changed"), r.toString());
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));
        assertFalse(Files.exists(catalog.resolve("snapshots")));
    }

    @Test
    void aRefusedRunOnANewCatalogLeavesNoDirectoryBehind() throws Exception {
        Path fresh = tmp.resolve("new").resolve("catalog");
        Path everyone = ROOT.resolve("provider-manifest").resolve("accounting.host.json");
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("selftest", "--catalog", fresh.toString(), "--manifest", everyone.toString()).code());
        assertFalse(Files.exists(tmp.resolve("new")), "nothing was changed, nothing is left");
    }

    @Test
    void aProviderInstalledAlreadyIsRefused_andLeftAsItIs() throws Exception {
        Path catalog = tmp.resolve("catalog");
        assertEquals(0, Cli.run("install", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString()).code());
        byte[] installed = Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE));

        Cli r = Cli.run("selftest", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString());

        assertEquals(ExitCodes.REFUSED, r.code(), r.toString());
        assertTrue(r.out().contains("is installed already"), r.toString());
        assertArrayEquals(installed, Files.readAllBytes(catalog.resolve(FileCatalog.CATALOG_FILE)));
    }

    @Test
    void helpListsTheStepsAndTheExitCodes() {
        Cli r = Cli.run("selftest", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("4 a step failed and everything was rolled back"), r.out());
        assertTrue(r.out().contains("IOCP/AcceptEx"), r.out());
    }
}
