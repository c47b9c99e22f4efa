package io.wsp4j.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.LspCategory;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.JsonErrors;
import io.wsp4j.catalog.Protocols;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a provider manifest (JSON; schema in provider-manifest/provider-manifest.schema.json) into a
 * {@link ProviderManifest}, or fails with every problem found, each naming its field, line, column
 * and what was expected. Unknown fields are errors: a misspelt option must not be silently ignored.
 * Nothing outside the manifest is looked at here; file-system checks belong to the installer.
 */
public final class ManifestParser {
    /** szProtocol is 255 characters; chain entries are named "<name> over [<base name>]". */
    static final int MAX_NAME = 160;
    private static final Pattern JAVA_CLASS = Pattern.compile(
            "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
    /** The shim's allow patterns: an executable's base name with `*` (any run) and `?` (one character). */
    private static final Pattern PROCESS_PATTERN = Pattern.compile("[^\\\\/:\"<>|\\r\\n\\x00]+");
    /** The shim reads at most this many values of a repeatable key; the installer writes four jvm_options of its own. */
    static final int MAX_ALLOW = 64;
    static final int MAX_JVM_OPTIONS = 60;
    /** The shim's path buffers hold 4096 bytes with the NUL. */
    static final int MAX_PATH_BYTES = 4095;
    /** A manifest is a small JSON file; anything larger is refused unread. */
    public static final long MAX_BYTES = 1 << 20;
    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("([A-Za-z]:\\\\|\\\\\\\\).*");
    private static final Pattern VARIABLE_START = Pattern.compile("(%[A-Za-z_][A-Za-z0-9_()]*%|\\$\\{[A-Za-z_][A-Za-z0-9_]*}).*");

    private static final Set<String> FIELDS = Set.of("$schema", "name", "providerGuid", "shimPath", "shimPath32",
            "jvm", "classpath", "jvmOptions", "providerClass", "layerOver", "allow", "failPolicy", "catalogs", "log", "categories");
    private static final Set<String> SELECTOR_FIELDS = Set.of("addressFamily", "socketType", "protocol", "baseProvider");

    static final Map<String, Integer> FAMILIES = names(
            "AF_INET", Protocols.AF_INET, "AF_INET6", Protocols.AF_INET6, "AF_UNIX", Protocols.AF_UNIX,
            "AF_BTH", Protocols.AF_BTH, "AF_HYPERV", Protocols.AF_HYPERV);
    static final Map<String, Integer> SOCKET_TYPES = names(
            "SOCK_STREAM", Protocols.SOCK_STREAM, "SOCK_DGRAM", Protocols.SOCK_DGRAM, "SOCK_RAW", Protocols.SOCK_RAW,
            "SOCK_RDM", Protocols.SOCK_RDM, "SOCK_SEQPACKET", Protocols.SOCK_SEQPACKET);
    static final Map<String, Integer> PROTOCOLS = names(
            "IPPROTO_IP", Protocols.IPPROTO_IP, "IPPROTO_ICMP", Protocols.IPPROTO_ICMP, "IPPROTO_TCP", Protocols.IPPROTO_TCP,
            "IPPROTO_UDP", Protocols.IPPROTO_UDP, "IPPROTO_ICMPV6", Protocols.IPPROTO_ICMPV6);

    private final List<ManifestProblem> problems = new ArrayList<>();
    private LocatedJson json;

    private ManifestParser() {}

    /**
     * Reads {@code file}: a regular file of at most {@link #MAX_BYTES}, checked before it is opened, so
     * that a device, a FIFO or a huge file fails at once instead of hanging or exhausting memory.
     */
    public static ProviderManifest parse(Path file) throws ManifestException {
        return parse(read(file), file.toString());
    }

    private static byte[] read(Path file) throws ManifestException {
        String why;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                why = "not a regular file (" + (a.isDirectory() ? "a directory" : "a device, pipe or socket") + ")";
            } else if (a.size() > MAX_BYTES) {
                why = "larger than 1 MiB (" + a.size() + " bytes); a manifest is a small JSON file";
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
                    if (bytes.length <= MAX_BYTES) return bytes;
                    why = "larger than 1 MiB (it grew while being read)";
                }
            }
        } catch (NoSuchFileException e) {
            why = "no such file";
        } catch (AccessDeniedException e) {
            why = "permission denied";
        } catch (IOException e) {
            why = e.getMessage();
        }
        throw new ManifestException(file.toString(), List.of(new ManifestProblem("", 0, 0, "cannot read the manifest: " + why)));
    }

    public static ProviderManifest parse(byte[] bytes, String source) throws ManifestException {
        return new ManifestParser().run(bytes, source);
    }

    private ProviderManifest run(byte[] bytes, String source) throws ManifestException {
        try {
            json = LocatedJson.parse(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new ManifestException(source, List.of(new ManifestProblem("", l == null ? 0 : l.getLineNr(),
                    l == null ? 0 : l.getColumnNr(), "not valid JSON: " + JsonErrors.what(e))));
        } catch (IOException e) {
            throw new ManifestException(source, List.of(new ManifestProblem("", 0, 0, "cannot read: " + e.getMessage())));
        }
        JsonNode root = json.root;
        if (!root.isObject()) {
            problem("", "expected a JSON object { ... } at the top, found " + kind(root));
            throw new ManifestException(source, problems);
        }
        root.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) problem(f, "unknown field; expected one of " + sorted(FIELDS));
        });
        unpairedSurrogates(root, "");
        string(root, "$schema", false, null);

        String name = string(root, "name", true, null);
        if (name != null) {
            if (name.isBlank()) problem("name", "must not be empty");
            else if (name.length() > MAX_NAME) problem("name", "is " + name.length() + " characters; at most " + MAX_NAME
                    + " fit in szProtocol with \" over [<base>]\" after it");
            else if (name.chars().anyMatch(Character::isISOControl)) problem("name", "must not contain control characters");
        }
        UUID guid = guid(root, "providerGuid");
        String shim = path(root, "shimPath", true);
        String shim32 = path(root, "shimPath32", false);
        String jvm = path(root, "jvm", false);
        List<String> classpath = list(root, "classpath", true, n -> checkPath("classpath", n));
        List<String> jvmOptions = list(root, "jvmOptions", false, this::checkJvmOption);
        if (jvmOptions != null && jvmOptions.size() > MAX_JVM_OPTIONS) {
            problem("jvmOptions", jvmOptions.size() + " options; at most " + MAX_JVM_OPTIONS + " (the shim reads 64 jvm_option lines,"
                    + " and the installer writes 4 of its own)");
        }
        String providerClass = string(root, "providerClass", false, ProviderManifest.DEFAULT_PROVIDER_CLASS);
        if (providerClass != null && !JAVA_CLASS.matcher(providerClass).matches()) {
            problem("providerClass", "\"" + providerClass + "\" is not a Java class name (expected e.g. "
                    + ProviderManifest.DEFAULT_PROVIDER_CLASS + ")");
        }
        List<LayerSelector> layerOver = selectors(root);
        List<String> allow = list(root, "allow", false, this::checkProcessPattern);
        if (allow != null && allow.size() > MAX_ALLOW) {
            problem("allow", allow.size() + " patterns; at most " + MAX_ALLOW + " (the shim reads 64 allow lines)");
        }
        String policyText = string(root, "failPolicy", false, FailPolicy.PASS_THROUGH.label());
        FailPolicy policy = policyText == null ? null : FailPolicy.ofLabel(policyText);
        if (policyText != null && policy == null) {
            problem("failPolicy", "\"" + policyText + "\" is not a fail policy; expected \"pass-through\" or \"fail\"");
        }
        Set<Bitness> catalogs = catalogs(root);
        if (catalogs != null && catalogs.contains(Bitness.X86) && shim32 == null && !hasProblem("shimPath32")) {
            problem("catalogs", "\"32\" needs shimPath32: the 32-bit catalog loads a 32-bit shim (a native"
                    + " pass-through-only build; there is no 32-bit JVM for the provider)");
        }
        String log = path(root, "log", false);
        Set<LspCategory> categories = categories(root);

        if (!problems.isEmpty()) throw new ManifestException(source, problems);
        return new ProviderManifest(name, guid, shim, Optional.ofNullable(shim32), Optional.ofNullable(jvm), classpath,
                jvmOptions == null ? List.of() : jvmOptions, providerClass, layerOver,
                allow == null ? List.of() : allow, policy, catalogs, Optional.ofNullable(log), categories);
    }

    /** The documented LSP category names, each once; none when the field is absent. */
    private Set<LspCategory> categories(JsonNode root) {
        JsonNode n = root.get("categories");
        Set<LspCategory> out = EnumSet.noneOf(LspCategory.class);
        if (n == null) return out;
        if (!n.isArray()) {
            problem("categories", "expected an array of LSP category names, found " + kind(n));
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode c = n.get(i);
            LspCategory category = null;
            for (LspCategory x : LspCategory.values()) if (c.isTextual() && x.name().equals(c.asText())) category = x;
            if (category == null) {
                problem("categories[" + i + "]", (c.isTextual() ? "\"" + c.asText() + "\"" : kind(c)) + " is not an LSP category;"
                        + " expected one of " + java.util.Arrays.stream(LspCategory.values()).map(Enum::name)
                        .collect(java.util.stream.Collectors.joining(", ")));
            } else if (!out.add(category)) {
                problem("categories[" + i + "]", "\"" + category.name() + "\" is listed twice");
            }
        }
        return out;
    }

    private String string(JsonNode root, String field, boolean required, String dflt) {
        JsonNode n = root.get(field);
        if (n == null) {
            if (required) problem("", "missing required field \"" + field + "\"");
            return dflt;
        }
        if (!n.isTextual()) {
            problem(field, "expected a string, found " + kind(n));
            return null;
        }
        return n.asText();
    }

    private UUID guid(JsonNode root, String field) {
        String text = string(root, field, true, null);
        if (text == null) return null;
        UUID g = Guids.parseOrNull(text);
        if (g == null) {
            problem(field, "\"" + text + "\" is not a GUID; expected the form {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}");
        } else if (g.getMostSignificantBits() == 0 && g.getLeastSignificantBits() == 0) {
            problem(field, "the nil GUID cannot identify a provider; generate one (e.g. [guid]::NewGuid() or uuidgen)");
        }
        return g;
    }

    private String path(JsonNode root, String field, boolean required) {
        String text = string(root, field, required, null);
        return text == null ? null : checkPath(field, text);
    }

    /** Absolute on Windows or POSIX, or starting with a variable; relative paths depend on the caller's directory. */
    private String checkPath(String field, String text) {
        if (text.isBlank()) {
            problem(field, "must not be empty");
        } else if (!shimValue(field, text)) {
            return text;
        } else if (!(text.startsWith("/") || WINDOWS_ABSOLUTE.matcher(text).matches()
                || VARIABLE_START.matcher(text).matches())) {
            problem(field, "\"" + text + "\" is a relative path; expected an absolute path (C:\\..., /..., or starting"
                    + " with a variable such as %ProgramFiles% or ${WSP4J_ROOT})");
        } else if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            problem(field, "is " + text.getBytes(StandardCharsets.UTF_8).length + " bytes long; at most " + MAX_PATH_BYTES
                    + " bytes in UTF-8 fit the shim's path buffers");
        }
        return text;
    }

    private String checkJvmOption(String text) {
        if (text.isBlank()) problem("jvmOptions", "must not be empty");
        else shimValue("jvmOptions", text);
        return text;
    }

    private String checkProcessPattern(String text) {
        if (!shimValue("allow", text)) return text;
        if (!PROCESS_PATTERN.matcher(text).matches()) {
            problem("allow", "\"" + text + "\" is not a process name pattern (an executable's base name, * for any run of"
                    + " characters, ? for one: e.g. \"curl.exe\", \"curl*\", or \"*\" for every process)");
        }
        return text;
    }

    /**
     * A value the installer writes into the shim's key=value lines: one line, and no blanks at its ends
     * (the shim trims them). False (with a problem) when it cannot be written.
     */
    private boolean shimValue(String field, String text) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
            problem(field, "contains a line break or NUL; the shim's configuration holds one value per line");
            return false;
        }
        if (text.startsWith(" ") || text.startsWith("\t") || text.endsWith(" ") || text.endsWith("\t")) {
            problem(field, "\"" + text + "\" must not start or end with a space or tab (the shim's configuration trims them)");
            return false;
        }
        return true;
    }

    /** Strings are written as UTF-8 into the catalog and the shim config: a lone UTF-16 surrogate cannot be. */
    private void unpairedSurrogates(JsonNode n, String path) {
        if (n.isTextual()) {
            String t = n.asText();
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    problem(path, "contains an unpaired surrogate (\\u" + Integer.toHexString(c) + "): not valid Unicode text");
                    return;
                }
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) unpairedSurrogates(n.get(i), path + "[" + i + "]");
        } else if (n.isObject()) {
            n.properties().forEach(f -> unpairedSurrogates(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey()));
        }
    }

    private <T> List<T> list(JsonNode root, String field, boolean required, Function<String, T> each) {
        JsonNode n = root.get(field);
        if (n == null) {
            if (required) problem("", "missing required field \"" + field + "\"");
            return null;
        }
        if (!n.isArray()) {
            problem(field, "expected an array of strings, found " + kind(n));
            return null;
        }
        if (required && n.isEmpty()) problem(field, "must not be empty");
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode item = n.get(i);
            String at = field + "[" + i + "]";
            if (!item.isTextual()) {
                problem(at, "expected a string, found " + kind(item));
            } else {
                int before = problems.size();
                T value = each.apply(item.asText());
                if (problems.size() > before) {
                    ManifestProblem p = problems.removeLast();
                    problem(at, p.message());
                } else {
                    out.add(value);
                }
            }
        }
        return out;
    }

    private List<LayerSelector> selectors(JsonNode root) {
        JsonNode n = root.get("layerOver");
        if (n == null) return LayerSelector.DEFAULTS;
        if (!n.isArray() || n.isEmpty()) {
            problem("layerOver", "expected a non-empty array of {addressFamily, socketType, protocol, baseProvider}"
                    + " objects, found " + kind(n));
            return null;
        }
        List<LayerSelector> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String at = "layerOver[" + i + "]";
            JsonNode s = n.get(i);
            if (!s.isObject()) {
                problem(at, "expected an object like {\"addressFamily\": \"AF_INET\", \"socketType\": \"SOCK_STREAM\","
                        + " \"protocol\": \"IPPROTO_TCP\"}, found " + kind(s));
                continue;
            }
            s.fieldNames().forEachRemaining(f -> {
                if (!SELECTOR_FIELDS.contains(f)) problem(at + "." + f, "unknown field; expected one of " + sorted(SELECTOR_FIELDS));
            });
            if (s.isEmpty()) problem(at, "an empty selector would match every base provider; name at least one criterion");
            Integer af = named(s, at, "addressFamily", FAMILIES, 0xFFFF);
            Integer type = named(s, at, "socketType", SOCKET_TYPES, 0xFFFF);
            Integer proto = named(s, at, "protocol", PROTOCOLS, 255);
            UUID base = null;
            JsonNode b = s.get("baseProvider");
            if (b != null) {
                base = b.isTextual() ? Guids.parseOrNull(b.asText()) : null;
                if (base == null) problem(at + ".baseProvider", (b.isTextual() ? "\"" + b.asText() + "\" is not a GUID" : "expected a GUID string, found " + kind(b))
                        + "; expected the form {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}");
            }
            out.add(new LayerSelector(af, type, proto, base));
        }
        return out;
    }

    /** A symbolic name ("AF_INET") or a number in range. */
    private Integer named(JsonNode s, String at, String field, Map<String, Integer> names, int max) {
        JsonNode n = s.get(field);
        if (n == null) return null;
        String where = at + "." + field;
        if (n.isIntegralNumber() && n.canConvertToInt() && n.intValue() >= 0 && n.intValue() <= max) {
            return n.intValue();
        }
        if (n.isTextual() && names.containsKey(n.asText())) return names.get(n.asText());
        String found = n.isTextual() ? "\"" + n.asText() + "\"" : n.isNumber() ? n.asText() : kind(n);
        problem(where, "unknown " + field + " " + found + "; expected one of " + String.join(", ", names.keySet())
                + " or a number 0-" + max);
        return null;
    }

    private Set<Bitness> catalogs(JsonNode root) {
        JsonNode n = root.get("catalogs");
        if (n == null) return EnumSet.of(Bitness.X64);
        if (!n.isArray() || n.isEmpty()) {
            problem("catalogs", "expected a non-empty array of \"64\" and/or \"32\", found " + kind(n));
            return null;
        }
        Set<Bitness> out = EnumSet.noneOf(Bitness.class);
        for (int i = 0; i < n.size(); i++) {
            JsonNode c = n.get(i);
            String text = c.isTextual() ? c.asText() : null;
            if ("64".equals(text) || "32".equals(text)) {
                if (!out.add(Bitness.ofLabel(text))) problem("catalogs[" + i + "]", "\"" + text + "\" is listed twice");
            } else if (text == null) {
                problem("catalogs[" + i + "]", (c.isNumber() ? c.asText() : kind(c)) + " is not a catalog; expected the string \"64\" or \"32\"");
            } else {
                problem("catalogs[" + i + "]", "\"" + text + "\" is not a catalog; expected \"64\" or \"32\"");
            }
        }
        return out;
    }

    private boolean hasProblem(String field) {
        return problems.stream().anyMatch(p -> p.field().equals(field));
    }

    private void problem(String field, String message) {
        String locate = field.isEmpty() ? "" : field;
        problems.add(new ManifestProblem(field, json.line(locate), json.column(locate), message));
    }

    private static String kind(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        if (n.isNull()) return "null";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().toString().toLowerCase();
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", new java.util.TreeSet<>(s));
    }

    private static Map<String, Integer> names(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Integer) kv[i + 1]);
        return m;
    }
}
