package io.wsp4j.shim;

import static io.wsp4j.shim.CreatePathEntry.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The create path: shim_host, a process with no JVM, calls the shim's WSPStartup; the shim creates a
 * JVM from the configured libjvm and class path and calls the entry class, which reports through the
 * proc table what it received.
 */
@EnabledOnOs(OS.LINUX)
class ShimCreatePathTest {
    private static final int SPI_VERSION = 0x0202; // what shim_host requests, as ws2_32 does

    @TempDir
    Path dir;

    static ShimConfigLines targeting(String entryClass, Path log) throws Exception {
        return new ShimConfigLines()
                .set("jvm", NativeTools.jvmLibrary())
                .set("classpath", NativeTools.entryClassPath())
                .set("jvm_option", "--enable-native-access=ALL-UNNAMED")
                .set("jvm_option", "-Xrs")
                .set("entry_class", entryClass)
                .set("allow", "shim_host")
                .set("lower_provider", NativeTools.lowerProvider())
                .set("log", log);
    }

    @Test
    void createsAJvmAndCallsTheEntryWithTheCallersPointers() throws Exception {
        Path log = dir.resolve("shim.log");
        Path config = targeting("io/wsp4j/shim/CreatePathEntry", log).writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString());

        assertFalse(report.jvmMappedBefore(), "shim_host must start without a JVM");
        assertTrue(report.jvmMappedAfter(), "the shim must have created a JVM");
        assertEquals(0, report.integer("call0.status"));
        List<Long> reported = report.procTable(0);
        assertEquals(report.pointer("call0.wsp_data"), reported.get(SLOT_WSP_DATA));
        assertEquals(report.pointer("host.protocol_info"), reported.get(SLOT_PROTOCOL_INFO));
        assertEquals(report.pointer("call0.proc_table"), reported.get(SLOT_PROC_TABLE));
        assertEquals(SPI_VERSION, reported.get(SLOT_VERSION));
        assertEquals(1, reported.get(SLOT_CALLS));
        // The by-value upcall table reached Java intact, through the shim's own copy of it.
        assertNotEquals(0L, reported.get(SLOT_UPCALL_TABLE));
        assertEquals(report.upcallTable("host.upcall"),
                reported.subList(SLOT_FIRST_UPCALL, SLOT_FIRST_UPCALL + WSPUPCALLTABLE.layout().memberLayouts().size()));
        assertEquals(SPI_VERSION, report.integer("call0.wsp_version"), "Java wrote WSPDATA through the pointer");
        assertEquals("0", report.get("lower.loaded"), "a started Java provider leaves the lower provider to Java");
        assertFalse(Files.exists(log), "success logs nothing");
    }

    @Test
    void aThreadTheJvmHasNeverSeenIsAttachedToTheSameJvm() throws Exception {
        Path config = targeting("io/wsp4j/shim/CreatePathEntry", dir.resolve("shim.log")).writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString(), "--again-on-new-thread");

        assertEquals(0, report.integer("call0.status"));
        assertEquals(0, report.integer("call1.status"));
        List<Long> second = report.procTable(1);
        assertEquals(2, second.get(SLOT_CALLS), "the second call must reach the same JVM and class");
        assertEquals(report.pointer("call1.proc_table"), second.get(SLOT_PROC_TABLE));
        assertEquals(report.pointer("call1.wsp_data"), second.get(SLOT_WSP_DATA));
    }

    @Test
    void theTablesWSPCleanupIsTheShimsOwnAndReachesJava() throws Exception {
        Path config = targeting("io/wsp4j/shim/CreatePathEntry", dir.resolve("shim.log")).writeTo(dir.resolve("shim.conf"));

        HostReport report = HostReport.run(config, NativeTools.lowerProvider().toString(), "--cleanup");

        assertEquals(0, report.integer("call0.status"));
        List<Long> table = report.procTable(0);
        assertNotEquals(0L, table.get(SLOT_CLEANUP));
        assertNotEquals(table.get(SLOT_JAVA_CLEANUP), table.get(SLOT_CLEANUP),
                "lpWSPCleanup must be the shim's own, which can refuse to enter Java after the DLL's detach");
        assertEquals(0, report.integer("cleanup.status"));
        assertEquals(CLEANUP_MARK + 1, report.integer("cleanup.errno"), "the shim's WSPCleanup calls Java's, once");
    }
}
