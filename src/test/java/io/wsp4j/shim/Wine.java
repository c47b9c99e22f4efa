package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Wine (package wine64, and wine32 for 32-bit programs) with a throwaway prefix: created once
 * per test class (the first boot of a prefix is the slow part) and removed with its wineserver at the
 * end. Programs run with WINEDEBUG=-all, no display, and report how long Wine took in all.
 */
final class Wine implements AutoCloseable {
    static final Path LOADER_64 = Path.of("/usr/lib/wine/wine64");
    /** wine32's loader: 32-bit programs (a 64-bit prefix runs them through it). */
    static final Path LOADER_32 = Path.of("/usr/lib/wine/wine");
    static final Path SERVER = Path.of("/usr/lib/wine/wineserver");
    /** No Mono or Gecko installer at boot, and no menu entries written into the user's home. */
    static final String DLL_OVERRIDES = "mscoree,mshtml=;winemenubuilder.exe=d";

    private final Path prefix;
    private long bootNanos;
    private long runNanos;
    private int runs;

    private Wine(Path prefix) {
        this.prefix = prefix;
    }

    /** Skips the calling test when Wine is not installed; under CI, where .ci/run installs it, fails. */
    static void require() {
        if (Files.isExecutable(LOADER_64)) return;
        String why = LOADER_64 + " is not installed (Debian: apt-get install wine64; .ci/run installs it)";
        if (System.getenv("CI") != null) fail(why);
        Assumptions.abort(why);
    }

    /** A new prefix under the build directory, booted. */
    static Wine boot() throws IOException, InterruptedException {
        Files.createDirectories(NativeTools.BUILD);
        Wine wine = new Wine(Files.createTempDirectory(NativeTools.BUILD, "wine-prefix-"));
        long start = System.nanoTime();
        // A wineserver that stays up between the short runs that follow (it would stop 3 s after each).
        wine.process(List.of(SERVER.toString(), "--persistent"), Map.of()).assertSucceeded();
        wine.process(List.of(LOADER_64.toString(), "wineboot", "--init"), Map.of()).assertSucceeded();
        wine.bootNanos = System.nanoTime() - start;
        return wine;
    }

    /** A path of this machine as Windows programs under Wine see it (drive Z: is the root). */
    static String windowsPath(Path path) {
        return "Z:" + path.toAbsolutePath().toString().replace('/', '\\');
    }

    /** Runs a Windows program (64- or 32-bit, Wine picks the loader) with extra environment variables; null values unset them. */
    NativeTools.Result run(Map<String, String> environment, Path program, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LOADER_64.toString(), program.toString()));
        command.addAll(arguments);
        long start = System.nanoTime();
        try {
            return process(command, environment);
        } finally {
            runNanos += System.nanoTime() - start;
            runs++;
        }
    }

    /** Wine's own reg.exe (64-bit view), e.g. {@code reg("add", "HKLM\\SOFTWARE\\wsp4j", ...)}. */
    NativeTools.Result reg(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LOADER_64.toString(), "reg"));
        command.addAll(List.of(arguments));
        long start = System.nanoTime();
        try {
            return process(command, Map.of());
        } finally {
            runNanos += System.nanoTime() - start;
            runs++;
        }
    }

    private NativeTools.Result process(List<String> command, Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>();
        environment.put("WINEPREFIX", prefix.toString());
        environment.put("WINEDEBUG", "-all");
        environment.put("WINEDLLOVERRIDES", DLL_OVERRIDES);
        environment.put("DISPLAY", null);
        environment.put("WAYLAND_DISPLAY", null);
        environment.putAll(extra);
        return NativeTools.run(environment, command);
    }

    /** How long Wine took: booting the prefix, and the programs run in it. */
    String timings() {
        return String.format("Wine: prefix boot %.1f s, %d runs %.1f s", bootNanos / 1e9, runs, runNanos / 1e9);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            process(List.of(SERVER.toString(), "--kill"), Map.of());
        } finally {
            try (Stream<Path> files = Files.walk(prefix)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
