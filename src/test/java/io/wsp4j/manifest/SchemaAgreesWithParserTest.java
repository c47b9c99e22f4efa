package io.wsp4j.manifest;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * provider-manifest.schema.json says what the parser does: every manifest the parser accepts the
 * schema accepts, and every bad manifest of the parser's corpus the schema rejects too, except the
 * few checks a JSON schema cannot express (listed here, and done by the parser).
 */
class SchemaAgreesWithParserTest {
    static final Path SCHEMA = Path.of("provider-manifest", "provider-manifest.schema.json");
    static final ObjectMapper JSON = new ObjectMapper();

    /** What only the parser checks: duplicate keys and syntax (the schema sees parsed JSON), values in relation, UTF-16 and UTF-8 lengths, the nil GUID. */
    static final Set<String> PARSER_ONLY = Set.of("duplicate key", "32 without shim", "nil guid", "lone surrogate in the name",
            "lone surrogate in a path", "path too long", "empty file", "trailing garbage");

    static Schema schema() throws Exception {
        // Located where it is: its relative $id resolves against that.
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(
                com.networknt.schema.SchemaLocation.of(SCHEMA.toAbsolutePath().toUri().toString()), JSON.readTree(Files.readString(SCHEMA)));
    }

    static List<Error> errors(Schema schema, String json) throws Exception {
        return schema.validate(JSON.readTree(json));
    }

    @Test
    void whatTheParserAcceptsTheSchemaAccepts() throws Exception {
        Schema schema = schema();
        String valid = ManifestParserTest.VALID;
        List<String> good = List.of(valid,
                valid.replace("[\"curl.exe\", \"*\"]", "[\"curl*\", \"?url.exe\", \"Curl.EXE\"]"),
                valid.replace("\"jvm\": \"C:\\\\\\\\jdk\\\\\\\\bin\\\\\\\\server\\\\\\\\jvm.dll\",", ""),
                valid.replace("\"name\"", "\"$schema\": \"./provider-manifest.schema.json\", \"name\""),
                valid.replace("\"-Xmx64m\"", "\"-Dwsp4j.accounting.log=C:\\\\\\\\a b\\\\\\\\x.log\""),
                Files.readString(Path.of("provider-manifest", "accounting.host.json")),
                Files.readString(Path.of("provider-manifest", "accounting.windows.json")));
        for (String json : good) {
            ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8), "m.json");
            assertEquals(List.of(), errors(schema, json), json);
        }
    }

    @Test
    void whatTheParserRefusesTheSchemaRefusesWhereASchemaCan() throws Exception {
        Schema schema = schema();
        for (ManifestParserTest.Case k : ManifestParserTest.corpus()) {
            assertThrows(ManifestException.class, () -> ManifestParser.parse(k.json().getBytes(StandardCharsets.UTF_8), "m.json"));
            if (PARSER_ONLY.contains(k.name())) continue;
            boolean parses;
            try {
                JSON.readTree(k.json());
                parses = !k.json().isBlank();
            } catch (Exception e) {
                parses = false;
            }
            if (!parses) continue; // not JSON: no schema applies
            assertFalse(errors(schema, k.json()).isEmpty(), "the schema accepts what the parser refuses (" + k.name() + "): " + k.json());
        }
    }

    @Test
    void theSchemaAndTheReadmeNameTheSameJdkFloorAsTheBuild() throws Exception {
        String schema = Files.readString(SCHEMA);
        assertTrue(schema.contains("JDK >= 22"), "the schema's JDK floor");
        assertFalse(schema.matches("(?s).*JDK >= 2[3-9].*"), schema);
        assertTrue(Files.readString(Path.of("pom.xml")).contains("<version>[22,)</version>"));
        assertTrue(Files.readString(Path.of("README.md")).contains("Java 22+"));
    }
}
