package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.GUID;
import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim's own SPI structs (wsp4j_shim.h) against the Windows SDK's (mingw-w64's ws2spi.h), size by
 * size and offset by offset, read from src/test/c/spi_layout_probe.c compiled to assembly for each
 * target: the x64 DLL, the x86 DLL, and the Linux build, which must see the Windows x64 layout because
 * the host hands it Windows-shaped memory. The generated FFM layouts (io.wsp4j.bindings) the shim's tests
 * use are checked the same way.
 */
@EnabledOnOs(OS.LINUX)
class SpiLayoutsTest {
    private static final Pattern PROBE_LINE = Pattern.compile("^->(shim|sdk)\\.(\\S+)\\s+\\$?(\\d+)\\s*$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void shimTypesHaveTheWindowsX64Layout() throws Exception {
        NativeTools.requireTool("x86_64-w64-mingw32-gcc");
        Probe x64 = probe("x86_64-w64-mingw32-gcc", true);
        assertSameLayouts(x64.sdk(), x64.shim());
    }

    @Test
    void shimTypesHaveTheWindowsX86LayoutInThe32BitBuild() throws Exception {
        NativeTools.requireTool("i686-w64-mingw32-gcc");
        Probe x86 = probe("i686-w64-mingw32-gcc", true);
        assertSameLayouts(x86.sdk(), x86.shim());
    }

    @Test
    void theLinuxBuildUsesTheWindowsX64Layout() throws Exception {
        NativeTools.requireTool("x86_64-w64-mingw32-gcc");
        Probe x64 = probe("x86_64-w64-mingw32-gcc", true);
        Probe linux = probe("gcc", false);
        assertSameLayouts(x64.sdk(), linux.shim());
    }

    @Test
    void theGeneratedFfmLayoutsHaveTheWindowsX64Layout() throws Exception {
        NativeTools.requireTool("x86_64-w64-mingw32-gcc");
        Map<String, Long> sdk = probe("x86_64-w64-mingw32-gcc", true).sdk();
        Map<String, Long> java = new TreeMap<>();
        // The generated layouts, keyed by the names the probe gives their SDK structs.
        Map<String, GroupLayout> generated = Map.of("GUID", GUID.layout(), "WSAPROTOCOLCHAIN", WSAPROTOCOLCHAIN.layout(),
                "WSAPROTOCOL_INFOW", WSAPROTOCOL_INFOW.layout(), "WSPDATA", WSPData.layout(), "WSPUPCALLTABLE", WSPUPCALLTABLE.layout());
        generated.forEach((name, layout) -> {
            java.put(name, layout.byteSize());
            for (MemoryLayout member : layout.memberLayouts()) {
                String field = member.name().orElseThrow();
                if (sdk.containsKey(name + "." + field)) java.put(name + "." + field, layout.byteOffset(PathElement.groupElement(field)));
            }
        });
        java.put("WSPPROC_TABLE", WSPPROC_TABLE.layout().byteSize());
        List<Executable> checks = new ArrayList<>();
        java.forEach((key, value) -> checks.add(() -> assertEquals(sdk.get(key), value, key)));
        assertAll(checks);
        // Every member the probe knows of these structs is in the Java layouts too (none forgotten).
        for (String key : sdk.keySet()) {
            String struct = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (!struct.equals("WSPPROC_TABLE")) assertTrue(java.containsKey(key), "the generated layouts lack " + key);
        }
    }

    private void assertSameLayouts(Map<String, Long> expected, Map<String, Long> actual) {
        assertFalse(expected.isEmpty(), "the probe printed nothing");
        assertEquals(expected.keySet(), actual.keySet());
        List<Executable> checks = new ArrayList<>();
        expected.forEach((key, value) -> checks.add(() -> assertEquals(value, actual.get(key), key)));
        assertAll(checks);
    }

    record Probe(Map<String, Long> shim, Map<String, Long> sdk) {}

    private Probe probe(String compiler, boolean withSdk) throws IOException, InterruptedException {
        Path assembly = dir.resolve(compiler + ".s");
        List<String> command = new ArrayList<>(List.of(compiler, "-S", "-std=c11", "-I" + NativeTools.SHIM_SOURCES,
                "-o", assembly.toString(), NativeTools.TEST_SOURCES.resolve("spi_layout_probe.c").toString()));
        if (withSdk) command.add(2, "-DPROBE_SDK");
        NativeTools.run(command).assertSucceeded();
        Map<String, Long> shim = new TreeMap<>();
        Map<String, Long> sdk = new TreeMap<>();
        Matcher line = PROBE_LINE.matcher(Files.readString(assembly));
        while (line.find()) (line.group(1).equals("shim") ? shim : sdk).put(line.group(2), Long.parseLong(line.group(3)));
        if (withSdk) assertEquals(shim.keySet(), sdk.keySet(), "the probe must describe both sides alike");
        return new Probe(shim, sdk);
    }
}
