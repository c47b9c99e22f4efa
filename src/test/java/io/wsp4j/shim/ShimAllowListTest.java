package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.winsock.WsaErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allow-list: a process it does not name gets the lower provider's WSPStartup, result and table
 * untouched, and never a JVM, even with a loadable libjvm and entry class configured.
 */
@EnabledOnOs(OS.LINUX)
class ShimAllowListTest {
    /** What lower_provider.c writes into entry i. */
    private static final long LOWER_MARKER = 0x51500000L;

    @TempDir
    Path dir;

    private ShimConfigLines javaConfiguredFor(String... allow) throws Exception {
        ShimConfigLines config = new ShimConfigLines()
                .set("jvm", NativeTools.jvmLibrary())
                .set("classpath", NativeTools.entryClassPath())
                .set("entry_class", "io/wsp4j/shim/CreatePathEntry")
                .set("lower_provider", NativeTools.lowerProvider())
                .set("log", dir.resolve("shim.log"));
        for (String pattern : allow) config.set("allow", pattern);
        return config;
    }

    static List<Long> lowerMarkers() {
        List<Long> markers = new ArrayList<>();
        for (int i = 0; i < WSPPROC_TABLE.layout().memberLayouts().size(); i++) markers.add(LOWER_MARKER + i);
        return markers;
    }

    @Test
    void anUntargetedProcessGetsTheLowerProviderUntouchedAndNoJvm() throws Exception {
        Path config = javaConfiguredFor("java", "other*.exe").writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertFalse(report.jvmMappedAfter(), "an untargeted process must never load libjvm");
        assertEquals(0, report.integer("call0.status"));
        assertEquals(lowerMarkers(), report.procTable(0));
        assertEquals(1, report.integer("lower.calls"));
        assertEquals(0x0202, report.integer("lower.version"));
        assertEquals(report.pointer("host.protocol_info"), report.pointer("lower.protocol_info"));
        assertEquals(report.pointer("call0.wsp_data"), report.pointer("lower.wsp_data"));
        assertEquals(report.pointer("call0.proc_table"), report.pointer("lower.proc_table"));
        assertEquals(report.upcallTable("host.upcall"), report.upcallTable("lower.upcall"));
        assertFalse(Files.exists(dir.resolve("shim.log")), "pass-through of an untargeted process is no failure");
    }

    @Test
    void theLowerProvidersErrorIsReturnedAsItIs() throws Exception {
        Path config = javaConfiguredFor().writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(Map.of("LOWER_STATUS", String.valueOf(WsaErrors.WSASYSNOTREADY)), config,
                NativeTools.lowerProvider().toString());

        assertEquals(WsaErrors.WSASYSNOTREADY, report.integer("call0.status"));
        assertFalse(report.jvmMappedAfter());
        assertFalse(Files.exists(dir.resolve("shim.log")));
    }

    @Test
    void anEmptyAllowListTargetsNothing() throws Exception {
        Path config = javaConfiguredFor("").writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertFalse(report.jvmMappedAfter());
        assertEquals(lowerMarkers(), report.procTable(0));
    }

    @Test
    void aPatternMatchesTheExecutablesBaseName() throws Exception {
        Path config = javaConfiguredFor("java", "shim_h?st*").writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertTrue(report.jvmMappedAfter(), "shim_host matches shim_h?st*: targeted");
        assertEquals("0", report.get("lower.loaded"));
        assertEquals(1, report.procTable(0).get(CreatePathEntry.SLOT_CALLS));
    }

    @Test
    void starTargetsEveryProcess() throws Exception {
        Path config = javaConfiguredFor("*").writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertTrue(report.jvmMappedAfter());
        assertEquals(1, report.procTable(0).get(CreatePathEntry.SLOT_CALLS));
    }
}
