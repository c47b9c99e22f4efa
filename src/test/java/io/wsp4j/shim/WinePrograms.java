package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shim's Windows build and its test programs, cross-built with mingw-w64 for one bitness: the
 * shim DLL (src/main/c/build.sh), shim_host as a Windows program, the fake lower provider, the fake
 * catalog (fake_ws2_32.c, as ws2_32.dll in a folder of its own), and for x64 the fake jvm.dll (laid
 * out as a JDK's bin/server/jvm.dll) and the process-exit stand-in.
 */
record WinePrograms(boolean bits32, Path shim, Path host, Path lower, Path fakeWs2, Path fakeJvm, Path exitStandIn) {

    /** Skips, or under CI fails, when the cross compiler for this bitness is missing. */
    static void require(boolean bits32) {
        NativeTools.requireTool(compiler(bits32));
    }

    static String compiler(boolean bits32) {
        return bits32 ? "i686-w64-mingw32-gcc" : "x86_64-w64-mingw32-gcc";
    }

    static WinePrograms build(boolean bits32) throws IOException, InterruptedException {
        Path dir = NativeTools.BUILD.resolve(bits32 ? "wine-x86" : "wine-x64");
        Files.createDirectories(dir);
        String target = bits32 ? "windows32" : "windows";
        NativeTools.run(Map.of("JAVA_HOME", System.getProperty("java.home")),
                List.of("sh", NativeTools.SHIM_SOURCES.resolve("build.sh").toString(), target, dir.toString())).assertSucceeded();
        Path shim = dir.resolve(bits32 ? "wsp4j_shim32.dll" : "wsp4j_shim.dll");
        assertTrue(Files.isRegularFile(shim), "build.sh " + target + " made no " + shim);
        // The executable's name is what the allow-list matches: mixed case on purpose.
        Path host = compile(bits32, dir.resolve(bits32 ? "ShimHost32.exe" : "ShimHost.exe"), List.of("shim_host.c"));
        // --kill-at: ws2_32 (and the shim) look up "WSPStartup", not the x86 stdcall name "WSPStartup@76".
        Path lower = compile(bits32, dir.resolve("lower_provider.dll"), List.of("-shared", "-Wl,--kill-at", "lower_provider.c"));
        Path fakeWs2 = dir.resolve("fake-ws2/ws2_32.dll");
        Files.createDirectories(fakeWs2.getParent());
        compile(bits32, fakeWs2, List.of("-shared", "-Wl,--kill-at", "fake_ws2_32.c"));
        if (bits32) return new WinePrograms(true, shim, host, lower, fakeWs2, null, null);
        Path jdk = Path.of(System.getProperty("java.home"));
        Path fakeJvm = dir.resolve("fake-jdk/bin/server/jvm.dll");
        Files.createDirectories(fakeJvm.getParent());
        compile(false, fakeJvm, List.of("-shared", "-I" + NativeTools.SHIM_SOURCES.resolve("win"), "-I" + jdk.resolve("include"), "fake_jvm.c"));
        Path standIn = compile(false, dir.resolve("exit_cleanup_stand_in.dll"), List.of("-shared", "exit_cleanup_stand_in.c"));
        return new WinePrograms(false, shim, host, lower, fakeWs2, fakeJvm, standIn);
    }

    private static Path compile(boolean bits32, Path output, List<String> arguments) throws IOException, InterruptedException {
        // mingw's own printf: %llx and PRIxPTR mean the same with every C runtime.
        List<String> command = new ArrayList<>(List.of(compiler(bits32), "-std=c11", "-Wall", "-Wextra", "-Werror",
                "-D__USE_MINGW_ANSI_STDIO=1", "-static-libgcc", "-I" + NativeTools.SHIM_SOURCES, "-o", output.toString()));
        for (String argument : arguments) {
            command.add(argument.endsWith(".c") ? NativeTools.TEST_SOURCES.resolve(argument).toString() : argument);
        }
        NativeTools.run(command).assertSucceeded();
        return output;
    }
}
