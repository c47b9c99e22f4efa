package io.wsp4j.manifest;

/** One thing wrong with a manifest: where (field path, line, column) and what was expected. */
public record ManifestProblem(String field, int line, int column, String message) {
    /** "provider.json:12:5: layerOver[1].protocol: unknown protocol ..." */
    public String format(String source) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) sb.append(':').append(line).append(':').append(column);
        sb.append(": ");
        if (!field.isEmpty()) sb.append(field).append(": ");
        return sb.append(message).toString();
    }
}
