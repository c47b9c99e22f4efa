package io.wsp4j.catalog.windows;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.CatalogException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The UTF-16 strings handed to and read from Win32 calls: memory only, so checked everywhere. */
class Win32StringsTest {
    private static final String PATH = "C:\\Programme\\Größe\\日本\\\uD83D\uDE00.dll"; // an astral char: a surrogate pair

    @Test
    void wideIsUtf16LittleEndianWithOneTerminatingNul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = Win32.wide(arena, PATH);
            assertEquals(2L * (PATH.length() + 1), w.byteSize()); // what RegSetKeyValueW's cbData counts
            for (int i = 0; i < PATH.length(); i++) assertEquals(PATH.charAt(i), w.getAtIndex(JAVA_CHAR, i), "char " + i);
            assertEquals(0, w.getAtIndex(JAVA_CHAR, PATH.length()));
            assertEquals((byte) 'C', w.get(JAVA_BYTE, 0)); // low byte first
        }
    }

    @Test
    void emptyStringIsJustTheNul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = Win32.wide(arena, "");
            assertEquals(2, w.byteSize());
            assertEquals(0, w.getAtIndex(JAVA_CHAR, 0));
            assertEquals("", Win32.fromWide(w, 1));
        }
    }

    @Test
    void fromWideStopsAtTheFirstNulAndIgnoresWhatFollows() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(JAVA_CHAR, Win32.MAX_PATH);
            buf.fill((byte) 'x'); // what a previous, longer string left behind
            MemorySegment.copy(Win32.wide(arena, PATH), 0, buf, 0, 2L * (PATH.length() + 1));
            assertEquals(PATH, Win32.fromWide(buf, Win32.MAX_PATH));
        }
    }

    @Test
    void aStringFillingTheWholeBufferWithItsNulIsRead() {
        try (Arena arena = Arena.ofConfined()) {
            String longest = "a".repeat(Win32.MAX_PATH - 1);
            MemorySegment buf = Win32.wide(arena, longest);
            assertEquals(longest, Win32.fromWide(buf, Win32.MAX_PATH));
        }
    }

    @Test
    void noNulWithinTheCapacityIsAFailureNotAReadPastIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(JAVA_CHAR, 8);
            for (int i = 0; i < 4; i++) buf.setAtIndex(JAVA_CHAR, i, 'a');
            // NULs follow at index 4, but the call said its string fits in 4 WCHARs.
            CatalogException e = assertThrows(CatalogException.class, () -> Win32.fromWide(buf, 4));
            assertTrue(e.getMessage().contains("no terminating NUL"), e.getMessage());
            assertEquals("aaaa", Win32.fromWide(buf, 8));
        }
    }
}
