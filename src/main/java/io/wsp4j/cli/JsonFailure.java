package io.wsp4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.catalog.CatalogJson;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * A failure under --json: stdout gets {"error": ..., "exitCode": n}, so it stays JSON whatever happens;
 * a command that reports what it did (verify's problems, the selftest's steps) adds the same two fields
 * to its report when it fails.
 */
final class JsonFailure {
    private JsonFailure() {}

    static void print(PrintWriter out, String message, int exitCode, Optional<ObjectNode> done) {
        ObjectNode o = mark(CatalogJson.MAPPER.createObjectNode(), message, exitCode);
        done.ifPresent(o::setAll);
        JsonOutput.print(out, o);
    }

    /** {@code report} with the failure's one-line {@code error} and its {@code exitCode}. */
    static ObjectNode mark(ObjectNode report, String message, int exitCode) {
        return report.put("error", message).put("exitCode", exitCode);
    }
}
