package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * The reads and writes the base provider's data-path entries make through a caller's raw pointer
 * (they take their pointers as {@code long}, see {@link Spi#procJavaDescriptor}): through one segment
 * spanning the address space, so a call wraps no pointer in a segment of its own. Callers check for
 * NULL; the memory is the caller's, valid for the call.
 */
final class RawMemory {
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final long WSABUF_SIZE = Spi.WSABUF.byteSize();
    private static final long WSABUF_LEN = Spi.offset(Spi.WSABUF, "len");
    private static final long WSABUF_BUF = Spi.offset(Spi.WSABUF, "buf");

    private RawMemory() {}

    static int getInt(long address) {
        return ALL.get(JAVA_INT, address);
    }

    static void setInt(long address, int value) {
        ALL.set(JAVA_INT, address, value);
    }

    /** Stores {@code code} into {@code *lpErrno} (ignored when the caller passed none). */
    static void setError(long lpErrno, int code) {
        if (lpErrno != 0) setInt(lpErrno, code);
    }

    /** The caller's memory at {@code address} as a segment of {@code size} bytes (for what outlives the call). */
    static MemorySegment segment(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    /** WSABUF {@code i} of the array at {@code lpBuffers}: its length (a u_long). */
    static long bufferLength(long lpBuffers, int i) {
        return Integer.toUnsignedLong(getInt(lpBuffers + i * WSABUF_SIZE + WSABUF_LEN));
    }

    /** WSABUF {@code i} of the array at {@code lpBuffers}: its buf pointer. */
    static long bufferAddress(long lpBuffers, int i) {
        return ALL.get(ADDRESS, lpBuffers + i * WSABUF_SIZE + WSABUF_BUF).address();
    }

    /** The total length of the {@code count} buffers. */
    static long totalLength(long lpBuffers, int count) {
        long total = 0;
        for (int i = 0; i < count; i++) total += bufferLength(lpBuffers, i);
        return total;
    }

    /** The WSABUF array's contents as segments (the caller's memory, not copied): what an overlapped request keeps. */
    static MemorySegment[] buffers(long lpBuffers, int count) {
        MemorySegment[] out = new MemorySegment[count];
        for (int i = 0; i < count; i++) out[i] = segment(bufferAddress(lpBuffers, i), bufferLength(lpBuffers, i));
        return out;
    }

    /** Copies the buffers' bytes, in order, to {@code to} (room for all of them). */
    static void gather(long lpBuffers, int count, long to) {
        long at = 0;
        for (int i = 0; i < count; i++) {
            long len = bufferLength(lpBuffers, i);
            MemorySegment.copy(ALL, bufferAddress(lpBuffers, i), ALL, to + at, len);
            at += len;
        }
    }

    /** Copies {@code n} bytes from {@code from} into the buffers, in order. */
    static void scatter(long from, long n, long lpBuffers, int count) {
        long at = 0;
        for (int i = 0; i < count && at < n; i++) {
            long len = Math.min(bufferLength(lpBuffers, i), n - at);
            MemorySegment.copy(ALL, from + at, ALL, bufferAddress(lpBuffers, i), len);
            at += len;
        }
    }
}
