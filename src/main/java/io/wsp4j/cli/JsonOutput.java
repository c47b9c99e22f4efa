package io.wsp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsp4j.catalog.CatalogJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** JSON on stdout as every command prints it under --json: the catalog's pretty form, nothing else. */
final class JsonOutput {
    private JsonOutput() {}

    static void print(PrintWriter out, JsonNode node) {
        out.print(text(node));
        out.flush();
    }

    static String text(JsonNode node) {
        return new String(CatalogJson.bytes(node), StandardCharsets.UTF_8);
    }
}
