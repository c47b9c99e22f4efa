package io.wsp4j.selftest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a child program of the selftest said: its exit code, its {@code key=value} lines on stdout (the
 * report) and everything it printed, kept for the selftest's report.
 */
public record ChildReport(String program, long pid, int exitCode, Map<String, String> values, List<String> stdout,
                          List<String> stderr) {

    public ChildReport {
        values = Map.copyOf(values);
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
    }

    /** Reads the {@code key=value} lines of {@code stdout}; other lines are kept as they are. */
    public static ChildReport of(String program, long pid, int exitCode, List<String> stdout, List<String> stderr) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Za-z0-9_.]+")) values.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
        return new ChildReport(program, pid, exitCode, values, stdout, stderr);
    }

    public Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value; a missing one is a failure of the child, reported with what it printed. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) throw new IllegalStateException(program + " reported no " + key + " (exit " + exitCode + ")");
        return v;
    }

    public int integer(String key) {
        return Integer.parseInt(get(key));
    }

    public long longValue(String key) {
        return Long.parseLong(get(key));
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(get(key));
    }

    /** The child's output, for a report: its stdout and then its stderr lines, marked. */
    public List<String> transcript() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(program + " (pid " + pid + ") exited with " + exitCode);
        stdout.forEach(l -> lines.add("  out: " + l));
        stderr.forEach(l -> lines.add("  err: " + l));
        return lines;
    }
}
