package io.wsp4j.provider;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code log} key of a shim configuration, read the way the shim reads it: UTF-8 (a byte order mark
 * skipped), one {@code key=value} per line, blanks and tabs around both trimmed, {@code #} lines and
 * empty lines ignored. Only this key matters here; the shim discards a malformed file as a whole, and
 * then targets nothing, so a process running wsp4j has a well-formed one.
 */
final class ShimConfigLog {
    private ShimConfigLog() {}

    static Optional<Path> logPath(byte[] config) {
        String text = new String(config, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        for (String raw : text.split("\n", -1)) {
            String line = trim(raw);
            if (line.isEmpty() || line.startsWith("#")) continue;
            int equals = line.indexOf('=');
            if (equals < 0 || !trim(line.substring(0, equals)).equals("log")) continue;
            String value = trim(line.substring(equals + 1));
            if (value.isEmpty()) return Optional.empty();
            try {
                return Optional.of(Path.of(value));
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The shim's trim: blanks and tabs at both ends, and a CR at the end. */
    private static String trim(String s) {
        int start = 0, end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) start++;
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t' || s.charAt(end - 1) == '\r')) end--;
        return s.substring(start, end);
    }
}
