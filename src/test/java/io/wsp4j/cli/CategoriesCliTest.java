package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** LSP categories through the command line: install, list, verify, app-category, host, and crashes in the new steps. */
@EnabledOnOs(OS.LINUX)
class CategoriesCliTest {
    @TempDir
    Path tmp;

    String catalog() throws Exception {
        return Files.createDirectories(tmp.resolve("catalog")).toString(); // readers create no catalog directory
    }

    byte[] file(String name) throws Exception {
        Path p = tmp.resolve("catalog").resolve(name);
        return Files.exists(p) ? Files.readAllBytes(p) : null;
    }

    TestProvider provider() {
        return TestProvider.create(tmp.resolve("p"), TestProvider.GUID, "test lsp", "[\"64\", \"32\"]", List.of("LSP_INSPECTOR"));
    }

    @Test
    void installListsAndVerifiesTheCategoriesAndUninstallLeavesTheBytes() throws Exception {
        TestProvider p = provider();
        String m = p.manifestFile().toString();
        assertEquals(0, Cli.run("list", "--catalog", catalog()).code());
        byte[] before = file(FileCatalog.CATALOG_FILE);

        Cli install = Cli.run("install", "--manifest", m, "--catalog", catalog());
        assertEquals(0, install.code(), install.toString());
        assertTrue(install.err().contains("set the LSP categories LSP_INSPECTOR on \"test lsp\" and its chains in the 64-bit catalog"), install.err());
        assertTrue(install.err().contains("set the LSP categories LSP_INSPECTOR on \"test lsp\" and its chains in the 32-bit catalog"), install.err());

        Cli list = Cli.run("list", "--bits", "all", "--catalog", catalog());
        assertEquals(14, list.out().lines().filter(l -> l.endsWith("categories: LSP_INSPECTOR")).count(), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.matches(" *1014 +chain .*\\[test lsp] → \\[MSAFD Tcpip \\[TCP/IP]]  categories: LSP_INSPECTOR")),
                list.out());

        assertEquals(0, Cli.run("verify", "--manifest", m, "--catalog", catalog()).code());
        TestProvider other = TestProvider.create(tmp.resolve("q"), TestProvider.GUID, "test lsp", "[\"64\", \"32\"]", List.of("LSP_FIREWALL"));
        Cli differ = Cli.run("verify", "--manifest", other.manifestFile().toString(), "--catalog", catalog(), "--json");
        assertEquals(ExitCodes.FAILURE, differ.code(), differ.toString());
        JsonNode problems = new ObjectMapper().readTree(differ.out()).get("problems");
        assertEquals(14, problems.size());
        problems.forEach(x -> assertEquals("CATEGORIES_DIFFER", x.get("kind").asText()));

        assertEquals(0, Cli.run("uninstall", "--manifest", m, "--catalog", catalog()).code());
        assertArrayEquals(before, file(FileCatalog.CATALOG_FILE));
    }

    @Test
    void appCategoryShowsAndAddsAndExplainsWhatLoads() throws Exception {
        TestProvider p = provider();
        assertEquals(0, Cli.run("install", "--manifest", p.manifestFile().toString(), "--catalog", catalog()).code());

        Cli show = Cli.run("app-category", "/usr/bin/scanner", "--catalog", catalog());
        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().startsWith("/usr/bin/scanner is not categorized: every LSP loads into it\n  loads     test lsp"), show.out());

        Cli dry = Cli.run("app-category", "/usr/bin/scanner", "--permit", "firewall", "--dry-run", "--catalog", catalog());
        assertEquals(0, dry.code(), dry.toString());
        assertTrue(dry.out().contains("permit LSP_FIREWALL to /usr/bin/scanner"), dry.out());
        assertNull(file(FileCatalog.APPLICATIONS_FILE), "a dry run changes nothing");

        Cli set = Cli.run("app-category", "/usr/bin/scanner", "--permit", "LSP_FIREWALL", "--catalog", catalog());
        assertEquals(0, set.code(), set.toString());
        assertEquals("/usr/bin/scanner permits LSP_FIREWALL\n", set.out());
        Cli after = Cli.run("app-category", "/usr/bin/scanner", "--catalog", catalog(), "--json");
        JsonNode j = new ObjectMapper().readTree(after.out());
        assertTrue(j.get("categorized").asBoolean());
        assertEquals("LSP_FIREWALL", j.get("permitted").asText());
        assertFalse(j.get("lsps").get(0).get("loads").asBoolean(), "an inspector does not load where only firewalls are permitted");

        Cli again = Cli.run("app-category", "/usr/bin/scanner", "--permit", "LSP_FIREWALL", "--catalog", catalog());
        assertEquals(ExitCodes.REFUSED, again.code(), again.toString());
        assertTrue(again.err().contains("permits LSP_FIREWALL already"), again.err());

        Cli bad = Cli.run("app-category", "/usr/bin/scanner", "--permit", "sniffer", "--catalog", catalog());
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.toString());
        assertTrue(bad.err().contains("\"sniffer\" is not an LSP category"), bad.err());

        Cli svchost = Cli.run("app-category", "%SystemRoot%\\system32\\svchost.exe", "--extra", "-k netsvcs", "--permit", "system",
                "--catalog", catalog(), "--json");
        assertEquals(0, svchost.code(), svchost.toString());
        assertEquals("-k netsvcs", new ObjectMapper().readTree(svchost.out()).get("application").get("extra").asText());
        assertTrue(Cli.run("app-category", "%SystemRoot%\\system32\\svchost.exe", "--catalog", catalog()).out()
                .startsWith("%SystemRoot%\\system32\\svchost.exe is not categorized"), "another command line, another application");
    }

    /** Killed at each of the install's new steps (and after the application step): rollback restores the bytes. */
    @Test
    void killedInTheMiddleOfTheNewStepsRollbackRestoresTheBytes() throws Exception {
        TestProvider p = provider();
        String m = p.manifestFile().toString();
        assertEquals(0, Cli.run("list", "--catalog", catalog()).code());
        byte[] before = file(FileCatalog.CATALOG_FILE);
        List<String> steps = PlannedSteps.of("install", "--manifest", m, "--catalog", catalog());
        List<String> points = new java.util.ArrayList<>();
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).equals("setLspCategories")) points.add(PlannedSteps.after(i, steps));
        assertEquals(2, points.size(), "after the 64-bit categories; after the 32-bit ones: " + steps);
        for (String point : points) {
            killAt(point, "install", "--manifest", m, "--catalog", catalog());
            assertFalse(java.util.Arrays.equals(before, file(FileCatalog.CATALOG_FILE)), "half-installed at " + point);
            Cli rollback = Cli.run("rollback", "--catalog", catalog());
            assertEquals(0, rollback.code(), rollback.toString());
            assertArrayEquals(before, file(FileCatalog.CATALOG_FILE), point);
            assertNull(file(FileCatalog.SHIM_CONFIG_FILE));
        }

        assertEquals(0, Cli.run("app-category", "/usr/bin/scanner", "--permit", "LSP_PROXY", "--catalog", catalog()).code());
        byte[] apps = file(FileCatalog.APPLICATIONS_FILE);
        killAt("verify", "app-category", "/usr/bin/scanner", "--permit", "LSP_INSPECTOR", "--catalog", catalog());
        assertFalse(java.util.Arrays.equals(apps, file(FileCatalog.APPLICATIONS_FILE)), "the category was added before the crash");
        assertEquals(0, Cli.run("rollback", "--catalog", catalog()).code());
        assertArrayEquals(apps, file(FileCatalog.APPLICATIONS_FILE));
    }

    private void killAt(String point, String... args) throws Exception {
        Process child = ChildCli.builder(List.of("-D" + TestHooks.PAUSE_AT + "=" + point), args).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = lines.readLine()) != null && !line.startsWith("wsp4j: paused at " + point)) seen.append(line).append('\n');
            assertNotNull(line, "never paused at " + point + ":\n" + seen);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(Files.exists(tmp.resolve("catalog").resolve("journal").resolve("transaction.json")), "the journal survives");
    }

    /** Through the native shim on the host: a process run as an application that permits no inspector has no wsp4j in it. */
    @Test
    void hostAsAnApplicationThatPermitsNoInspectorRunsWithoutWsp4j() throws Exception {
        String m = DemoStoryTest.MANIFEST.toString(); // the accounting sample: an inspector
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", catalog()).code());
        assertEquals(0, Cli.run("app-category", "/usr/bin/scanner", "--permit", "LSP_FIREWALL", "--catalog", catalog()).code());

        Cli without = Cli.run("host", "--catalog", catalog(), "--application", "/usr/bin/scanner");
        assertEquals(0, without.code(), without.toString());
        assertTrue(without.out().contains("as /usr/bin/scanner, which permits LSP_FIREWALL"), without.out());
        assertTrue(without.out().contains("no accounting"), "wsp4j is not in this process's chains: " + without.out());
        assertTrue(without.out().contains("FD_ACCEPT"), "the traffic ran through the base provider: " + without.out());

        assertEquals(0, Cli.run("app-category", "/usr/bin/scanner", "--permit", "LSP_INSPECTOR", "--catalog", catalog()).code());
        Cli with = Cli.run("host", "--catalog", catalog(), "--application", "/usr/bin/scanner");
        assertEquals(0, with.code(), with.toString());
        assertTrue(with.out().contains("total: 2 connections"), "now it permits inspectors: " + with.out());
    }
}
