package io.wsp4j.winsock;

import io.wsp4j.bindings.GUID;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * GUIDs as {@link UUID}s: in the registry form Windows shows them
 * ({@code {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}}), and in memory. A GUID's first three fields are
 * little-endian integers on Windows while its text form (and a UUID) reads them most-significant first,
 * so {@code {Data1-Data2-Data3-Data4}} maps to the UUID with the same text: Data1, Data2 and Data3 are
 * the UUID's most significant 64 bits, Data4's eight bytes, in order, its least significant.
 */
public final class Guids {
    private static final Pattern FORM = Pattern.compile(
            "\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}?");

    private Guids() {}

    /** "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}". */
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

    /** The UUID of a GUID at the start of {@code guid}. */
    public static UUID read(MemorySegment guid) {
        long msb = (Integer.toUnsignedLong(GUID.Data1(guid)) << 32)
                | (Short.toUnsignedLong(GUID.Data2(guid)) << 16)
                | Short.toUnsignedLong(GUID.Data3(guid));
        long lsb = 0;
        for (int i = 0; i < Data4.LENGTH; i++) lsb = (lsb << 8) | Byte.toUnsignedLong(GUID.Data4(guid, i));
        return new UUID(msb, lsb);
    }

    /** Stores {@code uuid} as a GUID at the start of {@code guid}. */
    public static void write(MemorySegment guid, UUID uuid) {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        GUID.Data1(guid, (int) (msb >>> 32));
        GUID.Data2(guid, (short) (msb >>> 16));
        GUID.Data3(guid, (short) msb);
        for (int i = 0; i < Data4.LENGTH; i++) GUID.Data4(guid, i, (byte) (lsb >>> (8 * (Data4.LENGTH - 1 - i))));
    }

    /** Data4's length from the layout, looked up when memory is first converted (the text form needs no layout). */
    private static final class Data4 {
        static final int LENGTH = Math.toIntExact(GUID.Data4$dimensions()[0]);
    }
}
