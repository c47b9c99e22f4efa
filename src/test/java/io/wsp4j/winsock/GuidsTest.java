package io.wsp4j.winsock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsp4j.bindings.GUID;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class GuidsTest {
    private static final UUID SAMPLE = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");

    @Test
    void writesTheWindowsMemoryLayout() {
        // {00112233-4455-6677-8899-AABBCCDDEEFF} in memory: Data1, Data2, Data3 little-endian, Data4 as written.
        byte[] expected = HexFormat.of().parseHex("33221100" + "5544" + "7766" + "8899aabbccddeeff");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment guid = GUID.allocate(arena);
            Guids.write(guid, SAMPLE);
            assertArrayEquals(expected, guid.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void readsTheWindowsMemoryLayout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment guid = arena.allocateFrom(ValueLayout.JAVA_BYTE,
                    HexFormat.of().parseHex("a01a0fe78bab" + "cf11" + "8ca300805f48a192"));
            assertEquals(UUID.fromString("e70f1aa0-ab8b-11cf-8ca3-00805f48a192"), Guids.read(guid));
        }
    }

    @Property(tries = 200)
    void roundTrips(@ForAll long msb, @ForAll long lsb) {
        UUID uuid = new UUID(msb, lsb);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment guid = GUID.allocate(arena);
            Guids.write(guid, uuid);
            assertEquals(uuid, Guids.read(guid));
        }
    }
}
