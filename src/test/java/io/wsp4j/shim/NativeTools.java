package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Builds and runs the native pieces of the shim's tests: the shim itself, the C test programs, tools. */
final class NativeTools {
    private NativeTools() {}

    static final Path PROJECT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    static final Path SHIM_SOURCES = PROJECT.resolve("src/main/c");
    static final Path TEST_SOURCES = PROJECT.resolve("src/test/c");
    static final Path BUILD = PROJECT.resolve("target/native-test");
    private static final long TIMEOUT_SECONDS = 120;

    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        Result assertSucceeded() {
            assertEquals(0, exitCode, () -> String.join(" ", command) + " failed:\n" + stdout + stderr);
            return this;
        }
    }

    static Result run(Map<String, String> environment, List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(BUILD);
        Path out = Files.createTempFile(BUILD, "stdout", ".txt");
        Path err = Files.createTempFile(BUILD, "stderr", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // A null value unsets the variable.
            environment.forEach((name, value) -> {
                if (value == null) builder.environment().remove(name);
                else builder.environment().put(name, value);
            });
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Skips the test when the tool is missing on a developer's machine; CI installs it, so there it fails. */
    static void requireTool(String tool) {
        if (onPath(tool)) return;
        String why = tool + " is not installed (Debian: gcc-mingw-w64 and binutils-mingw-w64; .ci/run installs them)";
        if (System.getenv("CI") != null) fail(why);
        Assumptions.abort(why);
    }

    /** The shim built by Maven's generate-resources; built here when a test runs outside Maven. */
    static synchronized Path shimLibrary() throws IOException, InterruptedException {
        Path library = PROJECT.resolve("target/native/libwsp4j_shim.so");
        if (!Files.exists(library)) {
            run(Map.of("JAVA_HOME", System.getProperty("java.home")),
                    List.of("sh", SHIM_SOURCES.resolve("build.sh").toString(), "linux", library.getParent().toString()))
                    .assertSucceeded();
        }
        return library;
    }

    private static Path hostProgram;
    private static Path lowerProvider;

    /** src/test/c/shim_host.c: plays ws2_32 in a process with no JVM. */
    static synchronized Path hostProgram() throws IOException, InterruptedException {
        if (hostProgram == null) hostProgram = compile("shim_host", List.of("shim_host.c"), List.of("-ldl", "-pthread"));
        return hostProgram;
    }

    /** src/test/c/lower_provider.c: the provider under the shim on the pass-through path. */
    static synchronized Path lowerProvider() throws IOException, InterruptedException {
        if (lowerProvider == null) lowerProvider = compile("liblower_provider.so", List.of("-fPIC", "-shared", "lower_provider.c"), List.of());
        return lowerProvider;
    }

    private static Path compile(String output, List<String> sources, List<String> libraries) throws IOException, InterruptedException {
        Files.createDirectories(BUILD);
        Path target = BUILD.resolve(output);
        List<String> command = new ArrayList<>(List.of("gcc", "-std=c11", "-Wall", "-Wextra", "-I" + SHIM_SOURCES, "-o", target.toString()));
        for (String source : sources) command.add(source.startsWith("-") ? source : TEST_SOURCES.resolve(source).toString());
        command.addAll(libraries);
        run(command).assertSucceeded();
        return target;
    }

    /** The running JDK's libjvm: what an installer would write as `jvm` on the Linux host. */
    static Path jvmLibrary() {
        Path library = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
        assertTrue(Files.exists(library), "no " + library);
        return library;
    }

    /** The class path a created JVM needs for the test entry classes (and the main classes they use). */
    static String entryClassPath() {
        return testClasses() + File.pathSeparator + PROJECT.resolve("target/classes");
    }

    /** Where the test classes (and so the test entry classes) are. */
    static Path testClasses() {
        try {
            return Path.of(NativeTools.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
