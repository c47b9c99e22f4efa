package io.wsp4j.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Jackson's parse errors as one line a user can act on: what was wrong and where (line, column),
 * without the parser's own description of its input source or a second line.
 */
public final class JsonErrors {
    private JsonErrors() {}

    /** "Unexpected end-of-input in field name at line 3, column 7". */
    public static String describe(Throwable e) {
        if (e instanceof JsonProcessingException j) {
            String what = firstLine(j.getOriginalMessage());
            JsonLocation l = j.getLocation();
            return l == null || l.getLineNr() <= 0 ? what : what + " at line " + l.getLineNr() + ", column " + l.getColumnNr();
        }
        return firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** What was wrong, without where (for messages that give the location themselves). */
    public static String what(Throwable e) {
        return e instanceof JsonProcessingException j ? firstLine(j.getOriginalMessage()) : describe(e);
    }

    private static String firstLine(String text) {
        if (text == null) return "malformed JSON";
        int nl = text.indexOf('\n');
        // Jackson names its input source inside some messages ("start marker at [Source: REDACTED (...); line: 4, ...]").
        return (nl < 0 ? text : text.substring(0, nl)).replaceAll("Source: REDACTED \\([^)]*\\); ", "").strip();
    }
}
