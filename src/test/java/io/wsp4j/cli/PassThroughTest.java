package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A provider installed for some programs only ({@code "allow": ["curl"]}) must leave every other
 * process's sockets working: the installer writes what the shim needs to pass them through (on the
 * Linux host, the host's base provider as the lower provider), and this JVM, which the allow-list does
 * not name, gets the base provider's table.
 */
@EnabledOnOs(OS.LINUX)
class PassThroughTest {
    @TempDir
    Path tmp;

    static String run(int expectedExit, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter text = new StringWriter();
        cl.setOut(new PrintWriter(text));
        cl.setErr(new PrintWriter(text));
        int rc = cl.execute(args);
        assertEquals(expectedExit, rc, text.toString());
        return text.toString();
    }

    @Test
    void anUntargetedProcessGetsTheLowerProvidersTable() throws Exception {
        Path catalog = Files.createDirectories(tmp.resolve("catalog"));
        Path log = tmp.resolve("shim.log");
        String json = Files.readString(DemoStoryTest.MANIFEST).replace("\"allow\": [\"*\"]", "\"allow\": [\"curl\"]")
                .replace("\"catalogs\"", "\"log\": \"" + log + "\", \"catalogs\"");
        Path manifest = Files.writeString(tmp.resolve("curl-only.json"), json);
        run(ExitCodes.OK, "install", "--manifest", manifest.toString(), "--catalog", catalog.toString());
        assertTrue(Files.readString(catalog.resolve("shim.conf")).contains("lower_provider="), "what pass-through needs is written");
        run(ExitCodes.OK, "verify", "--catalog", catalog.toString());

        String out = run(ExitCodes.OK, "host", "--catalog", catalog.toString());
        List<String> messages = out.lines().map(String::strip).filter(l -> l.startsWith("message ")).toList();
        assertTrue(messages.stream().anyMatch(l -> l.contains("client") && l.contains("FD_CONNECT") && l.endsWith("ok")), out);
        assertTrue(messages.stream().anyMatch(l -> l.contains("server") && l.contains("FD_CLOSE")), out);
        assertTrue(out.contains("no accounting"), "the Java provider did not run in this untargeted process: " + out);
        assertFalse(Files.exists(log) && Files.readString(log).contains("cannot pass through"),
                "the shim passed through: " + (Files.exists(log) ? Files.readString(log) : ""));
    }
}
