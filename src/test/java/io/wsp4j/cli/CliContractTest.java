package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.TestProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Argument errors are exit 2 in one line; --json is JSON on every command, failures included; readers take the lock. */
@EnabledOnOs(OS.LINUX)
class CliContractTest {
    @TempDir
    Path tmp;

    String c;
    String m;

    @BeforeEach
    void catalog() throws Exception {
        c = Files.createDirectories(tmp.resolve("catalog")).toString();
        m = TestProvider.create(tmp.resolve("p")).manifestFile().toString();
    }

    static void oneLineExit(int code, Cli r) {
        assertEquals(code, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one line: " + r);
        assertFalse(r.err().contains("Usage:") || r.err().contains("\tat "), r.toString());
    }

    @Test
    void argumentErrorsAreExitTwoInOneLine() {
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("install", "--catalog", c));
        assertTrue(Cli.run("install", "--catalog", c).err().contains("--manifest"));
        for (String wait : List.of("abc", "-5", "99999999999999999999", "9223372036854775807", "86401", "1.5", "")) {
            Cli r = Cli.run("list", "--catalog", c, "--wait", wait);
            oneLineExit(ExitCodes.BAD_INPUT, r);
            assertTrue(r.err().contains("--wait"), r.toString());
        }
        assertEquals(0, Cli.run("list", "--catalog", c, "--wait", "0").code());
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("list", "--catalog", c, "--colour"));
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("frobnicate"));
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("uninstall", "--catalog", c));
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("uninstall", "--catalog", c, "--manifest", m, "--provider", "{x}"));
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("app-category", "--catalog", c));
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("app-category", "", "--catalog", c));
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("app-category", "/usr/bin/x", "--permit", "sniffer", "--catalog", c));
        Cli dryShow = Cli.run("app-category", "/usr/bin/x", "--dry-run", "--catalog", c);
        oneLineExit(ExitCodes.BAD_INPUT, dryShow);
        assertTrue(dryShow.err().contains("--dry-run") && dryShow.err().contains("--permit"), dryShow.toString());
        Cli extraAlone = Cli.run("host", "--extra", "-k netsvcs", "--catalog", c);
        oneLineExit(ExitCodes.BAD_INPUT, extraAlone);
        assertTrue(extraAlone.err().contains("--application"), extraAlone.toString());
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("host", "--application", "", "--catalog", c));
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("read-catalog", "--bogus", "--catalog", c));
        oneLineExit(ExitCodes.BAD_INPUT, Cli.run("read-catalog", "--catalog", tmp.resolve("no-such-catalog").toString()));
    }

    static JsonNode json(Cli r) throws Exception {
        assertFalse(r.out().isBlank(), "JSON expected on stdout: " + r);
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void jsonIsJsonOnEveryCommandFailuresIncluded() throws Exception {
        List<String[]> commands = new ArrayList<>(List.of(
                new String[] {"list"}, new String[] {"verify"}, new String[] {"plan", "--manifest", m},
                new String[] {"install", "--manifest", m, "--dry-run"}, new String[] {"snapshot", "--list"},
                new String[] {"snapshot", "s1"}, new String[] {"snapshot"}, new String[] {"install", "--manifest", m},
                new String[] {"repair", "--dry-run"}, new String[] {"repair"}, new String[] {"rollback"},
                new String[] {"rollback", "--snapshot", "s1"}, new String[] {"install", "--manifest", m},
                new String[] {"uninstall", "--manifest", m, "--dry-run"}, new String[] {"uninstall", "--manifest", m},
                new String[] {"app-category", "/usr/bin/x"}, new String[] {"app-category", "/usr/bin/x", "--permit", "firewall", "--dry-run"},
                new String[] {"app-category", "/usr/bin/x", "--permit", "firewall"}, new String[] {"read-catalog"},
                // failures
                new String[] {"uninstall", "--manifest", m}, new String[] {"rollback", "--snapshot", "nope"},
                new String[] {"install", "--manifest", tmp.resolve("absent.json").toString()},
                new String[] {"list", "--bits", "16"}, new String[] {"list", "--wait", "-1"}, new String[] {"install"},
                new String[] {"app-category", "/usr/bin/x", "--permit", "firewall"}, new String[] {"app-category", "/usr/bin/x", "--dry-run"},
                new String[] {"app-category"}, new String[] {"read-catalog", "--bogus"}));
        for (String[] cmd : commands) {
            List<String> args = new ArrayList<>(List.of(cmd));
            args.addAll(List.of("--catalog", c, "--json"));
            Cli r = Cli.run(args.toArray(String[]::new));
            JsonNode j = json(r);
            if (r.code() != 0) {
                assertEquals(r.code(), j.get("exitCode").asInt(), r.toString());
                assertTrue(j.get("error").asText().length() > 10, r.toString());
            }
        }
        assertEquals("s1", json(Cli.run("snapshot", "--list", "--json", "--catalog", c)).get("snapshots").get(0).get("name").asText());
    }

    @Test
    void listTakesTheLockAndWaitsForAWriter() throws Exception {
        assertEquals(0, Cli.run("list", "--catalog", c).code());
        try (CatalogLock writer = CatalogLock.acquire(Path.of(c), Duration.ZERO)) {
            Cli r = Cli.run("list", "--catalog", c, "--wait", "0");
            oneLineExit(ExitCodes.REFUSED, r);
            assertTrue(r.err().contains("being changed by another installer"), r.toString());
            assertEquals(ExitCodes.REFUSED, Cli.run("verify", "--catalog", c, "--wait", "0").code());
            assertEquals(ExitCodes.REFUSED, Cli.run("snapshot", "x", "--catalog", c, "--wait", "0").code());
            assertEquals(ExitCodes.REFUSED, Cli.run("app-category", "/usr/bin/x", "--catalog", c, "--wait", "0").code());
            assertEquals(ExitCodes.REFUSED, Cli.run("app-category", "/usr/bin/x", "--permit", "proxy", "--dry-run", "--catalog", c,
                    "--wait", "0").code());
            // The new process through which a transaction verifies reads while its parent holds the lock: it takes none.
            assertEquals(0, Cli.run("read-catalog", "--catalog", c, "--wait", "0").code());
        }
        assertEquals(0, Cli.run("list", "--catalog", c, "--wait", "0").code());
    }

    @Test
    void everyCommandThatReadsOrWritesACatalogNoticesAnUnfinishedTransaction() throws Exception {
        assertEquals(0, Cli.run("list", "--catalog", c).code());
        Path journal = Files.createDirectories(Path.of(c, "journal")).resolve("transaction.json");
        Files.writeString(journal, "{}");
        for (String[] cmd : List.of(new String[] {"list"}, new String[] {"verify"}, new String[] {"plan", "--manifest", m},
                new String[] {"install", "--manifest", m}, new String[] {"install", "--manifest", m, "--dry-run"},
                new String[] {"uninstall", "--manifest", m}, new String[] {"uninstall", "--manifest", m, "--dry-run"},
                new String[] {"repair"}, new String[] {"repair", "--dry-run"}, new String[] {"snapshot", "x"},
                new String[] {"host"}, new String[] {"demo"}, new String[] {"app-category", "/usr/bin/x"},
                new String[] {"app-category", "/usr/bin/x", "--permit", "proxy"},
                new String[] {"app-category", "/usr/bin/x", "--permit", "proxy", "--dry-run"})) {
            List<String> args = new ArrayList<>(List.of(cmd));
            args.addAll(List.of("--catalog", c));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(ExitCodes.REFUSED, r.code(), String.join(" ", cmd) + ": " + r);
            assertTrue((r.err() + r.out()).contains("wsp4j rollback"), String.join(" ", cmd) + ": " + r);
        }
        // Except the new process a transaction verifies through: it reads the catalog its parent is changing, journal and all.
        Cli fresh = Cli.run("read-catalog", "--catalog", c);
        assertEquals(0, fresh.code(), fresh.toString());
        assertEquals("wsp4j-catalog/1", new ObjectMapper().readTree(fresh.out()).get("format").asText());
    }

    @Test
    void theFirstCreationOfACatalogSaysWhereItLives() throws Exception {
        Path fresh = tmp.resolve("state").resolve("wsp4j");
        Cli r = Cli.run("install", "--manifest", m, "--catalog", fresh.toString(), "--dry-run");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), "a dry run creates nothing: " + r);
        assertFalse(Files.exists(fresh));
        Path directoryAsShim = Files.writeString(tmp.resolve("dir-shim.json"), Files.readString(Path.of(m))
                .replaceFirst("\"shimPath\": \"[^\"]*\"", "\"shimPath\": \"/\""));
        Cli refused = Cli.run("install", "--manifest", directoryAsShim.toString(), "--catalog", fresh.toString());
        assertEquals(ExitCodes.BAD_INPUT, refused.code(), refused.toString());
        assertFalse(Files.exists(tmp.resolve("state")), "a refused install changes nothing, the catalog it would create included");
        Cli notACatalog = Cli.run("list", "--catalog", tmp.resolve("p").toString());
        assertEquals(ExitCodes.BAD_INPUT, notACatalog.code(), notACatalog.toString());
        assertTrue(notACatalog.err().contains("is not a file catalog"), notACatalog.toString());

        Cli install = Cli.run("install", "--manifest", m, "--catalog", fresh.toString());
        assertEquals(0, install.code(), install.toString());
        assertTrue(Files.isRegularFile(fresh.resolve("catalog.json")));

        // The default catalog ($WSP4J_HOME here): readers do not create it; the first install says where it lives.
        Path home = tmp.resolve("home");
        ProcessBuilder list = ChildCli.builder(List.of(), "list").redirectErrorStream(true);
        list.environment().put("WSP4J_HOME", home.toString());
        Process l = list.start();
        String listed = new String(l.getInputStream().readAllBytes());
        assertEquals(ExitCodes.FAILURE, l.waitFor(), listed);
        assertTrue(listed.contains("no such directory") && listed.contains("wsp4j install"), listed);
        assertFalse(Files.exists(home));
        ProcessBuilder first = ChildCli.builder(List.of(), "install", "--manifest", m).redirectErrorStream(true);
        first.environment().put("WSP4J_HOME", home.toString());
        Process f = first.start();
        String said = new String(f.getInputStream().readAllBytes());
        assertEquals(0, f.waitFor(), said);
        assertTrue(said.contains("created the file catalog " + home + " (the default"), said);
    }
}
