package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's log: a file when one is named, else memory (and, on Windows, the debugger); never stdout or stderr. */
class ProviderLogTest {
    @TempDir Path dir;

    @AfterEach
    void forgetTheFile() {
        System.clearProperty(ProviderLog.FILE_PROPERTY);
        System.clearProperty(ProviderLog.DEBUG_PROPERTY);
        ProviderLog.reset();
    }

    @Test
    void aLineWithItsFailureGoesToTheNamedFileAndIsKept() throws Exception {
        Path log = dir.resolve("wsp4j.log");
        System.setProperty(ProviderLog.FILE_PROPERTY, log.toString());
        ProviderLog.reset();
        ProviderLog.error("overlapped dispatcher", new IllegalStateException("port gone"));
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ wsp4j \\S+\\[\\d+] ERROR: overlapped dispatcher"
                + " \\(java.lang.IllegalStateException: port gone\\)"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains("at io.wsp4j.provider.ProviderLogTest")), "the stack trace follows: " + lines);
        assertEquals(lines.get(0), ProviderLog.recent().getLast());
        ProviderLog.warning("second");
        assertTrue(Files.readAllLines(log).getLast().endsWith("WARNING: second"), "appended");
    }

    @Test
    void withoutAFileNothingReachesStdoutOrStderr() {
        System.setProperty(ProviderLog.FILE_PROPERTY, dir.resolve("no/such/dir/wsp4j.log").toString()); // cannot be written
        ProviderLog.reset();
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            ProviderLog.error("lost file", new RuntimeException("x"));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
        assertTrue(ProviderLog.recent().getLast().endsWith("ERROR: lost file (java.lang.RuntimeException: x)"), "kept in memory");
    }

    @Test
    void debugLinesOnlyWhenAskedFor() {
        System.setProperty(ProviderLog.FILE_PROPERTY, dir.resolve("d.log").toString());
        ProviderLog.reset();
        ProviderLog.debug("quiet");
        assertFalse(Files.exists(dir.resolve("d.log")));
        System.setProperty(ProviderLog.DEBUG_PROPERTY, "true");
        ProviderLog.debug("loud");
        assertTrue(ProviderLog.recent().getLast().endsWith("DEBUG: loud"));
    }

    @Test
    void theShimConfigurationsLogKeyIsReadAsTheShimReadsIt() {
        assertEquals(Optional.of(Path.of("/var/log/wsp4j.log")),
                ShimConfigLog.logPath("\uFEFF# comment\r\njvm=/j.so\r\n\t log = /var/log/wsp4j.log \r\nallow=*\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ShimConfigLog.logPath("jvm=/j.so\n# log=/x\nlogfile=/y\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ShimConfigLog.logPath("log=\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of(Path.of("/a=b")), ShimConfigLog.logPath("log=/a=b".getBytes(StandardCharsets.UTF_8)));
    }
}
