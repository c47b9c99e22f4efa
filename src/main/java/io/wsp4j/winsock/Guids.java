package io.wsp4j.winsock;

import io.wsp4j.bindings.GUID;
import java.lang.foreign.MemorySegment;
import java.util.UUID;

/**
 * GUID ↔ {@link UUID}. A GUID's first three fields are little-endian integers on Windows while its
 * text form (and a UUID) reads them most-significant first, so {@code {Data1-Data2-Data3-Data4}} maps
 * to the UUID with the same text: Data1, Data2 and Data3 are the UUID's most significant 64 bits,
 * Data4's eight bytes, in order, its least significant.
 */
public final class Guids {
    private static final int DATA4_LENGTH = Math.toIntExact(GUID.Data4$dimensions()[0]);

    private Guids() {}

    /** The UUID of a GUID at the start of {@code guid}. */
    public static UUID read(MemorySegment guid) {
        long msb = (Integer.toUnsignedLong(GUID.Data1(guid)) << 32)
                | (Short.toUnsignedLong(GUID.Data2(guid)) << 16)
                | Short.toUnsignedLong(GUID.Data3(guid));
        long lsb = 0;
        for (int i = 0; i < DATA4_LENGTH; i++) lsb = (lsb << 8) | Byte.toUnsignedLong(GUID.Data4(guid, i));
        return new UUID(msb, lsb);
    }

    /** Stores {@code uuid} as a GUID at the start of {@code guid}. */
    public static void write(MemorySegment guid, UUID uuid) {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        GUID.Data1(guid, (int) (msb >>> 32));
        GUID.Data2(guid, (short) (msb >>> 16));
        GUID.Data3(guid, (short) msb);
        for (int i = 0; i < DATA4_LENGTH; i++) GUID.Data4(guid, i, (byte) (lsb >>> (8 * (DATA4_LENGTH - 1 - i))));
    }
}
