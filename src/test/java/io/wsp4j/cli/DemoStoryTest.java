package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
