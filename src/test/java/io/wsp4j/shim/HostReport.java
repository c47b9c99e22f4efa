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
record HostReport(Map<String, String> values, String stderr) {

    /** Runs shim_host over the shim with WSP4J_SHIM_CONFIG=config; extra arguments go to shim_host. */
    static HostReport run(Path config, String... arguments) throws IOException, InterruptedException {
        return run(Map.of(), config, arguments);
    }

    static HostReport run(Map<String, String> environment, Path config, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(NativeTools.hostProgram().toString(), NativeTools.shimLibrary().toString()));
        command.addAll(List.of(arguments));
        Map<String, String> env = new HashMap<>(environment);
        env.put("WSP4J_SHIM_CONFIG", config.toString());
        NativeTools.Result result = NativeTools.run(env, command).assertSucceeded();
        Map<String, String> values = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) values.put(line.substring(0, equals), line.substring(equals + 1));
        }
        assertEquals("1", values.get("done"), () -> "shim_host did not finish:\n" + result.stdout() + result.stderr());
        return new HostReport(values, result.stderr());
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
