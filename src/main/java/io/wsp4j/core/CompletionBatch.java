package io.wsp4j.core;

/** Keys of the completions one {@link CompletionPort#poll} returned; reused across polls so the dispatcher allocates nothing. */
public final class CompletionBatch {
    private final long[] keys;
    private int size;

    public CompletionBatch(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        this.keys = new long[capacity];
    }

    public int capacity() { return keys.length; }

    public int size() { return size; }

    public long key(int i) {
        if (i >= size) throw new IndexOutOfBoundsException(i);
        return keys[i];
    }

    /** For backends: forget the previous poll. */
    public void clear() { size = 0; }

    /** For backends: record one completion; false when the batch is full. */
    public boolean add(long key) {
        if (size == keys.length) return false;
        keys[size++] = key;
        return true;
    }
}
