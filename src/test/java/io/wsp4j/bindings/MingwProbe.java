package io.wsp4j.bindings;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Asks mingw-w64's gcc, the Windows x64 compiler, what sizes and offsets are: compiles a probe of
 * named integer constant expressions with {@code -S} (nothing is linked or run) and reads the values
 * back from the assembly. Without the cross compiler the caller's test is skipped, or fails when
 * the environment variable {@code CI} is set (CI installs it).
 */
final class MingwProbe {
    static final String COMPILER = "x86_64-w64-mingw32-gcc";
    /** The header jextract parses, with its own declarations (the ntdll wait-packet calls). */
    static final Path WSP4J_H = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("jextract/wsp4j.h");
    /** What the probe includes: jextract/wsp4j.h itself, so the two cannot drift apart. */
    static final String HEADERS = "#include \"" + WSP4J_H.toString().replace("\\", "/") + "\"\n#include <stddef.h>\n";

    private MingwProbe() {}

    /** Skips (or, under CI, fails) the calling test when the cross compiler is not installed. */
    static void requireCompiler() {
        if (onPath(COMPILER)) return;
        String why = COMPILER + " not found on PATH (Debian/Ubuntu: apt-get install gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev)";
        if (System.getenv("CI") != null) fail(why + "; CI must install it");
        Assumptions.abort(why);
    }

    /**
     * Evaluates each named C integer constant expression (e.g. {@code sizeof(GUID)}) under Windows
     * x64 and returns the values by name. Names must be C identifiers.
     */
    static Map<String, Long> evaluate(Map<String, String> expressions, Path workDir) throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder(HEADERS);
        for (var e : expressions.entrySet()) {
            c.append("const unsigned long long ").append(e.getKey()).append(" = ").append(e.getValue()).append(";\n");
        }
        Path source = workDir.resolve("probe.c");
        Path assembly = workDir.resolve("probe.s");
        Files.writeString(source, c, StandardCharsets.UTF_8);
        run(workDir, COMPILER, "-S", "-O0", "-o", assembly.toString(), source.toString());
        Map<String, Long> values = parseAssembly(Files.readString(assembly, StandardCharsets.UTF_8));
        for (String name : expressions.keySet()) {
            if (!values.containsKey(name)) fail("no value for " + name + " in the probe's assembly");
        }
        return values;
    }

    /** The preprocessed text of {@link #HEADERS}: the declarations as the Windows x64 compiler sees them. */
    static String preprocessedHeaders(Path workDir) throws IOException, InterruptedException {
        Path source = workDir.resolve("headers.c");
        Path out = workDir.resolve("headers.i");
        Files.writeString(source, HEADERS, StandardCharsets.UTF_8);
        run(workDir, COMPILER, "-E", "-P", "-o", out.toString(), source.toString());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    // A constant in .rdata: "name:" then ".quad <value>", or ".space 8" for zero (gcc -S for x86_64-w64-mingw32).
    private static final Pattern CONSTANT =
            Pattern.compile("(?m)^(\\w+):\\s*\\n\\s*(?:\\.quad\\s+(-?\\d+)|\\.space\\s+8)\\s*$");

    static Map<String, Long> parseAssembly(String assembly) {
        Map<String, Long> values = new LinkedHashMap<>();
        Matcher m = CONSTANT.matcher(assembly);
        while (m.find()) values.put(m.group(1), m.group(2) == null ? 0L : Long.parseLong(m.group(2)));
        return values;
    }

    private static void run(Path workDir, String... command) throws IOException, InterruptedException {
        Path log = workDir.resolve("compiler.log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " timed out");
        }
        if (p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed:\n" + Files.readString(log));
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        List<Path> dirs = new ArrayList<>();
        for (String d : path.split(java.io.File.pathSeparator)) if (!d.isEmpty()) dirs.add(Path.of(d));
        return dirs.stream().anyMatch(d -> Files.isExecutable(d.resolve(program)));
    }
}
