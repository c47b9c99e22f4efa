package io.wsp4j.cli;

import io.wsp4j.catalog.CatalogJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** A failure under --json: stdout gets {"error": ..., "exitCode": n}, so it stays JSON whatever happens. */
final class JsonFailure {
    private JsonFailure() {}

    static void print(PrintWriter out, String message, int exitCode) {
        var o = CatalogJson.MAPPER.createObjectNode();
        o.put("error", message);
        o.put("exitCode", exitCode);
        out.print(new String(CatalogJson.bytes(o), StandardCharsets.UTF_8));
        out.flush();
    }
}
