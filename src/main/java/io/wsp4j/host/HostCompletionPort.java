package io.wsp4j.host;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The host's completion port, what {@link HostPlatform#openCompletionPort} gives a layered provider:
 * its events are the host's own ({@link HostEvents}, auto-reset), and signalling a watched one queues
 * the watch's key here. One FIFO holds both kinds of completion: an event (its key is read, and its
 * auto-reset signal consumed, at delivery, so a completion whose signal was reset or whose watch ended
 * meanwhile is dropped) and a posted key. An event is queued at most once until delivered: signals in
 * between coalesce, as on a Windows wait for an auto-reset event.
 *
 * <p>Unlike {@link io.wsp4j.core.linux.EpollCompletionPort} over eventfds, a completion costs no system
 * call unless the dispatcher sleeps (then one futex wake), and an event holds no file descriptor.
 *
 * <p>{@link #poll} is for one dispatcher thread at a time and allocates nothing (the FIFO is two
 * parallel rings, grown by producers when full); everything else is callable from any thread.
 */
final class HostCompletionPort implements CompletionPort {
    private static final int INITIAL_CAPACITY = 256;

    private final HostEvents events;

    // The FIFO, guarded by itself: completion i is sources[i] (an event) or, if that is null, keys[i] (a post).
    private final Object queue = new Object();
    private HostEvent[] sources = new HostEvent[INITIAL_CAPACITY];
    private long[] keys = new long[INITIAL_CAPACITY];
    private int head;
    private int count;

    // The dispatcher's copy of one poll's share of the FIFO, taken under the lock, delivered outside it.
    private HostEvent[] takenSources = new HostEvent[0];
    private long[] takenKeys = new long[0];

    /** The dispatcher while it sleeps in poll; producers unpark it. */
    private volatile Thread sleeper;
    private volatile boolean closed;

    HostCompletionPort(HostEvents events) {
        this.events = events;
    }

    @Override
    public long createEvent() {
        return events.create(false);
    }

    @Override
    public void closeEvent(long event) {
        if (!events.close(event)) throw new IllegalArgumentException("not an event of this host: " + event);
    }

    @Override
    public void watch(long event, long key) {
        ensureOpen();
        HostEvent ev = events.find(event);
        if (ev == null || !ev.watch(this, key)) throw new IllegalArgumentException("not an event of this host: " + event);
    }

    @Override
    public void unwatch(long event) {
        HostEvent ev = events.find(event);
        if (ev != null) ev.unwatch(this); // a closed event is watched by nobody
    }

    @Override
    public void post(long key) {
        ensureOpen();
        add(null, key);
    }

    /** A watched event was signalled (called outside its monitor). */
    void enqueue(HostEvent ev) {
        add(ev, 0);
    }

    private void add(HostEvent ev, long key) {
        synchronized (queue) {
            if (closed) return; // the port is gone: nobody will poll
            if (count == keys.length) grow();
            int tail = (head + count) & (keys.length - 1);
            sources[tail] = ev;
            keys[tail] = key;
            count++;
        }
        Thread t = sleeper;
        if (t != null) LockSupport.unpark(t);
    }

    private void grow() {
        int n = keys.length;
        HostEvent[] s = new HostEvent[n * 2];
        long[] k = new long[n * 2];
        for (int i = 0; i < count; i++) {
            s[i] = sources[(head + i) & (n - 1)];
            k[i] = keys[(head + i) & (n - 1)];
        }
        sources = s;
        keys = k;
        head = 0;
    }

    @Override
    public int poll(CompletionBatch batch, long timeoutMillis) {
        ensureOpen();
        batch.clear();
        if (takenKeys.length < batch.capacity()) {
            takenSources = new HostEvent[batch.capacity()]; // once per larger batch, not per poll
            takenKeys = new long[batch.capacity()];
        }
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        while (true) {
            if (drain(batch) > 0 || timeoutMillis == 0 || closed) return batch.size();
            // Sleep. A producer queues, then reads sleeper; this thread sets sleeper, then looks at the
            // queue: one of the two sees the other, so no completion is left asleep.
            sleeper = Thread.currentThread();
            try {
                if (queued() || closed) continue;
                if (timeoutMillis < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return 0;
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                sleeper = null;
            }
        }
    }

    private boolean queued() {
        synchronized (queue) {
            return count > 0;
        }
    }

    /** Delivers queued completions into {@code batch} until it is full or the FIFO is empty; how many. */
    private int drain(CompletionBatch batch) {
        while (batch.remaining() > 0) {
            int n;
            synchronized (queue) {
                n = Math.min(count, batch.remaining());
                int mask = keys.length - 1;
                for (int i = 0; i < n; i++) {
                    int at = (head + i) & mask;
                    takenSources[i] = sources[at];
                    takenKeys[i] = keys[at];
                    sources[at] = null;
                }
                head = (head + n) & mask;
                count -= n;
            }
            if (n == 0) break;
            for (int i = 0; i < n; i++) {
                HostEvent ev = takenSources[i];
                if (ev == null) {
                    batch.add(takenKeys[i]);
                } else {
                    takenSources[i] = null;
                    ev.deliver(this, batch); // false: stale, dropped
                }
            }
        }
        return batch.size();
    }

    @Override
    public void close() {
        synchronized (queue) {
            if (closed) return;
            closed = true;
            count = 0;
            Arrays.fill(sources, null);
        }
        events.unwatchAll(this);
        Thread t = sleeper;
        if (t != null) LockSupport.unpark(t); // a dispatcher blocked in poll returns
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("completion port is closed");
    }
}
