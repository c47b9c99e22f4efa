package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's main job, end to end on a catalog of the test's own: install through the installer,
 * traffic through the native shim and the Java sample provider on the host, uninstall.
 */
@EnabledOnOs(OS.LINUX)
class DemoStoryTest {
    static final Path MANIFEST = Path.of(System.getProperty("basedir", ""), "provider-manifest", "accounting.host.json").toAbsolutePath();

    @TempDir Path catalog;

    private String run(int expectedExit, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter text = new StringWriter();
        cl.setOut(new PrintWriter(text));
        cl.setErr(new PrintWriter(text));
        int rc = cl.execute(args);
        assertEquals(expectedExit, rc, text.toString());
        return text.toString();
    }

    @Test
    void demoInstallsRunsTrafficThroughTheLayeredSampleAndLeavesTheCatalogAsItWas() throws Exception {
        run(ExitCodes.OK, "list", "--catalog", catalog.toString()); // seeds the catalog
        byte[] before = Files.readAllBytes(catalog.resolve("catalog.json"));

        String out = run(ExitCodes.OK, "demo", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString());

        List<String> messages = out.lines().map(String::strip).filter(l -> l.startsWith("message ")).toList();
        assertTrue(messages.stream().anyMatch(l -> l.contains("listener") && l.contains("FD_ACCEPT")), out);
        assertTrue(messages.stream().anyMatch(l -> l.contains("client") && l.contains("FD_CONNECT") && l.endsWith("ok")), out);
        assertTrue(messages.stream().anyMatch(l -> l.contains("server") && l.contains("FD_CLOSE")), out);
        Matcher total = Pattern.compile("total: 2 connections, (\\d+) bytes in, (\\d+) bytes out \\(the app sent (\\d+) bytes").matcher(out);
        assertTrue(total.find(), out);
        assertEquals(total.group(3), total.group(1), "bytes the provider saw come in = bytes the app sent");
        assertEquals(total.group(3), total.group(2), "bytes the provider saw go out = bytes the app sent");
        assertTrue(out.contains("[wsp4j accounting] → [MSAFD Tcpip [TCP/IP]]"), "the list step shows our chain first: " + out);
        assertTrue(out.contains("byte for byte as before"), out);
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve("catalog.json")));
        assertFalse(Files.exists(catalog.resolve("shim.conf")), "uninstall removed the shim configuration");
    }

    @Test
    void anAlreadyInstalledProviderIsUsedAndLeftInstalled() throws Exception {
        run(ExitCodes.OK, "install", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString());
        byte[] installed = Files.readAllBytes(catalog.resolve("catalog.json"));

        String out = run(ExitCodes.OK, "demo", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString());

        assertTrue(out.contains("already installed there"), out);
        assertTrue(out.contains("total: 2 connections"), out);
        assertArrayEquals(installed, Files.readAllBytes(catalog.resolve("catalog.json")));
    }

    @Test
    void aBadManifestIsExitTwoAndTouchesNothing() throws Exception {
        Path bad = Files.writeString(catalog.resolve("bad.json"), "{ \"name\": 42 }");
        String out = run(ExitCodes.BAD_INPUT, "demo", "--catalog", catalog.resolve("cat").toString(), "--manifest", bad.toString());
        assertTrue(out.contains("name"), out);
        assertFalse(Files.exists(catalog.resolve("cat").resolve("catalog.json")), "nothing was written");
    }

    @Test
    void hostRunsTrafficThroughTheCatalogAsInstalled_layeredAfterInstall_baseAloneBefore() throws Exception {
        String bare = run(ExitCodes.OK, "host", "--catalog", catalog.toString());
        assertTrue(bare.contains("no accounting"), "nothing installed: the base provider alone: " + bare);
        assertTrue(bare.contains("FD_ACCEPT"), bare);

        run(ExitCodes.OK, "install", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString());
        String layered = run(ExitCodes.OK, "host", "--catalog", catalog.toString());
        Matcher total = Pattern.compile("total: 2 connections, (\\d+) bytes in, (\\d+) bytes out \\(the app sent (\\d+) bytes").matcher(layered);
        assertTrue(total.find(), layered);
        assertEquals(total.group(3), total.group(1));
        List<String> handles = layered.lines().filter(l -> l.strip().startsWith("message ")).toList();
        assertFalse(handles.isEmpty(), layered);
    }

    /** The events of the messages a --json run decoded, as "role EVENT" (with the error's name where there is one). */
    static List<String> messages(JsonNode messages) {
        List<String> seen = new ArrayList<>();
        for (JsonNode m : messages) {
            seen.add(m.get("role").asText() + " " + m.get("event").asText() + (m.get("error").asInt() == 0 ? "" : " " + m.get("errorName").asText()));
            assertTrue(m.get("socket").asLong() > 0, m.toString());
        }
        return seen;
    }

    @Test
    void demoAsJson_theStepsTheMessagesAndTheAccounting_andNothingElseOnStdout() throws Exception {
        run(ExitCodes.OK, "list", "--catalog", catalog.toString());
        byte[] before = Files.readAllBytes(catalog.resolve("catalog.json"));

        Cli r = Cli.run("demo", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString(), "--json");

        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(r.out()); // the whole of stdout is one JSON document
        assertEquals("done", j.get("result").asText());
        assertFalse(j.has("error") || j.has("exitCode"), r.out());
        assertFalse(j.get("alreadyInstalled").asBoolean());
        List<String> steps = new ArrayList<>();
        j.get("steps").forEach(s -> steps.add(s.get("index").asInt() + " " + s.get("step").asText()));
        assertEquals(List.of("1 install", "2 list", "3 traffic", "4 accounting", "5 uninstall"), steps);
        JsonNode install = j.get("steps").get(0), list = j.get("steps").get(1), traffic = j.get("steps").get(2);
        assertEquals(0, install.get("exitCode").asInt());
        assertEquals("committed", install.get("output").get("result").asText(), "install's own JSON: " + install);
        assertEquals("wsp4j-catalog/1", list.get("output").get("format").asText(), "list's own JSON: " + list);
        assertEquals("committed", j.get("steps").get(4).get("output").get("result").asText());
        List<String> messages = messages(traffic.get("messages"));
        assertTrue(messages.contains("listener FD_ACCEPT") && messages.contains("client FD_CONNECT") && messages.contains("server FD_CLOSE"),
                messages.toString());
        JsonNode accounting = j.get("steps").get(3).get("accounting");
        assertEquals(2, accounting.get("connections").asInt(), accounting.toString());
        long sent = traffic.get("appSent").get("total").asLong();
        assertTrue(sent > 0);
        assertEquals(sent, accounting.get("bytesIn").asLong(), "bytes the provider saw come in = bytes the app sent");
        assertEquals(sent, accounting.get("bytesOut").asLong());
        assertEquals(2, accounting.get("closed").size());
        assertTrue(j.get("catalogAsBefore").asBoolean());
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve("catalog.json")));

        assertTrue(r.err().contains("== [3/5]") && r.err().contains("[1/"), "headings and progress go to stderr: " + r.err());
        assertFalse(r.out().contains("== ["), r.out());
    }

    @Test
    void demoAsJson_aFailedStepIsJsonWithItsExitCodeAndTheStepsDoneSoFar() throws Exception {
        run(ExitCodes.OK, "list", "--catalog", catalog.toString());
        byte[] before = Files.readAllBytes(catalog.resolve("catalog.json"));
        Path unloadable = Files.writeString(catalog.resolve("unloadable.json"), Files.readString(MANIFEST)
                .replace("${WSP4J_ROOT}/target/wsp4j.jar", catalog.resolve("no-such.jar").toString()));

        Cli r = Cli.run("demo", "--catalog", catalog.toString(), "--manifest", unloadable.toString(), "--json");

        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(ExitCodes.BAD_INPUT, j.get("exitCode").asInt());
        assertTrue(j.get("error").asText().contains("no-such.jar does not exist"), j.toString());
        assertEquals(1, j.get("steps").size(), "the install failed: nothing after it ran");
        assertEquals(ExitCodes.BAD_INPUT, j.get("steps").get(0).get("output").get("exitCode").asInt(), "install's own failure JSON");
        assertFalse(j.has("result"), j.toString());
        assertArrayEquals(before, Files.readAllBytes(catalog.resolve("catalog.json")));

        Cli bad = Cli.run("demo", "--catalog", catalog.toString(), "--manifest", catalog.resolve("absent.json").toString(), "--json");
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.toString());
        assertEquals(ExitCodes.BAD_INPUT, new ObjectMapper().readTree(bad.out()).get("exitCode").asInt(), bad.toString());
    }

    @Test
    void hostAsJson_baseAloneBefore_layeredAfterInstall() throws Exception {
        Cli bare = Cli.run("host", "--catalog", catalog.toString(), "--json");
        assertEquals(ExitCodes.OK, bare.code(), bare.toString());
        JsonNode b = new ObjectMapper().readTree(bare.out());
        assertTrue(b.get("accounting").isNull(), "nothing installed: the base provider alone: " + b);
        assertTrue(messages(b.get("messages")).contains("listener FD_ACCEPT"), b.toString());
        assertFalse(b.has("application"));

        run(ExitCodes.OK, "install", "--catalog", catalog.toString(), "--manifest", MANIFEST.toString());
        Cli layered = Cli.run("host", "--catalog", catalog.toString(), "--json");
        assertEquals(ExitCodes.OK, layered.code(), layered.toString());
        JsonNode l = new ObjectMapper().readTree(layered.out());
        assertEquals(2, l.get("accounting").get("connections").asInt(), l.toString());
        assertEquals(l.get("appSent").get("total").asLong(), l.get("accounting").get("bytesIn").asLong());

        Cli as = Cli.run("host", "--catalog", catalog.toString(), "--application", "/usr/bin/scanner", "--json");
        assertEquals(ExitCodes.OK, as.code(), as.toString());
        assertFalse(new ObjectMapper().readTree(as.out()).get("application").get("categorized").asBoolean());

        Cli refused = Cli.run("host", "--catalog", catalog.resolve("none").toString(), "--json");
        assertEquals(ExitCodes.BAD_INPUT, refused.code(), refused.toString());
        JsonNode f = new ObjectMapper().readTree(refused.out());
        assertEquals(ExitCodes.BAD_INPUT, f.get("exitCode").asInt());
        assertTrue(f.get("error").asText().contains("no such directory"), f.toString());
    }
}
