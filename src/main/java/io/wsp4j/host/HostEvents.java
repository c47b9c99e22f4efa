package io.wsp4j.host;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The host's event objects (WSAEVENTs), the one place that creates, signals, resets, waits on and
 * closes them: WPUCreateEvent/WSACreateEvent, the base provider signalling a WSPEventSelect event or an
 * overlapped request's {@code hEvent}, applications waiting, and the events of the host's completion
 * ports ({@link HostCompletionPort}), which a layered provider gives to the base provider. They are
 * user-space objects ({@link HostEvent}), not file descriptors: a host with 10,000 event-selected
 * sockets holds no descriptor for their events, and a signal costs no system call unless a thread
 * sleeps on it.
 *
 * <p>Handles come from a counter, in steps of 4 like Windows handles, in a range of their own: above
 * every file descriptor (the base provider's socket handles), below the socket handles ws2 makes
 * ({@link SocketHandles}), never 0. A closed handle is not reused until the counter wraps (2^27 events
 * later), so a stale handle finds nothing instead of someone else's event. The table is an array
 * indexed by the handle's counter value modulo its length, kept at most half full; looking a handle up
 * takes no lock and allocates nothing.
 */
final class HostEvents {
    static final long FIRST_HANDLE = 0x2000_0000L;
    private static final long HANDLE_STEP = 4;
    /** How many handles the range holds: up to the first handle {@link SocketHandles} makes. */
    private static final long HANDLES = (SocketHandles.FIRST_CREATED - FIRST_HANDLE) / HANDLE_STEP;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(HostEvent[].class);

    private volatile HostEvent[] table = new HostEvent[256]; // a power of two; replaced under this
    private long nextIndex; // guarded by this
    private int open; // guarded by this

    /** A new manual-reset event, not signalled (WSACreateEvent, WPUCreateEvent). */
    long create() {
        return create(true);
    }

    /** A new event, not signalled; auto-reset if not {@code manualReset}: a released wait consumes the signal. */
    synchronized long create(boolean manualReset) {
        if (open >= HANDLES / 2) throw new IllegalStateException("too many events: " + open);
        if (open >= table.length / 2) grow();
        HostEvent[] t = table;
        long index = nextIndex;
        while (SLOT.getAcquire(t, slot(t, index)) != null) index = (index + 1) % HANDLES; // a live event keeps its slot
        nextIndex = (index + 1) % HANDLES;
        HostEvent e = new HostEvent(FIRST_HANDLE + index * HANDLE_STEP, manualReset);
        SLOT.setRelease(t, slot(t, index), e);
        open++;
        return e.handle;
    }

    /** True if {@code e} is an open event of this table. */
    boolean isEvent(long e) {
        return find(e) != null;
    }

    /** Closes an event; false if it is not one. Its waiters return, its port watch ends. */
    synchronized boolean close(long e) {
        HostEvent ev = find(e);
        if (ev == null) return false;
        HostEvent[] t = table;
        SLOT.setRelease(t, slot(t, index(e)), (HostEvent) null);
        open--;
        ev.close();
        return true;
    }

    /** Signals {@code e}; false if it is not an open event. */
    boolean set(long e) {
        HostEvent ev = find(e);
        return ev != null && ev.set();
    }

    /** Resets {@code e}; false if it is not an open event. */
    boolean reset(long e) {
        HostEvent ev = find(e);
        return ev != null && ev.reset();
    }

    /**
     * Waits up to {@code timeoutMillis} ({@code -1}: forever, 0: just look) for {@code e} to be
     * signalled; a manual-reset event stays signalled, an auto-reset one is consumed. True if it is
     * signalled, false on timeout, if {@code e} is not an open event or is closed meanwhile.
     */
    boolean await(long e, int timeoutMillis) {
        HostEvent ev = find(e);
        return ev != null && ev.await(timeoutMillis);
    }

    /** Open events. */
    synchronized int size() {
        return open;
    }

    /** The open event with handle {@code e}, or null. */
    HostEvent find(long e) {
        if (e < FIRST_HANDLE || ((e - FIRST_HANDLE) & (HANDLE_STEP - 1)) != 0) return null;
        long index = index(e);
        if (index >= HANDLES) return null;
        HostEvent[] t = table;
        HostEvent ev = (HostEvent) SLOT.getAcquire(t, slot(t, index));
        return ev != null && ev.handle == e ? ev : null;
    }

    /** Ends every watch {@code port} has (the port is closing). */
    synchronized void unwatchAll(HostCompletionPort port) {
        for (HostEvent ev : table) {
            if (ev != null) ev.unwatch(port);
        }
    }

    /** Doubles the table. Live counter values differ, so they differ modulo the new length too. */
    private void grow() {
        HostEvent[] old = table;
        HostEvent[] t = new HostEvent[old.length * 2];
        for (HostEvent ev : old) {
            if (ev != null) t[slot(t, index(ev.handle))] = ev;
        }
        table = t; // volatile: publishes the filled array
    }

    private static long index(long handle) {
        return (handle - FIRST_HANDLE) / HANDLE_STEP;
    }

    private static int slot(HostEvent[] t, long index) {
        return (int) (index & (t.length - 1));
    }
}
