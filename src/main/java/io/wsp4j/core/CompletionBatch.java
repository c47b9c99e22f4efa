package io.wsp4j.core;

/**
 * Keys of the completions one {@link CompletionPort#poll} returned; reused across polls so the
 * dispatcher allocates nothing. Each completion also carries a backend-defined {@link #detail} word
 * (0 for signalled events and posts; the ready mask of a socket watched directly by the epoll
 * backend; the byte count of an IOCP completion).
 */
public final class CompletionBatch {
    private final long[] keys;
    private final int[] details;
    private int size;

    public CompletionBatch(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        this.keys = new long[capacity];
        this.details = new int[capacity];
    }

    public int capacity() { return keys.length; }

    public int size() { return size; }

    /** Room left in this poll. */
    public int remaining() { return keys.length - size; }

    public long key(int i) {
        if (i >= size) throw new IndexOutOfBoundsException(i);
        return keys[i];
    }

    /** The backend's word for completion {@code i}; see the class comment. */
    public int detail(int i) {
        if (i >= size) throw new IndexOutOfBoundsException(i);
        return details[i];
    }

    /** For backends: forget the previous poll. */
    public void clear() { size = 0; }

    /** For backends: record one completion; false when the batch is full. */
    public boolean add(long key) {
        return add(key, 0);
    }

    /** For backends: record one completion with its detail word; false when the batch is full. */
    public boolean add(long key, int detail) {
        if (size == keys.length) return false;
        keys[size] = key;
        details[size] = detail;
        size++;
        return true;
    }
}
