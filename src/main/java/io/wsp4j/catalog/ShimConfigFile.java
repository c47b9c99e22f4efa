package io.wsp4j.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shim's configuration: UTF-8 {@code key=value} lines, {@code #} comments, {@code jvm_option}
 * and {@code allow} repeatable (see the shim's README: it discards a file with an unknown key, so
 * only its keys are written). The shim parses it in C before any JVM exists, so values are already
 * expanded. The JVM the shim creates is told, by system properties, which provider class to run
 * and which hidden layered entry is ours.
 *
 * @param lowerProvider the DLL below, the shim's fallback when the chain cannot be resolved; null
 *                      when the base entry's path means nothing on this system (the host's catalog)
 */
public record ShimConfigFile(
        String jvm,
        String classpath,
        List<String> jvmOptions,
        String providerClass,
        String providerGuid,
        List<String> allow,
        String failPolicy,
        String lowerProvider,
        String log) {

    /** The class whose static wspStartup(SJJJJ)I the shim calls through JNI. */
    public static final String ENTRY_CLASS = "io.wsp4j.provider.ShimEntry";
    /** System property naming the LayeredProvider class (read by the provider's ProviderSelection). */
    public static final String PROVIDER_PROPERTY = "wsp4j.provider";
    /** System property naming our hidden layered entry's GUID, for chains where another LSP sits above ours. */
    public static final String GUID_PROPERTY = "wsp4j.provider.guid";
    /** Options every JVM in someone else's process needs: native access, and hands off its signals. */
    public static final List<String> REQUIRED_JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-Xrs");

    public byte[] render(String header) {
        List<String> lines = new ArrayList<>();
        header.lines().forEach(l -> lines.add("# " + l));
        lines.add("jvm=" + jvm);
        lines.add("classpath=" + classpath);
        List<String> options = new ArrayList<>(REQUIRED_JVM_OPTIONS);
        options.add("-D" + PROVIDER_PROPERTY + "=" + providerClass);
        options.add("-D" + GUID_PROPERTY + "=" + providerGuid);
        jvmOptions.stream().filter(o -> !options.contains(o)).forEach(options::add);
        options.forEach(o -> lines.add("jvm_option=" + o));
        lines.add("entry_class=" + ENTRY_CLASS);
        allow.forEach(a -> lines.add("allow=" + a));
        lines.add("fail_policy=" + failPolicy);
        if (lowerProvider != null) lines.add("lower_provider=" + lowerProvider);
        if (log != null) lines.add("log=" + log);
        for (String l : lines) {
            if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0 || l.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a shim config value contains a line break or NUL: " + l);
            }
        }
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The keys the shim knows; any other makes it discard the whole file. */
    private static final java.util.Set<String> SINGLE = java.util.Set.of("jvm", "classpath", "entry_class", "fail_policy",
            "lower_provider", "log");
    private static final java.util.Set<String> REPEATED = java.util.Set.of("jvm_option", "allow");
    private static final int MAX_VALUES = 64;
    private static final int MAX_BYTES = 1 << 20;

    /** A configuration as the shim reads it: single keys to their value, repeated keys to their values in order. */
    public record Parsed(java.util.Map<String, String> single, java.util.Map<String, List<String>> repeated) {
        public java.util.Optional<String> get(String key) {
            return java.util.Optional.ofNullable(single.get(key));
        }

        public List<String> all(String key) {
            return repeated.getOrDefault(key, List.of());
        }

        /** The value of {@code -Dname=value} among the jvm_options. */
        public java.util.Optional<String> systemProperty(String name) {
            String prefix = "-D" + name + "=";
            return all("jvm_option").stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length())).findFirst();
        }
    }

    /**
     * Parses by the shim's rules (see src/main/c/README.md): a file it would discard whole (too large,
     * an unknown key, a malformed line, a single key twice, a bad fail_policy, too many values) throws
     * IllegalArgumentException saying why, as the shim would log it.
     */
    public static Parsed parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) throw new IllegalArgumentException("it is larger than " + MAX_BYTES + " bytes");
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        if (text.indexOf('\0') >= 0) throw new IllegalArgumentException("it contains a NUL byte, where the shim stops reading");
        java.util.Map<String, String> single = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<String>> repeated = new java.util.LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = trim(lines[n]);
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("line " + (n + 1) + ": expected key=value");
            String key = trim(line.substring(0, eq));
            String value = trim(line.substring(eq + 1));
            if (REPEATED.contains(key)) {
                if (value.isEmpty()) continue;
                List<String> values = repeated.computeIfAbsent(key, k -> new ArrayList<>());
                if (values.size() == MAX_VALUES) throw new IllegalArgumentException("line " + (n + 1) + ": more than " + MAX_VALUES + " `" + key + "` lines");
                values.add(value);
            } else if (SINGLE.contains(key)) {
                if (key.equals("fail_policy") && !value.equals("pass-through") && !value.equals("fail")) {
                    throw new IllegalArgumentException("line " + (n + 1) + ": fail_policy must be `pass-through` or `fail`, not `" + value + "`");
                }
                if (single.putIfAbsent(key, value) != null) throw new IllegalArgumentException("line " + (n + 1) + ": `" + key + "` given twice");
            } else {
                throw new IllegalArgumentException("line " + (n + 1) + ": unknown key `" + key + "`");
            }
        }
        return new Parsed(single, repeated);
    }

    /** The shim's trim: spaces and tabs at both ends, and a CR at the end. */
    private static String trim(String s) {
        int b = 0, e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) b++;
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t' || s.charAt(e - 1) == '\r')) e--;
        return s.substring(b, e);
    }
}
