package io.wsp4j.provider;

import io.wsp4j.bindings.WSABUF;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The caller's WSABUF array of one WSPSend/WSPRecv call, as memory segments. Valid only during the
 * hook it is passed to (the memory belongs to the application); one instance per thread is reused.
 */
public final class Buffers {
    /** The WSABUF array's address, made a segment only when a hook reads it (most never do). */
    private long address;
    private int count;
    private MemorySegment array;

    Buffers() {}

    Buffers set(long wsabufs, int count) {
        this.count = count <= 0 || wsabufs == 0 ? 0 : count;
        this.address = this.count == 0 ? 0 : wsabufs;
        this.array = null;
        return this;
    }

    /** Number of buffers (dwBufferCount). */
    public int count() { return count; }

    /** Length of buffer {@code i} in bytes (WSABUF.len, unsigned). */
    public long length(int i) {
        return Integer.toUnsignedLong(WSABUF.len(element(i)));
    }

    /** Buffer {@code i} as a segment of its length. */
    public MemorySegment segment(int i) {
        MemorySegment e = element(i);
        long len = Integer.toUnsignedLong(WSABUF.len(e));
        MemorySegment buf = WSABUF.buf(e);
        return buf.address() == 0 ? MemorySegment.NULL : buf.reinterpret(len);
    }

    /** Sum of the buffer lengths. */
    public long totalLength() {
        long total = 0;
        for (int i = 0; i < count; i++) total += Integer.toUnsignedLong(WSABUF.len(element(i)));
        return total;
    }

    /** The first {@code byteCount} bytes across the buffers (e.g. what a receive filled), as a new array. */
    public byte[] read(long byteCount) {
        int n = (int) Math.min(Math.max(0, byteCount), Math.min(totalLength(), Integer.MAX_VALUE - 8));
        byte[] out = new byte[n];
        int at = 0;
        for (int i = 0; i < count && at < n; i++) {
            MemorySegment s = segment(i);
            int take = (int) Math.min(s.byteSize(), n - at);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, out, at, take);
            at += take;
        }
        return out;
    }

    private MemorySegment element(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i);
        if (array == null) array = MemorySegment.ofAddress(address).reinterpret(WSABUF.sizeof() * count);
        return WSABUF.asSlice(array, i);
    }
}
