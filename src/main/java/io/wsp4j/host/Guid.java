package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.util.UUID;

/** GUID (Data1..Data4, little-endian members) to and from java.util.UUID, whose text form is the registry form. */
final class Guid {
    private Guid() {}

    private static final long DATA1 = Spi.offset(Spi.GUID, "Data1");
    private static final long DATA2 = Spi.offset(Spi.GUID, "Data2");
    private static final long DATA3 = Spi.offset(Spi.GUID, "Data3");
    private static final long DATA4 = Spi.offset(Spi.GUID, "Data4");

    static void write(UUID id, MemorySegment guid) {
        long hi = id.getMostSignificantBits(), lo = id.getLeastSignificantBits();
        guid.set(JAVA_INT, DATA1, (int) (hi >>> 32));
        guid.set(JAVA_SHORT, DATA2, (short) (hi >>> 16));
        guid.set(JAVA_SHORT, DATA3, (short) hi);
        for (int i = 0; i < 8; i++) guid.set(JAVA_BYTE, DATA4 + i, (byte) (lo >>> (56 - 8 * i)));
    }

    static UUID read(MemorySegment guid) {
        long hi = ((long) guid.get(JAVA_INT, DATA1) << 32)
                | ((long) Short.toUnsignedInt(guid.get(JAVA_SHORT, DATA2)) << 16)
                | Short.toUnsignedInt(guid.get(JAVA_SHORT, DATA3));
        long lo = 0;
        for (int i = 0; i < 8; i++) lo = (lo << 8) | Byte.toUnsignedLong(guid.get(JAVA_BYTE, DATA4 + i));
        return new UUID(hi, lo);
    }
}
