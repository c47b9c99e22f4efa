package io.wsp4j.catalog;

import io.wsp4j.manifest.ManifestException;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A provider for tests: real (empty) shim and jar files in a private directory, and its manifest. */
public record TestProvider(Path dir, Path manifestFile, String json) {
    public static final String GUID = "{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13}";

    public static TestProvider create(Path dir) {
        return create(dir, GUID, "test lsp", "[\"64\", \"32\"]");
    }

    public static TestProvider create(Path dir, String guid, String name, String catalogs) {
        return create(dir, guid, name, catalogs, List.of());
    }

    /** With the manifest's "categories" (none: the field is left out). */
    public static TestProvider create(Path dir, String guid, String name, String catalogs, List<String> categories) {
        try {
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.writeString(bin.resolve("shim.so"), "shim");
            Files.writeString(bin.resolve("shim32.so"), "shim32");
            Files.writeString(bin.resolve("app.jar"), "jar");
            String json = """
                    {
                      "name": "%s",
                      "providerGuid": "%s",
                      "shimPath": "%s",
                      "shimPath32": "%s",
                      "jvm": "${WSP4J_JAVA_HOME}/bin/java",
                      "classpath": ["%s"],
                      "jvmOptions": ["-Xmx32m"],
                      "allow": ["*"],%s
                      "catalogs": %s
                    }
                    """.formatted(name, guid, bin.resolve("shim.so"), bin.resolve("shim32.so"), bin.resolve("app.jar"),
                    categories.isEmpty() ? "" : "\n  \"categories\": [" + String.join(", ", categories.stream().map(c -> "\"" + c + "\"").toList()) + "],",
                    catalogs);
            Path manifest = dir.resolve(name.replace(' ', '-') + ".json");
            Files.writeString(manifest, json, StandardCharsets.UTF_8);
            return new TestProvider(dir, manifest, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ProviderManifest manifest() {
        try {
            return ManifestParser.parse(manifestFile);
        } catch (ManifestException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
