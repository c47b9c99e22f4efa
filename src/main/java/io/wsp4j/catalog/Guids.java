package io.wsp4j.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** GUIDs in the registry form Windows shows them: {@code {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}}. */
public final class Guids {
    private static final Pattern FORM = Pattern.compile(
            "\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}?");

    private Guids() {}

    public static String format(UUID guid) {
        return "{" + guid.toString().toUpperCase(Locale.ROOT) + "}";
    }

    /** Parses with or without braces; null when the text is not a GUID. */
    public static UUID parseOrNull(String text) {
        if (text == null || !FORM.matcher(text).matches()) return null;
        boolean open = text.startsWith("{"), close = text.endsWith("}");
        if (open != close) return null;
        return UUID.fromString(open ? text.substring(1, text.length() - 1) : text);
    }

    public static UUID parse(String text) {
        UUID g = parseOrNull(text);
        if (g == null) throw new IllegalArgumentException("not a GUID: \"" + text + "\"");
        return g;
    }

    /**
     * A GUID derived from another and a label (name-based, RFC 4122 version 3): the same manifest
     * always yields the same chain-entry GUIDs, so a plan is reproducible and an uninstall can find
     * them again.
     */
    public static UUID derive(UUID base, String label) {
        return UUID.nameUUIDFromBytes((format(base) + "/" + label).getBytes(StandardCharsets.UTF_8));
    }
}
