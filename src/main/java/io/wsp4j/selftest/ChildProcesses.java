package io.wsp4j.selftest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the selftest's child processes and collects what they say. Every child is a new process,
 * started after the catalog change it checks, so it reads the catalog as it is now.
 */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** The JVM running the selftest: the one its children run on (java, or java.exe on Windows). */
    public static Path javaExecutable() {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    }

    /**
     * A child JVM running {@code mainClass} on this JVM's class path, with native access granted as the
     * launchers grant it.
     */
    public static List<String> javaCommand(Path java, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs {@code command} to its end (killed after {@code timeout}) and returns its report. A child that
     * cannot be started or does not finish is a report with exit code -1 that says so.
     *
     * @param environment added to this process's environment
     */
    public static ChildReport run(String program, List<String> command, Map<String, String> environment, Duration timeout,
                                  Charset charset) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
            p.getOutputStream().close(); // nothing on its stdin
        } catch (IOException e) {
            return ChildReport.of(program, -1, -1, List.of(), List.of("cannot start " + command.getFirst() + ": " + e.getMessage()));
        }
        CompletableFuture<List<String>> out = CompletableFuture.supplyAsync(() -> lines(p.getInputStream(), charset));
        CompletableFuture<List<String>> err = CompletableFuture.supplyAsync(() -> lines(p.getErrorStream(), charset));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                List<String> why = new ArrayList<>(err.join());
                why.add("did not finish in " + timeout.toSeconds() + " s: killed");
                return ChildReport.of(program, p.pid(), -1, out.join(), why);
            }
            return ChildReport.of(program, p.pid(), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return ChildReport.of(program, p.pid(), -1, List.of(), List.of("interrupted"));
        }
    }

    public static ChildReport run(String program, List<String> command, Map<String, String> environment, Duration timeout) {
        return run(program, command, environment, timeout, StandardCharsets.UTF_8);
    }

    private static List<String> lines(InputStream in, Charset charset) {
        try (in) {
            return new String(in.readAllBytes(), charset).lines().toList();
        } catch (IOException e) {
            return List.of("(output unreadable: " + e.getMessage() + ")");
        }
    }
}
