package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.winsock.WsaErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A targeted process whose Java provider cannot be had: pass-through by default, WSAEPROVIDERFAILEDINIT
 * with fail_policy=fail, one log line either way; and what a missing or broken configuration does.
 */
@EnabledOnOs(OS.LINUX)
class ShimFailPolicyTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("shim.log");
    }

    private ShimConfigLines targeted(Path jvm, String entryClass) throws Exception {
        return new ShimConfigLines()
                .set("jvm", jvm)
                .set("classpath", NativeTools.entryClassPath())
                .set("jvm_option", "-Xrs")
                .set("entry_class", entryClass)
                .set("allow", "*")
                .set("lower_provider", NativeTools.lowerProvider())
                .set("log", log());
    }

    private Path missingJvm() {
        return dir.resolve("no-such-jdk/lib/server/libjvm.so");
    }

    /** The log file's lines: exactly one is expected for each failure. */
    private String onlyLogLine() throws Exception {
        assertTrue(Files.exists(log()), "the failure must be logged");
        List<String> lines = Files.readAllLines(log());
        assertEquals(1, lines.size(), () -> "one line per failure: " + lines);
        assertTrue(lines.get(0).contains("wsp4j-shim shim_host["), lines.get(0));
        return lines.get(0);
    }

    private static List<Long> untouched() {
        return Collections.nCopies(WSPPROC_TABLE.layout().memberLayouts().size(), 0L);
    }

    @Test
    void aMissingJvmPassesThroughByDefault() throws Exception {
        Path config = targeted(missingJvm(), "io/wsp4j/shim/CreatePathEntry").writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(0, report.integer("call0.status"));
        assertEquals(ShimAllowListTest.lowerMarkers(), report.procTable(0));
        assertFalse(report.jvmMappedAfter());
        String line = onlyLogLine();
        assertTrue(line.contains("cannot load " + missingJvm()), line);
        assertTrue(line.contains("passed through"), line);
    }

    @Test
    void aMissingJvmFailsWithFailPolicyFail() throws Exception {
        Path config = targeted(missingJvm(), "io/wsp4j/shim/CreatePathEntry").set("fail_policy", "fail")
                .writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertEquals(untouched(), report.procTable(0));
        assertEquals("0", report.get("lower.loaded"));
        String line = onlyLogLine();
        assertTrue(line.contains("fail_policy=fail"), line);
    }

    @Test
    void aMissingEntryClassPassesThrough() throws Exception {
        Path config = targeted(NativeTools.jvmLibrary(), "io/wsp4j/shim/NoSuchEntry").writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(0, report.integer("call0.status"));
        assertEquals(ShimAllowListTest.lowerMarkers(), report.procTable(0));
        String line = onlyLogLine();
        assertTrue(line.contains("java.lang.ClassNotFoundException: io.wsp4j.shim.NoSuchEntry"), line);
    }

    @Test
    void anExceptionFromJavaIsClearedAndPassesThrough() throws Exception {
        Path config = targeted(NativeTools.jvmLibrary(), "io/wsp4j/shim/ThrowingEntry").writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(0, report.integer("call0.status"));
        assertEquals(ShimAllowListTest.lowerMarkers(), report.procTable(0));
        String line = onlyLogLine();
        assertTrue(line.contains("java.lang.IllegalStateException: " + ThrowingEntry.MESSAGE), line);
    }

    @Test
    void anExceptionFromJavaFailsWithFailPolicyFail() throws Exception {
        Path config = targeted(NativeTools.jvmLibrary(), "io/wsp4j/shim/ThrowingEntry").set("fail_policy", "fail")
                .writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertEquals(untouched(), report.procTable(0));
        assertTrue(onlyLogLine().contains(ThrowingEntry.MESSAGE));
    }

    @Test
    void anErrorCodeFromJavaIsAFailedStartAndPassesThroughByDefault() throws Exception {
        Path config = targeted(NativeTools.jvmLibrary(), "io/wsp4j/shim/RefusingEntry").writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(0, report.integer("call0.status"), "the lower provider's result, not Java's 10106");
        assertEquals(ShimAllowListTest.lowerMarkers(), report.procTable(0));
        assertEquals(1, report.integer("lower.calls"));
        String line = onlyLogLine();
        assertTrue(line.contains("the Java WSPStartup returned " + WsaErrors.WSAEPROVIDERFAILEDINIT), line);
        assertTrue(line.contains("passed through"), line);
    }

    @Test
    void anErrorCodeFromJavaFailsWithFailPolicyFailAndLeavesNothingJavaWrote() throws Exception {
        Path config = targeted(NativeTools.jvmLibrary(), "io/wsp4j/shim/RefusingEntry").set("fail_policy", "fail")
                .writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertEquals(untouched(), report.procTable(0), "the half-written table is undone");
        assertEquals("0", report.get("lower.loaded"));
        assertTrue(onlyLogLine().contains("fail_policy=fail"));
    }

    @Test
    void aLogThatCannotBeOpenedFallsBackToStderrOnTheHostAndSaysWhy() throws Exception {
        Path unopenable = dir.resolve("no-such-directory/shim.log");
        Path config = new ShimConfigLines()
                .set("jvm", missingJvm())
                .set("allow", "*")
                .set("lower_provider", NativeTools.lowerProvider())
                .set("log", unopenable)
                .writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(0, report.integer("call0.status"));
        List<String> lines = report.stderr().lines().filter(l -> l.contains("wsp4j-shim")).toList();
        assertEquals(1, lines.size(), report.stderr());
        assertTrue(lines.get(0).contains("passed through"), lines.get(0));
        assertTrue(lines.get(0).contains("(cannot open the log " + unopenable + " ("), lines.get(0));
    }

    @Test
    void aMissingConfigurationTargetsNothingAndOnLinuxLeavesNoLowerProvider() throws Exception {
        HostReport report = HostReport.run(dir.resolve("no-such.conf"), NativeTools.lowerProvider().toString());

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertFalse(report.jvmMappedAfter());
        assertEquals("0", report.get("lower.loaded"));
        List<String> lines = report.stderr().lines().filter(l -> l.contains("wsp4j-shim")).toList();
        assertEquals(1, lines.size(), report.stderr());
        assertTrue(lines.get(0).contains("no usable configuration (cannot open " + dir.resolve("no-such.conf")), lines.get(0));
        assertTrue(lines.get(0).contains("no `lower_provider` configured"), lines.get(0));
    }

    @Test
    void aConfigurationWithAnUnknownKeyIsDiscardedWhole() throws Exception {
        Path config = targeted(NativeTools.jvmLibrary(), "io/wsp4j/shim/CreatePathEntry").set("jvm_opton", "-Xmx64m")
                .writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertFalse(report.jvmMappedAfter());
        assertFalse(Files.exists(log()), "a discarded configuration's log setting is not used either");
        assertTrue(report.stderr().contains("unknown key `jvm_opton`"), report.stderr());
    }

    @Test
    void aBadFailPolicyIsAConfigurationError() throws Exception {
        Path config = targeted(NativeTools.jvmLibrary(), "io/wsp4j/shim/CreatePathEntry").set("fail_policy", "closed")
                .writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertTrue(report.stderr().contains("fail_policy must be `pass-through` or `fail`, not `closed`"), report.stderr());
    }
}
