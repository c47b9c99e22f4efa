package io.wsp4j.provider;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Our socket handle → {@link LayeredSocket}, read on every SPI call and every completion: lookups
 * take no lock and allocate nothing; inserts and removals (socket creation and close) take a lock.
 *
 * <p>Open addressing with linear probing; a slot is published with one release store, removed slots
 * hold a tombstone, and the table is rebuilt (published through a volatile field) when live entries
 * plus tombstones pass half its capacity.
 */
final class SocketContexts {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(LayeredSocket[].class);
    private static final LayeredSocket TOMBSTONE = LayeredSocket.tombstone();

    private volatile LayeredSocket[] slots = new LayeredSocket[64];
    private int live;
    private int used;

    private static int indexFor(long handle, int mask) {
        long h = handle * 0x9E3779B97F4A7C15L; // Windows handles are multiples of 4: mix the bits
        return (int) (h ^ (h >>> 32)) & mask;
    }

    LayeredSocket get(long handle) {
        LayeredSocket[] t = slots;
        int mask = t.length - 1;
        for (int i = indexFor(handle, mask); ; i = (i + 1) & mask) {
            LayeredSocket s = (LayeredSocket) SLOTS.getAcquire(t, i);
            if (s == null) return null;
            if (s != TOMBSTONE && s.handle() == handle) return s;
        }
    }

    /** Inserts {@code socket}; false (and nothing changed) if its handle is already present. */
    synchronized boolean add(LayeredSocket socket) {
        if (get(socket.handle()) != null) return false;
        if ((used + 1) * 2 > slots.length) rebuild(live + 1);
        insert(slots, socket);
        live++;
        used++;
        return true;
    }

    /** Removes and returns the socket with this handle, or null. */
    synchronized LayeredSocket remove(long handle) {
        LayeredSocket[] t = slots;
        int mask = t.length - 1;
        for (int i = indexFor(handle, mask); ; i = (i + 1) & mask) {
            LayeredSocket s = t[i];
            if (s == null) return null;
            if (s != TOMBSTONE && s.handle() == handle) {
                SLOTS.setRelease(t, i, TOMBSTONE);
                live--;
                return s;
            }
        }
    }

    synchronized int size() {
        return live;
    }

    /** Every live socket, for cleanup. */
    synchronized java.util.List<LayeredSocket> snapshot() {
        java.util.List<LayeredSocket> all = new java.util.ArrayList<>(live);
        for (LayeredSocket s : slots) if (s != null && s != TOMBSTONE) all.add(s);
        return all;
    }

    private void rebuild(int needed) {
        int capacity = slots.length;
        while (needed * 4 > capacity) capacity <<= 1; // live entries at most a quarter after rebuilding
        LayeredSocket[] t = new LayeredSocket[capacity];
        for (LayeredSocket s : slots) if (s != null && s != TOMBSTONE) insert(t, s);
        used = live;
        slots = t;
    }

    private static void insert(LayeredSocket[] t, LayeredSocket s) {
        int mask = t.length - 1;
        int i = indexFor(s.handle(), mask);
        while (t[i] != null && t[i] != TOMBSTONE) i = (i + 1) & mask;
        SLOTS.setRelease(t, i, s);
    }
}
