package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSABUF;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuffersTest {
    @Test
    void viewsTheCallersWsabufArray() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = WSABUF.allocateArray(2, arena);
            MemorySegment first = arena.allocateFrom("hello ", StandardCharsets.US_ASCII).asSlice(0, 6);
            MemorySegment second = arena.allocateFrom("world", StandardCharsets.US_ASCII).asSlice(0, 5);
            WSABUF.len(WSABUF.asSlice(array, 0), 6);
            WSABUF.buf(WSABUF.asSlice(array, 0), first);
            WSABUF.len(WSABUF.asSlice(array, 1), 5);
            WSABUF.buf(WSABUF.asSlice(array, 1), second);

            Buffers b = new Buffers().set(array.address(), 2); // as an upcall sees it: a bare address
            assertEquals(2, b.count());
            assertEquals(6, b.length(0));
            assertEquals(5, b.segment(1).byteSize());
            assertEquals(11, b.totalLength());
            assertEquals("hello wo", new String(b.read(8), StandardCharsets.US_ASCII), "the first n bytes across buffers");
            assertEquals("hello world", new String(b.read(100), StandardCharsets.US_ASCII));
            assertThrows(IndexOutOfBoundsException.class, () -> b.segment(2));
            assertEquals(0, new Buffers().set(0L, 3).count(), "no array, no buffers");
        }
    }
}
