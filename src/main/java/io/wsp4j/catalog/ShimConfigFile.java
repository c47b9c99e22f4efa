package io.wsp4j.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shim's configuration: UTF-8 {@code key=value} lines, {@code #} comments, some keys repeatable.
 * The shim parses it in C before any JVM exists, so the format stays that simple; values are
 * already expanded (the shim expands nothing).
 */
public record ShimConfigFile(
        String jvm,
        String classpath,
        List<String> jvmOptions,
        String entryClass,
        List<String> allow,
        String failPolicy,
        String lowerProvider,
        String log) {

    public byte[] render(String header) {
        List<String> lines = new ArrayList<>();
        header.lines().forEach(l -> lines.add("# " + l));
        lines.add("jvm=" + jvm);
        lines.add("classpath=" + classpath);
        jvmOptions.forEach(o -> lines.add("jvm_option=" + o));
        lines.add("entry_class=" + entryClass);
        allow.forEach(a -> lines.add("allow=" + a));
        lines.add("fail_policy=" + failPolicy);
        lines.add("lower_provider=" + lowerProvider);
        if (log != null) lines.add("log=" + log);
        for (String l : lines) {
            if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0 || l.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a shim config value contains a line break or NUL: " + l);
            }
        }
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
