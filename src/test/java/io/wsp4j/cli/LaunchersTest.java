package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers, each copied into a scratch tree with a stand-in `mvn` (a test double that records
 * its arguments and prints a build step as Maven does): ./wsp4j rebuilds whatever the CLI needs that
 * is missing and says how the build goes; benchmarks/run -h never builds, and the benchmarks' build
 * installs nothing into the local repository.
 */
@EnabledOnOs(OS.LINUX)
class LaunchersTest {
    static final Path PROJECT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

    @TempDir
    Path tmp;

    record Run(int code, String out, List<String> mavenCalls) {}

    /** A stand-in mvn: records its arguments, says one build step, and creates what the launcher checks for. */
    Path fakeMaven() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, """
                #!/bin/sh
                echo "$*" >> "%s"
                echo "[INFO] --- maven-compiler-plugin:3.14.0:compile (default-compile) @ wsp4j ---"
                mkdir -p target/native target/lib
                touch target/native/libwsp4j_shim.so target/native/libwsp4j_host_base.so
                """.formatted(tmp.resolve("mvn-calls")));
        mvn.toFile().setExecutable(true);
        return bin;
    }

    Run run(Path script, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", fakeMaven() + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        Path calls = tmp.resolve("mvn-calls");
        List<String> made = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        Files.deleteIfExists(calls);
        return new Run(p.exitValue(), out, made);
    }

    /** A scratch copy of the launcher beside a built tree whose jar runs this build's CLI. */
    Path launcherTree() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("wsp4j"));
        Files.copy(PROJECT.resolve("wsp4j"), root.resolve("wsp4j"));
        Files.createDirectories(root.resolve("src/main/sh"));
        Files.copy(PROJECT.resolve("src/main/sh/find-jdk.sh"), root.resolve("src/main/sh/find-jdk.sh"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path target = Files.createDirectories(root.resolve("target"));
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        StringBuilder cp = new StringBuilder();
        for (String entry : ChildCli.classpath().split(File.pathSeparator)) cp.append(Path.of(entry).toUri()).append(' ');
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp.toString().strip());
        try (OutputStream out = Files.newOutputStream(target.resolve("wsp4j.jar")); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        Files.createDirectories(target.resolve("lib"));
        Files.createDirectories(target.resolve("native"));
        Files.writeString(target.resolve("native/libwsp4j_shim.so"), "");
        Files.writeString(target.resolve("native/libwsp4j_host_base.so"), "");
        // Sources older than the jar: nothing to rebuild for that reason.
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(root.resolve("pom.xml"), old);
        Files.setLastModifiedTime(root.resolve("src/main/sh/find-jdk.sh"), old);
        Files.setLastModifiedTime(root.resolve("src/main/sh"), old);
        Files.setLastModifiedTime(root.resolve("src/main"), old);
        return root;
    }

    @Test
    void theLauncherRebuildsWhateverIsMissingAndShowsTheBuildGoing() throws Exception {
        Path root = launcherTree();
        Path wsp4j = root.resolve("wsp4j");
        Run fresh = run(wsp4j, "--version");
        assertEquals(0, fresh.code(), fresh.out());
        assertTrue(fresh.out().contains("wsp4j "), fresh.out());
        assertEquals(List.of(), fresh.mavenCalls(), "nothing missing, nothing newer: no build");

        for (String missing : List.of("target/native/libwsp4j_shim.so", "target/native/libwsp4j_host_base.so", "target/lib")) {
            Files.delete(root.resolve(missing));
            Run r = run(wsp4j, "--version");
            assertEquals(0, r.code(), missing + ": " + r.out());
            assertEquals(1, r.mavenCalls().size(), missing + " is missing: rebuilt\n" + r.out());
            assertTrue(r.mavenCalls().getFirst().contains("package"), r.mavenCalls().toString());
            assertTrue(r.out().contains("wsp4j: building: maven-compiler-plugin:3.14.0:compile"), "the build's progress: " + r.out());
            assertTrue(Files.exists(root.resolve(missing)));
        }
    }

    @Test
    void benchmarksHelpNeverBuildsAndTheirBuildInstallsNothing() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(root.resolve("benchmarks"));
        Files.copy(PROJECT.resolve("benchmarks/run"), root.resolve("benchmarks/run"));
        Files.createDirectories(root.resolve("src/main/sh"));
        Files.copy(PROJECT.resolve("src/main/sh/find-jdk.sh"), root.resolve("src/main/sh/find-jdk.sh"));

        Run help = run(root.resolve("benchmarks/run"), "-h");
        assertEquals(0, help.code(), help.out());
        assertEquals(List.of(), help.mavenCalls(), "help must not build");
        assertTrue(help.out().contains("Presets"), help.out());
        assertFalse(help.out().contains("\u001b"), "no colour codes");

        Run smoke = run(root.resolve("benchmarks/run"), "--smoke");
        assertFalse(smoke.mavenCalls().isEmpty(), smoke.out());
        for (String call : smoke.mavenCalls()) {
            assertFalse(List.of(call.split(" ")).contains("install"), "nothing installed into the local repository: " + call);
            assertTrue(call.contains("-Dstyle.color=never"), call);
        }
    }
}
