package io.wsp4j.catalog;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands environment variables in paths: {@code %NAME%} (Windows style, as in catalog paths and
 * REG_EXPAND_SZ values; names case-insensitive) and {@code ${NAME}}. Two names are built in when
 * the environment does not set them: {@code WSP4J_ROOT} (the directory that holds {@code target/}
 * with the wsp4j jar, i.e. the project or installation root) and {@code WSP4J_JAVA_HOME} (the JDK
 * running the installer).
 */
public final class PathExpander {
    private static final Pattern VARIABLE = Pattern.compile("%([A-Za-z_][A-Za-z0-9_()]*)%|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> variables;

    public PathExpander(Map<String, String> env) {
        Map<String, String> vars = new HashMap<>();
        env.forEach((k, v) -> vars.put(k.toUpperCase(Locale.ROOT), v));
        vars.putIfAbsent("WSP4J_JAVA_HOME", System.getProperty("java.home"));
        String root = installationRoot();
        if (root != null) vars.putIfAbsent("WSP4J_ROOT", root);
        this.variables = vars;
    }

    public static PathExpander systemDefault() {
        return new PathExpander(System.getenv());
    }

    /** The expanded text; throws naming the first variable that is not set. */
    public String expand(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = variables.get(name.toUpperCase(Locale.ROOT));
            if (value == null) throw new IllegalArgumentException("environment variable " + name + " is not set");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public Optional<String> expandOrEmpty(String text) {
        try {
            return Optional.of(expand(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The directory above target/ when running from target/wsp4j.jar or target/classes. */
    private static String installationRoot() {
        try {
            var source = PathExpander.class.getProtectionDomain().getCodeSource();
            if (source == null) return null;
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath();
            Path target = p.getParent();
            if (target == null || target.getFileName() == null || !target.getFileName().toString().equals("target")) {
                return null;
            }
            Path root = target.getParent();
            return root == null ? null : root.toString();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
