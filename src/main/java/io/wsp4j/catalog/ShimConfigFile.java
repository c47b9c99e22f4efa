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
}
