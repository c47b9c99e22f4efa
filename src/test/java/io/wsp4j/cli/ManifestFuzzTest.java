package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.catalog.TestProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few hundred generated bad manifests (seeded, so a failure repeats): each is exit 2 with one line
 * that names the field (or, for broken JSON, says so with its line and column), no stack trace and
 * no parser internals, and the catalog and every file beside it are untouched.
 */
@EnabledOnOs(OS.LINUX)
class ManifestFuzzTest {
    static final long SEED = 0x5EED_2026L;
    static final int CASES = 400;
    /** Non-ASCII escaped (\\uD800): a lone surrogate reaches the parser as JSON has it, not as bytes UTF-8 cannot hold. */
    static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).build();
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path tmp;

    /** A bad manifest and what its one error line must name. */
    record Mutant(String what, String text, String names) {}

    @Test
    void badManifestsAreExitTwoInOneLineNamingTheFieldAndTouchNothing() throws Exception {
        Path catalog = Files.createDirectories(tmp.resolve("catalog"));
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        String c = catalog.toString();
        assertEquals(0, Cli.run("install", "--manifest", p.manifestFile().toString(), "--catalog", c).code(), "the base manifest is good");
        assertEquals(0, Cli.run("uninstall", "--manifest", p.manifestFile().toString(), "--catalog", c).code());
        DirectoryBytes before = DirectoryBytes.of(catalog);
        DirectoryBytes provider = DirectoryBytes.of(p.dir());

        Random random = new Random(SEED);
        ObjectNode base = (ObjectNode) JSON.readTree(p.json());
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        List<Function<Random, Mutant>> kinds = kinds(base, tmp, open);
        for (int i = 0; i < CASES; i++) {
            Mutant mutant = kinds.get(random.nextInt(kinds.size())).apply(random);
            Path file = tmp.resolve("fuzz-" + i + ".json");
            Files.writeString(file, mutant.text());
            Cli r = Cli.run("install", "--manifest", file.toString(), "--catalog", c);
            String seen = "case " + i + " (" + mutant.what() + "):\n" + mutant.text() + "\n" + r;
            assertEquals(ExitCodes.BAD_INPUT, r.code(), seen);
            List<String> lines = r.err().lines().toList();
            assertEquals(1, lines.size(), "one line: " + seen);
            String line = lines.getFirst();
            assertTrue(line.startsWith("wsp4j: "), seen);
            assertTrue(line.contains(mutant.names()), "names \"" + mutant.names() + "\": " + seen);
            for (String internal : List.of("Exception", "\tat ", "REDACTED", "StreamReadFeature", "com.fasterxml")) {
                assertFalse(line.contains(internal), "no internals (" + internal + "): " + seen);
            }
            assertEquals("", r.out(), seen);
            assertEquals(before, DirectoryBytes.of(catalog), "the catalog and every file beside it untouched: " + seen);
        }
        assertEquals(provider, DirectoryBytes.of(p.dir()));
    }

    static List<Function<Random, Mutant>> kinds(ObjectNode base, Path tmp, Path open) {
        List<String> required = List.of("name", "providerGuid", "shimPath", "classpath");
        List<String> strings = List.of("name", "providerGuid", "shimPath", "shimPath32", "jvm");
        List<String> paths = List.of("shimPath", "shimPath32", "jvm");
        List<JsonNode> wrongForString = List.of(F.numberNode(42), F.booleanNode(true), F.nullNode(), F.objectNode(), F.arrayNode(),
                F.numberNode(-1.5));
        List<JsonNode> wrongForArray = List.of(F.numberNode(7), F.textNode("/a.jar"), F.booleanNode(false), F.objectNode(), F.nullNode());
        List<String> badPaths = List.of("", "   ", "relative/x.so", "x.so", "C:relative.dll", "/a\nb.so", "/a\u0000b", " /x.so",
                "/x.so\t", "/" + "p".repeat(5000), "/lone\ud800.so", "%NO_SUCH_VARIABLE_WSP4J%/x.so");
        List<Function<Random, Mutant>> k = new ArrayList<>();
        k.add(r -> {
            String f = pick(r, required);
            ObjectNode m = base.deepCopy();
            m.remove(f);
            return new Mutant("without " + f, text(m), "\"" + f + "\"");
        });
        k.add(r -> {
            String f = pick(r, strings);
            ObjectNode m = base.deepCopy();
            m.set(f, pick(r, wrongForString));
            return new Mutant(f + " of the wrong type", text(m), f + ":");
        });
        k.add(r -> {
            String f = pick(r, List.of("classpath", "jvmOptions", "allow", "catalogs", "layerOver", "categories"));
            ObjectNode m = base.deepCopy();
            m.set(f, pick(r, wrongForArray));
            return new Mutant(f + " not an array", text(m), f);
        });
        k.add(r -> {
            String f = pick(r, paths);
            ObjectNode m = base.deepCopy();
            m.put(f, pick(r, badPaths));
            return new Mutant("bad path in " + f, text(m), f + ":");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            ArrayNode cp = m.putArray("classpath");
            int n = 1 + r.nextInt(3), bad = r.nextInt(n);
            for (int i = 0; i < n; i++) cp.add(i == bad ? pick(r, badPaths) : tmp.resolve("p/bin/app.jar").toString());
            return new Mutant("bad classpath entry", text(m), "classpath[" + bad + "]");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            m.put("name", pick(r, List.of("", "n".repeat(161 + r.nextInt(300)), "tab\there", "bell\u0007", "\udc00 lone", "x\ud800")));
            return new Mutant("bad name", text(m), "name:");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            m.put("providerGuid", pick(r, List.of("", "{}", "not-a-guid", "{00000000-0000-0000-0000-000000000000}",
                    "3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A1", "{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A1G}", randomText(r, 40))));
            return new Mutant("bad GUID", text(m), "providerGuid:");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            String field = pick(r, List.of("jvmOptions", "allow"));
            ArrayNode a = m.putArray(field);
            int n = 1 + r.nextInt(3), bad = r.nextInt(n);
            for (int i = 0; i < n; i++) {
                a.add(i != bad ? "ok" : pick(r, field.equals("allow")
                        ? List.of("", "a/b", "C:\\x.exe", "x|y", "a\nb", " x", "x ", "<x>", "\u0000")
                        : List.of("", " ", "-Da=b\nallow=*", "-Dx\u0000", " -Xmx1m", "-Xmx1m\t", "a\rb")));
            }
            return new Mutant("bad " + field + " entry", text(m), field + "[" + bad + "]");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            String field = pick(r, List.of("jvmOptions", "allow"));
            ArrayNode a = m.putArray(field);
            for (int i = 0; i < 65 + r.nextInt(20); i++) a.add("v" + i);
            return new Mutant("too many " + field, text(m), field + ":");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            ArrayNode a = m.putArray("catalogs");
            JsonNode bad = pick(r, List.of(F.numberNode(64), F.numberNode(32), F.textNode("16"), F.textNode(""), F.nullNode(),
                    F.textNode("x64")));
            int at = r.nextInt(2);
            if (at == 1) a.add("64");
            a.add(bad);
            return new Mutant("bad catalog", text(m), "catalogs[" + at + "]");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            ArrayNode a = m.putArray("categories");
            JsonNode bad = pick(r, List.of(F.textNode("LSP_SNIFFER"), F.textNode("lsp_inspector"), F.textNode("INSPECTOR"), F.textNode(""),
                    F.textNode(" LSP_PROXY"), F.numberNode(1), F.nullNode(), F.objectNode(), F.textNode("LSP_INSPECTOR")));
            int at = bad.asText().equals("LSP_INSPECTOR") ? 1 + r.nextInt(2) : r.nextInt(3);
            for (int i = 0; i < at; i++) a.add(i == 0 ? "LSP_INSPECTOR" : "LSP_FIREWALL"); // a good name listed twice is bad too
            a.add(bad);
            return new Mutant("bad category " + bad, text(m), "categories[" + at + "]");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            m.remove("shimPath32");
            return new Mutant("32-bit without its shim", text(m), "catalogs:");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            String f = pick(r, List.of("failPolicy", "providerClass", "$schema"));
            JsonNode v = switch (f) {
                case "failPolicy" -> F.textNode(pick(r, List.of("ignore", "PASS-THROUGH", "", "fail ", randomText(r, 8))));
                case "providerClass" -> F.textNode(pick(r, List.of("1abc", "a..b", "a-b.C", "", "x/y")));
                default -> pick(r, List.of(F.numberNode(5), F.booleanNode(true), F.objectNode(), F.arrayNode()));
            };
            m.set(f, v);
            return new Mutant("bad " + f, text(m), f + ":");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            ArrayNode a = m.putArray("layerOver");
            ObjectNode s = a.addObject();
            String f = pick(r, List.of("addressFamily", "socketType", "protocol", "baseProvider", "port"));
            switch (f) {
                case "addressFamily" -> s.put(f, pick(r, List.of("AF_INET7", "af_inet", "70000", "")));
                case "socketType" -> s.put(f, 1 << 20);
                case "protocol" -> s.put(f, pick(r, List.of(-1, 256, 100000)));
                case "baseProvider" -> s.put(f, "{123}");
                default -> s.put(f, 80);
            }
            return new Mutant("bad selector field " + f, text(m), "layerOver[0]." + f);
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            m.putArray("layerOver").addObject();
            return new Mutant("empty selector", text(m), "layerOver[0]:");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            String f = randomText(r, 1 + r.nextInt(12)).replaceAll("[^A-Za-z]", "q") + "X";
            m.put(f, r.nextInt());
            return new Mutant("unknown field " + f, text(m), f + ": unknown field");
        });
        k.add(r -> {
            String t = text(base);
            int cut = 1 + r.nextInt(t.strip().length() - 2);
            return new Mutant("cut after " + cut, t.substring(0, cut), "not valid JSON");
        });
        k.add(r -> new Mutant("trailing garbage", text(base) + pick(r, List.of("}", "x", "[]", "{\"a\": 1}")), "not valid JSON"));
        k.add(r -> new Mutant("duplicate key", text(base).replaceFirst("\\{", "{\"name\": \"twice\", "), "Duplicate field 'name'"));
        k.add(r -> new Mutant("not an object", pick(r, List.of("[]", "42", "\"manifest\"", "null", "true")), "expected a JSON object"));
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            String f = pick(r, List.of("shimPath", "jvm", "shimPath32"));
            m.put(f, pick(r, List.of("/", tmp.toString(), tmp.resolve("p/bin").toString())));
            return new Mutant(f + " a directory", text(m), f + ":");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            String f = pick(r, List.of("jvm", "classpath"));
            String missing = tmp.resolve("missing-" + r.nextInt(1000)).resolve("x").toString();
            if (f.equals("jvm")) m.put(f, missing);
            else m.putArray(f).add(missing);
            return new Mutant(f + " missing", text(m), f.equals("jvm") ? "jvm:" : "classpath[0]:");
        });
        k.add(r -> {
            ObjectNode m = base.deepCopy();
            m.put("log", open.resolve("shim-" + r.nextInt(100) + ".log").toString());
            return new Mutant("log in a directory anyone can write", text(m), "log:");
        });
        return k;
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    static String randomText(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append((char) (0x21 + r.nextInt(0x5d)));
        return sb.toString();
    }

    static String text(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
