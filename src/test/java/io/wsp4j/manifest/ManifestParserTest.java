package io.wsp4j.manifest;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.LspCategory;
import io.wsp4j.catalog.Protocols;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ManifestParserTest {
    static final String VALID = """
            {
              "name": "test lsp",
              "providerGuid": "{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13}",
              "shimPath": "%ProgramFiles%\\\\wsp4j\\\\wsp4j.dll",
              "shimPath32": "%ProgramFiles(x86)%\\\\wsp4j\\\\wsp4j32.dll",
              "jvm": "C:\\\\jdk\\\\bin\\\\server\\\\jvm.dll",
              "classpath": ["/opt/wsp4j/wsp4j.jar"],
              "jvmOptions": ["-Xmx64m"],
              "providerClass": "com.example.MyProvider",
              "layerOver": [{"addressFamily": "AF_INET", "socketType": "SOCK_STREAM", "protocol": "IPPROTO_TCP"},
                            {"baseProvider": "{F9EAB0C0-26D4-11D0-BBBF-00AA006C34E4}", "socketType": 2}],
              "allow": ["curl.exe", "*"],
              "failPolicy": "fail",
              "catalogs": ["64", "32"],
              "log": "${WSP4J_ROOT}/wsp4j.log",
              "categories": ["LSP_INSPECTOR", "LSP_SYSTEM"]
            }
            """;

    static ProviderManifest parse(String json) throws ManifestException {
        return ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8), "m.json");
    }

    static ManifestException fails(String json) {
        return assertThrows(ManifestException.class, () -> parse(json));
    }

    @Test
    void readsEveryField() throws Exception {
        ProviderManifest m = parse(VALID);
        assertEquals("test lsp", m.name());
        assertEquals(Guids.parse("3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13"), m.providerGuid());
        assertEquals("%ProgramFiles%\\wsp4j\\wsp4j.dll", m.shimPath());
        assertEquals("%ProgramFiles(x86)%\\wsp4j\\wsp4j32.dll", m.shimPath32().orElseThrow());
        assertEquals(List.of("/opt/wsp4j/wsp4j.jar"), m.classpath());
        assertEquals("com.example.MyProvider", m.providerClass());
        assertEquals(new LayerSelector(Protocols.AF_INET, Protocols.SOCK_STREAM, Protocols.IPPROTO_TCP, null), m.layerOver().get(0));
        assertEquals(new LayerSelector(null, Protocols.SOCK_DGRAM, null, Guids.parse("F9EAB0C0-26D4-11D0-BBBF-00AA006C34E4")), m.layerOver().get(1));
        assertEquals(List.of("curl.exe", "*"), m.allow());
        assertEquals(FailPolicy.FAIL, m.failPolicy());
        assertEquals(Set.of(Bitness.X64, Bitness.X86), m.catalogs());
        assertEquals("${WSP4J_ROOT}/wsp4j.log", m.log().orElseThrow());
        assertEquals(Set.of(LspCategory.LSP_INSPECTOR, LspCategory.LSP_SYSTEM), m.categories());
        assertEquals(0x80000001, m.categoryMask());
    }

    @Test
    void appliesTheDocumentedDefaults() throws Exception {
        ProviderManifest m = parse("""
                {"name": "n", "providerGuid": "3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13", "shimPath": "/s.so",
                 "jvm": "/j.so", "classpath": ["/a.jar"]}
                """);
        assertEquals(ProviderManifest.DEFAULT_PROVIDER_CLASS, m.providerClass());
        assertEquals(LayerSelector.DEFAULTS, m.layerOver());
        assertEquals(6, m.layerOver().size());
        assertEquals(FailPolicy.PASS_THROUGH, m.failPolicy());
        assertEquals(Set.of(Bitness.X64), m.catalogs());
        assertEquals(List.of(), m.allow());
        assertEquals(Set.of(), m.categories(), "no categories: \"All Other\"");
    }

    @Test
    void theSampleManifestsParse() throws Exception {
        Path dir = Path.of("provider-manifest");
        for (String f : List.of("accounting.host.json", "accounting.windows.json")) {
            ProviderManifest m = ManifestParser.parse(dir.resolve(f));
            assertEquals("io.wsp4j.provider.sample.AccountingProvider", m.providerClass(), f);
            assertEquals(Set.of(LspCategory.LSP_INSPECTOR), m.categories(), f + ": the accounting sample inspects");
        }
    }

    @Test
    void theSchemaNamesExactlyTheFieldsTheParserAccepts() throws Exception {
        var schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(Path.of("provider-manifest/provider-manifest.schema.json")));
        Set<String> names = new java.util.TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(names::add);
        ManifestException e = fails(VALID.replace("\"name\"", "\"bogus\": 1, \"name\""));
        for (String n : names) assertTrue(e.getMessage().contains(n), n + " missing from: " + e.getMessage());
    }

    @Test
    void errorsNameTheFieldLineColumnAndWhatWasExpected() {
        ManifestException e = fails(VALID.replace("\"protocol\": \"IPPROTO_TCP\"", "\"protocol\": \"IPPROTO_SCTPX\""));
        ManifestProblem p = e.problems().getFirst();
        assertEquals("layerOver[0].protocol", p.field());
        assertEquals(10, p.line());
        assertTrue(p.column() > 60, "column " + p.column());
        assertTrue(e.getMessage().startsWith("m.json:10:" + p.column() + ": layerOver[0].protocol: unknown protocol \"IPPROTO_SCTPX\"; expected one of IPPROTO_IP,"), e.getMessage());
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        ManifestException e = fails(VALID.replace("\"fail\"", "\"sometimes\"").replace("\"64\", \"32\"", "\"64\", \"16\""));
        assertEquals(List.of("failPolicy", "catalogs[1]"), e.problems().stream().map(ManifestProblem::field).toList());
        assertTrue(e.getMessage().endsWith("(and 1 more problem)"), e.getMessage());
    }

    @Test
    @EnabledOnOs(OS.LINUX) // /dev/zero, mkfifo
    void aManifestThatIsNotARegularFileOrIsTooLargeIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        ManifestException device = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ManifestException.class, () -> ManifestParser.parse(Path.of("/dev/zero"))));
        assertTrue(device.getMessage().contains("not a regular file"), device.getMessage());

        Path fifo = dir.resolve("fifo.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        ManifestException pipe = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ManifestException.class, () -> ManifestParser.parse(fifo)), "a FIFO must not be opened");
        assertTrue(pipe.getMessage().contains("not a regular file"), pipe.getMessage());

        Path huge = dir.resolve("huge.json");
        try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB that cost nothing on disk
        }
        ManifestException big = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ManifestException.class, () -> ManifestParser.parse(huge)));
        assertTrue(big.getMessage().contains("larger than 1 MiB"), big.getMessage());
        assertFalse(big.getMessage().contains("\n"));

        ManifestException missing = assertThrows(ManifestException.class, () -> ManifestParser.parse(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }

    @Test
    void allowPatternsAreTheShimsGlobs() throws Exception {
        ProviderManifest m = parse(VALID.replace("[\"curl.exe\", \"*\"]", "[\"curl*\", \"?url.exe\", \"*\"]"));
        assertEquals(List.of("curl*", "?url.exe", "*"), m.allow());
    }

    @Test
    void jvmIsOptionalAndThenTheInstallersOwn() throws Exception {
        ProviderManifest m = parse(VALID.replace("\"jvm\": \"C:\\\\jdk\\\\bin\\\\server\\\\jvm.dll\",", ""));
        assertEquals(java.util.Optional.empty(), m.jvm());
        assertEquals(java.util.Optional.of("C:\\jdk\\bin\\server\\jvm.dll"), parse(VALID).jvm());
    }

    record Case(String name, String json, String field, String says) {}

    static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        // wrong types, field by field
        String[][] fields = {{"name", "\"test lsp\""}, {"providerGuid", "\"{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13}\""},
                {"jvm", "\"C:\\\\\\\\jdk\\\\\\\\bin\\\\\\\\server\\\\\\\\jvm.dll\""}, {"failPolicy", "\"fail\""}, {"providerClass", "\"com.example.MyProvider\""}};
        for (String[] f : fields) {
            for (String wrong : List.of("42", "true", "null", "[]", "{}")) {
                c.add(new Case(f[0] + " = " + wrong, VALID.replace("\"" + f[0] + "\": " + f[1].replace("\\\\\\\\", "\\\\"), "\"" + f[0] + "\": " + wrong),
                        f[0], "expected a string"));
            }
        }
        for (String wrong : List.of("\"/a.jar\"", "7", "{}")) {
            c.add(new Case("classpath = " + wrong, VALID.replace("[\"/opt/wsp4j/wsp4j.jar\"]", wrong), "classpath", "expected an array of strings"));
        }
        c.add(new Case("classpath item number", VALID.replace("[\"/opt/wsp4j/wsp4j.jar\"]", "[\"/a.jar\", 5]"), "classpath[1]", "expected a string"));
        c.add(new Case("empty classpath", VALID.replace("[\"/opt/wsp4j/wsp4j.jar\"]", "[]"), "classpath", "must not be empty"));
        // GUIDs
        for (String bad : List.of("", "not-a-guid", "{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A1}", "{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13",
                "3F2A8C419B7E4D06A1C56E0F2B9D7A13", "{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A1G}")) {
            c.add(new Case("guid " + bad, VALID.replace("{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13}", bad), "providerGuid", "is not a GUID"));
        }
        c.add(new Case("nil guid", VALID.replace("{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13}", "{00000000-0000-0000-0000-000000000000}"), "providerGuid", "nil GUID"));
        c.add(new Case("selector guid", VALID.replace("F9EAB0C0-26D4-11D0-BBBF-00AA006C34E4", "F9EAB0C0"), "layerOver[1].baseProvider", "is not a GUID"));
        // relative paths
        c.add(new Case("relative shim", VALID.replace("%ProgramFiles%\\\\wsp4j\\\\wsp4j.dll", "wsp4j.dll"), "shimPath", "is a relative path"));
        c.add(new Case("dot-relative jvm", VALID.replace("C:\\\\jdk\\\\bin\\\\server\\\\jvm.dll", "..\\\\jdk\\\\jvm.dll"), "jvm", "is a relative path"));
        c.add(new Case("relative classpath", VALID.replace("/opt/wsp4j/wsp4j.jar", "lib/wsp4j.jar"), "classpath[0]", "is a relative path"));
        c.add(new Case("relative log", VALID.replace("${WSP4J_ROOT}/wsp4j.log", "wsp4j.log"), "log", "is a relative path"));
        c.add(new Case("drive-relative shim", VALID.replace("%ProgramFiles%\\\\wsp4j\\\\wsp4j.dll", "C:wsp4j.dll"), "shimPath", "is a relative path"));
        // unknown fields and values
        c.add(new Case("unknown field", VALID.replace("\"name\"", "\"nmae\": \"x\", \"name\""), "nmae", "unknown field"));
        c.add(new Case("unknown selector field", VALID.replace("\"socketType\": 2", "\"socketType\": 2, \"port\": 80"), "layerOver[1].port", "unknown field"));
        c.add(new Case("unknown family", VALID.replace("\"AF_INET\"", "\"AF_INET7\""), "layerOver[0].addressFamily", "unknown addressFamily \"AF_INET7\""));
        c.add(new Case("unknown socket type", VALID.replace("\"SOCK_STREAM\"", "\"SOCK_STRAEM\""), "layerOver[0].socketType", "unknown socketType"));
        c.add(new Case("protocol out of range", VALID.replace("\"IPPROTO_TCP\"", "300"), "layerOver[0].protocol", "or a number 0-255"));
        c.add(new Case("negative protocol", VALID.replace("\"IPPROTO_TCP\"", "-6"), "layerOver[0].protocol", "unknown protocol -6"));
        c.add(new Case("empty selector", VALID.replace("{\"baseProvider\": \"{F9EAB0C0-26D4-11D0-BBBF-00AA006C34E4}\", \"socketType\": 2}", "{}"), "layerOver[1]", "would match every base provider"));
        c.add(new Case("empty layerOver", VALID.replaceAll("(?s)\"layerOver\": \\[.*?\\}\\],", "\"layerOver\": [],"), "layerOver", "non-empty array"));
        c.add(new Case("fail policy", VALID.replace("\"fail\"", "\"ignore\""), "failPolicy", "expected \"pass-through\" or \"fail\""));
        c.add(new Case("catalog 16", VALID.replace("[\"64\", \"32\"]", "[\"16\"]"), "catalogs[0]", "expected \"64\" or \"32\""));
        c.add(new Case("catalog twice", VALID.replace("[\"64\", \"32\"]", "[\"64\", \"64\"]"), "catalogs[1]", "listed twice"));
        c.add(new Case("32 without shim", VALID.replace("\"shimPath32\": \"%ProgramFiles(x86)%\\\\wsp4j\\\\wsp4j32.dll\",", ""), "catalogs", "needs shimPath32"));
        c.add(new Case("unknown category", VALID.replace("\"LSP_SYSTEM\"]", "\"LSP_SNIFFER\"]"), "categories[1]",
                "\"LSP_SNIFFER\" is not an LSP category; expected one of LSP_INSPECTOR, LSP_REDIRECTOR"));
        c.add(new Case("category twice", VALID.replace("\"LSP_SYSTEM\"]", "\"LSP_INSPECTOR\"]"), "categories[1]", "listed twice"));
        c.add(new Case("category not a name", VALID.replace("\"LSP_SYSTEM\"]", "1]"), "categories[1]", "a number is not an LSP category"));
        c.add(new Case("categories not an array", VALID.replace("[\"LSP_INSPECTOR\", \"LSP_SYSTEM\"]", "\"LSP_INSPECTOR\""), "categories",
                "expected an array of LSP category names"));
        c.add(new Case("bad class", VALID.replace("com.example.MyProvider", "com.example.My-Provider"), "providerClass", "is not a Java class name"));
        c.add(new Case("bad process", VALID.replace("\"curl.exe\"", "\"C:\\\\\\\\x\\\\\\\\curl.exe\""), "allow[0]", "is not a process name"));
        c.add(new Case("long name", VALID.replace("\"test lsp\"", "\"" + "n".repeat(200) + "\""), "name", "at most 160"));
        c.add(new Case("missing name", VALID.replace("\"name\": \"test lsp\",", ""), "", "missing required field \"name\""));
        c.add(new Case("top-level array", "[1, 2]", "", "expected a JSON object"));
        c.add(new Case("duplicate key", VALID.replace("\"name\"", "\"jvm\": \"/x\", \"name\""), "", "Duplicate field 'jvm'"));
        c.add(new Case("catalog as a number", VALID.replace("[\"64\", \"32\"]", "[64, \"32\"]"), "catalogs[0]", "expected the string \"64\" or \"32\""));
        c.add(new Case("schema as a number", VALID.replace("\"name\"", "\"$schema\": 5, \"name\""), "$schema", "expected a string"));
        c.add(new Case("jvm option with a newline", VALID.replace("\"-Xmx64m\"", "\"-Da=b\\nallow=*\""), "jvmOptions[0]", "line break or NUL"));
        c.add(new Case("jvm option with a NUL", VALID.replace("\"-Xmx64m\"", "\"-Da=b\\u0000\""), "jvmOptions[0]", "line break or NUL"));
        c.add(new Case("blank jvm option", VALID.replace("\"-Xmx64m\"", "\"  \""), "jvmOptions[0]", "must not be empty"));
        c.add(new Case("too many jvm options", VALID.replace("\"-Xmx64m\"", String.join(", ", java.util.Collections.nCopies(61, "\"-Xmx64m\""))),
                "jvmOptions", "at most 60"));
        c.add(new Case("too many allow patterns", VALID.replace("\"curl.exe\", \"*\"", String.join(", ", java.util.Collections.nCopies(65, "\"a.exe\""))),
                "allow", "at most 64"));
        c.add(new Case("allow with spaces around", VALID.replace("\"curl.exe\"", "\" curl.exe\""), "allow[0]", "start or end with a space"));
        c.add(new Case("lone surrogate in the name", VALID.replace("\"test lsp\"", "\"\\ud800x\""), "name", "unpaired surrogate"));
        c.add(new Case("lone surrogate in a path", VALID.replace("/opt/wsp4j/wsp4j.jar", "/opt/\\udc00.jar"), "classpath[0]", "unpaired surrogate"));
        c.add(new Case("path with a newline", VALID.replace("/opt/wsp4j/wsp4j.jar", "/opt/a\\nb.jar"), "classpath[0]", "line break or NUL"));
        c.add(new Case("path too long", VALID.replace("/opt/wsp4j/wsp4j.jar", "/" + "p".repeat(5000)), "classpath[0]", "at most 4095 bytes"));
        c.add(new Case("empty file", "", "", "the file is empty"));
        c.add(new Case("trailing garbage", VALID + "}", "", "not valid JSON"));
        return c;
    }

    @TestFactory
    List<DynamicTest> malformedManifestsNameTheFieldAndTheProblem() {
        return corpus().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            assertNotEquals(VALID, k.json(), "the mutation must apply");
            ManifestException e = fails(k.json());
            ManifestProblem p = e.problems().getFirst();
            assertEquals(k.field(), p.field(), e.getMessage());
            assertTrue(e.getMessage().contains(k.says()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
        })).toList();
    }

    @TestFactory
    List<DynamicTest> everyTruncationIsASyntaxErrorWithALocation() {
        List<DynamicTest> tests = new ArrayList<>();
        String valid = VALID.strip();
        for (int n = 0; n < valid.length(); n += 3) {
            String cut = valid.substring(0, n);
            boolean empty = n == 0;
            tests.add(DynamicTest.dynamicTest("first " + n + " characters", () -> {
                ManifestException e = fails(cut);
                ManifestProblem p = e.problems().getFirst();
                assertEquals("", p.field());
                assertTrue(p.message().startsWith("not valid JSON") || p.message().contains("empty"), p.message());
                if (!empty) assertTrue(p.line() >= 1, e.getMessage());
            }));
        }
        return tests;
    }
}
