package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the shim for each target with src/main/c/build.sh and reads the binaries back: what they
 * export (ws2_32 needs WSPStartup and nothing else), what they import (the JVM and ws2_32 are found at
 * run time, never imported), and whether the JVM code is in the build at all.
 */
@EnabledOnOs(OS.LINUX)
class ShimBuildTest {
    @TempDir
    Path out;

    @Test
    void windowsX64DllExportsOnlyWSPStartupAndLoadsTheJvmAtRunTime() throws Exception {
        NativeTools.requireTool("x86_64-w64-mingw32-gcc");
        NativeTools.requireTool("x86_64-w64-mingw32-objdump");
        Path dll = build("windows", "wsp4j_shim.dll");
        String headers = objdump("x86_64-w64-mingw32-objdump", dll);

        assertTrue(headers.contains("file format pei-x86-64"), headers);
        assertEquals(List.of("WSPStartup"), exports(headers));
        List<String> imports = imports(headers);
        assertTrue(imports.contains("kernel32.dll"), imports::toString);
        assertFalse(imports.contains("jvm.dll"), "jvm.dll must be loaded at run time: " + imports);
        assertFalse(imports.contains("ws2_32.dll"), "ws2_32 is looked up at run time: " + imports);
        assertTrue(containsText(dll, "JNI_CreateJavaVM"), "the x64 build must look up the JVM");
        assertTrue(containsText(dll, "WSCGetProviderPath"), "the x64 build must resolve the chain from the catalog");
    }

    @Test
    void windowsX86DllExportsOnlyWSPStartupUndecoratedAndHasNoJvm() throws Exception {
        NativeTools.requireTool("i686-w64-mingw32-gcc");
        NativeTools.requireTool("i686-w64-mingw32-objdump");
        Path dll = build("windows32", "wsp4j_shim32.dll");
        String headers = objdump("i686-w64-mingw32-objdump", dll);

        assertTrue(headers.contains("file format pei-i386"), headers);
        // Undecorated: ws2_32 asks for "WSPStartup", not the stdcall name "WSPStartup@76".
        assertEquals(List.of("WSPStartup"), exports(headers));
        List<String> imports = imports(headers);
        assertFalse(imports.contains("jvm.dll"), imports::toString);
        assertFalse(containsText(dll, "JNI_CreateJavaVM"), "the 32-bit build is pass-through only");
        assertTrue(containsText(dll, "WSCGetProviderPath"), "the 32-bit build must resolve the chain from the catalog");
    }

    @Test
    void linuxSharedObjectExportsOnlyWSPStartup() throws Exception {
        Path library = NativeTools.shimLibrary();
        String symbols = NativeTools.run(List.of("nm", "-D", "--defined-only", library.toString())).assertSucceeded().stdout();
        List<String> exported = new ArrayList<>();
        for (String line : symbols.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            // Functions and data only; the linker's own markers (e.g. version nodes, type A) are not exports.
            if (fields.length == 3 && "TtDdBbRr".indexOf(fields[1].charAt(0)) >= 0) exported.add(fields[2]);
        }
        assertEquals(List.of("WSPStartup"), exported, symbols);
    }

    private Path build(String target, String file) throws IOException, InterruptedException {
        NativeTools.run(java.util.Map.of("JAVA_HOME", System.getProperty("java.home")),
                List.of("sh", NativeTools.SHIM_SOURCES.resolve("build.sh").toString(), target, out.toString()))
                .assertSucceeded();
        Path built = out.resolve(file);
        assertTrue(Files.isRegularFile(built), "build.sh " + target + " made no " + file);
        return built;
    }

    private static String objdump(String tool, Path file) throws IOException, InterruptedException {
        return NativeTools.run(List.of(tool, "-p", file.toString())).assertSucceeded().stdout();
    }

    /** The names in objdump's "[Ordinal/Name Pointer] Table", in order. */
    static List<String> exports(String headers) {
        List<String> names = new ArrayList<>();
        int start = headers.indexOf("[Ordinal/Name Pointer] Table");
        if (start < 0) return names;
        Matcher entry = Pattern.compile("^\\s*\\[\\s*\\d+\\]\\s+(\\S+)\\s*$", Pattern.MULTILINE).matcher(headers);
        String[] lines = headers.substring(start).split("\n");
        for (int i = 1; i < lines.length && !lines[i].isBlank(); i++) {
            if (entry.reset(lines[i]).matches()) names.add(entry.group(1));
        }
        return names;
    }

    /** The DLLs named in the import table, lower case. */
    static List<String> imports(String headers) {
        List<String> names = new ArrayList<>();
        Matcher dll = Pattern.compile("DLL Name: (\\S+)").matcher(headers);
        while (dll.find()) names.add(dll.group(1).toLowerCase(Locale.ROOT));
        return names;
    }

    private static boolean containsText(Path file, String text) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
    }
}
