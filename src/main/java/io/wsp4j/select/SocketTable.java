package io.wsp4j.select;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A socket handle → {@link SocketState} map for the hot path: lookups take no lock and allocate
 * nothing (no boxing); inserts and removals, which only open and close sockets do, take a lock.
 *
 * <p>Open addressing with linear probing over an array of states (each state knows its own socket, so
 * a slot is published with one release store). Removed slots hold a tombstone; the table is rebuilt,
 * and published through a volatile field, when live entries plus tombstones pass half its capacity.
 * A reader holding a replaced table sees the map as it was a moment ago, which is indistinguishable
 * from a lookup that ran a moment earlier.
 */
final class SocketTable {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(SocketState[].class);
    private static final SocketState TOMBSTONE = new SocketState(Long.MIN_VALUE, false);

    private volatile SocketState[] slots;
    private int live;
    private int used; // live + tombstones

    SocketTable(int expectedSockets) {
        slots = new SocketState[tableSizeFor(expectedSockets)];
    }

    private static int tableSizeFor(int expected) {
        int n = Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1);
        if (n <= 0) throw new IllegalArgumentException("too many sockets: " + expected);
        return n;
    }

    /** Socket handles are multiples of 4 on Windows and small dense ints on Linux: mix the bits. */
    private static int indexFor(long socket, int mask) {
        long h = socket * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    SocketState get(long socket) {
        SocketState[] t = slots;
        int mask = t.length - 1;
        for (int i = indexFor(socket, mask); ; i = (i + 1) & mask) {
            SocketState s = (SocketState) SLOTS.getAcquire(t, i);
            if (s == null) return null;
            if (s.socket == socket && s != TOMBSTONE) return s;
        }
    }

    /** Inserts {@code state} unless its socket is present; returns the state now in the table. */
    synchronized SocketState putIfAbsent(SocketState state) {
        SocketState present = get(state.socket);
        if (present != null) return present;
        if ((used + 1) * 2 > slots.length) rebuild(live + 1);
        SocketState[] t = slots;
        int mask = t.length - 1;
        for (int i = indexFor(state.socket, mask); ; i = (i + 1) & mask) {
            SocketState s = t[i];
            if (s == null || s == TOMBSTONE) {
                if (s == null) used++;
                live++;
                SLOTS.setRelease(t, i, state);
                return state;
            }
        }
    }

    /** Removes and returns the socket's state, or null. */
    synchronized SocketState remove(long socket) {
        SocketState[] t = slots;
        int mask = t.length - 1;
        for (int i = indexFor(socket, mask); ; i = (i + 1) & mask) {
            SocketState s = t[i];
            if (s == null) return null;
            if (s.socket == socket && s != TOMBSTONE) {
                SLOTS.setRelease(t, i, TOMBSTONE);
                live--;
                return s;
            }
        }
    }

    synchronized int size() {
        return live;
    }

    private void rebuild(int needed) {
        SocketState[] old = slots;
        SocketState[] t = new SocketState[Math.max(old.length, tableSizeFor(needed * 2))];
        int mask = t.length - 1;
        for (SocketState s : old) {
            if (s == null || s == TOMBSTONE) continue;
            int i = indexFor(s.socket, mask);
            while (t[i] != null) i = (i + 1) & mask;
            t[i] = s;
        }
        used = live;
        slots = t; // volatile publish of a fully built table
    }
}
