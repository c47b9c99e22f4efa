package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What shim_host printed (key=value lines), for one run of it under a given configuration. */
record HostReport(Map<String, String> values, String stdout, String stderr) {

    /** Runs shim_host over the shim with WSP4J_SHIM_CONFIG=config; extra arguments go to shim_host. */
    static HostReport run(Path config, String... arguments) throws IOException, InterruptedException {
        return run(Map.of(), config, arguments);
    }

    static HostReport run(Map<String, String> environment, Path config, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(NativeTools.hostProgram().toString(), NativeTools.shimLibrary().toString()));
        command.addAll(List.of(arguments));
        Map<String, String> env = new HashMap<>(environment);
        env.put("WSP4J_SHIM_CONFIG", config.toString());
        return of(NativeTools.run(env, command));
    }

    /** What a run of shim_host (here or under Wine) printed; it must have finished. */
    static HostReport of(NativeTools.Result result) {
        result.assertSucceeded();
        Map<String, String> values = new HashMap<>();
        for (String line : result.stdout().split("\r?\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) values.put(line.substring(0, equals), line.substring(equals + 1));
        }
        assertEquals("1", values.get("done"), () -> "shim_host did not finish:\n" + result.stdout() + result.stderr());
        return new HostReport(values, result.stdout(), result.stderr());
    }

    /** This report with more key=value lines (e.g. a report file written at process exit). */
    HostReport with(String lines) {
        Map<String, String> more = new HashMap<>(values);
        for (String line : lines.split("\r?\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) more.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return new HostReport(more, stdout, stderr);
    }

    String get(String key) {
        String value = values.get(key);
        assertNotNull(value, () -> "shim_host printed no " + key + ": " + values);
        return value;
    }

    int integer(String key) {
        return Integer.parseInt(get(key));
    }

    long pointer(String key) {
        return Long.parseUnsignedLong(get(key), 16);
    }

    boolean jvmMappedBefore() {
        return integer("jvm.before") == 1;
    }

    boolean jvmMappedAfter() {
        return integer("jvm.after") == 1;
    }

    /** The values printed under {@code prefix.0}, {@code prefix.1}, ... up to {@code prefix.count}. */
    List<String> list(String prefix) {
        List<String> list = new ArrayList<>();
        for (int i = 0, n = integer(prefix + ".count"); i < n; i++) list.add(get(prefix + "." + i));
        return list;
    }

    /** The 30 entries of the proc table of call n (0 or 1) after WSPStartup returned. */
    List<Long> procTable(int call) {
        List<Long> entries = new ArrayList<>();
        for (int i = 0; i < WSPPROC_TABLE.layout().memberLayouts().size(); i++) entries.add(pointer("call" + call + ".proc." + i));
        return entries;
    }

    /** The 15 entries of an upcall table shim_host printed under prefix ("host.upcall", "lower.upcall"). */
    List<Long> upcallTable(String prefix) {
        List<Long> entries = new ArrayList<>();
        for (int i = 0; i < WSPUPCALLTABLE.layout().memberLayouts().size(); i++) entries.add(pointer(prefix + "." + i));
        return entries;
    }
}
