package io.wsp4j.catalog.windows;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The UTF-16 strings handed to and read from Win32 calls, as the JDK converts them
 * ({@code Arena.allocateFrom(String, UTF_16LE)}, {@code MemorySegment.getString(0, UTF_16LE)}): what the
 * Windows catalog counts on, memory only, so checked everywhere.
 */
class Win32StringsTest {
    private static final String PATH = "C:\\Programme\\Größe\\日本\\\uD83D\uDE00.dll"; // an astral char: a surrogate pair

    @Test
    void aWcharStringIsUtf16LittleEndianWithOneTerminatingNul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocateFrom(PATH, UTF_16LE);
            assertEquals(2L * (PATH.length() + 1), w.byteSize()); // what RegSetKeyValueW's cbData counts
            for (int i = 0; i < PATH.length(); i++) assertEquals(PATH.charAt(i), w.getAtIndex(JAVA_CHAR, i), "char " + i);
            assertEquals(0, w.getAtIndex(JAVA_CHAR, PATH.length()));
            assertEquals((byte) 'C', w.get(JAVA_BYTE, 0)); // low byte first
        }
    }

    @Test
    void emptyStringIsJustTheNul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocateFrom("", UTF_16LE);
            assertEquals(2, w.byteSize());
            assertEquals(0, w.getAtIndex(JAVA_CHAR, 0));
            assertEquals("", w.getString(0, UTF_16LE));
        }
    }

    @Test
    void readingStopsAtTheFirstNulAndIgnoresWhatFollows() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(JAVA_CHAR, Win32.MAX_PATH); // WSCGetProviderPath's buffer
            buf.fill((byte) 'x'); // what a previous, longer string left behind
            MemorySegment.copy(arena.allocateFrom(PATH, UTF_16LE), 0, buf, 0, 2L * (PATH.length() + 1));
            assertEquals(PATH, buf.getString(0, UTF_16LE));
        }
    }

    @Test
    void aStringFillingTheWholeBufferWithItsNulIsRead() {
        try (Arena arena = Arena.ofConfined()) {
            String longest = "a".repeat(Win32.MAX_PATH - 1);
            MemorySegment buf = arena.allocate(JAVA_CHAR, Win32.MAX_PATH);
            MemorySegment.copy(arena.allocateFrom(longest, UTF_16LE), 0, buf, 0, buf.byteSize());
            assertEquals(longest, buf.getString(0, UTF_16LE));
        }
    }

    @Test
    void noNulWithinTheBufferIsAFailureNotAReadPastIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(JAVA_CHAR, 8);
            for (int i = 0; i < 4; i++) memory.setAtIndex(JAVA_CHAR, i, 'a');
            // NULs follow at index 4, but the buffer the call filled is 4 WCHARs.
            MemorySegment buf = memory.asSlice(0, 4 * JAVA_CHAR.byteSize());
            assertThrows(IndexOutOfBoundsException.class, () -> buf.getString(0, UTF_16LE));
            assertEquals("aaaa", memory.getString(0, UTF_16LE));
        }
    }
}
