package io.wsp4j.host;

import io.wsp4j.core.CompletionBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One event object of the host: a signalled flag, manual- or auto-reset, the threads waiting on it (on
 * its monitor, or through an {@link EventWait} when they wait for several events) and at most one
 * {@link HostCompletionPort} watching it. Plain memory, no kernel object: signalling an
 * event nobody waits on is a monitor and a store; one a port watches also queues the port's key (and
 * wakes its dispatcher if it sleeps). {@link HostEvents} owns the handles; everything here is guarded
 * by this object's monitor, which is released before a port is told (its dispatcher, once woken, takes
 * the monitor first).
 */
final class HostEvent {
    final long handle;
    private final boolean manualReset;
    private boolean signalled;
    private boolean closed;
    private int waiters;
    /** The waits for several events this one is part of; null: none yet. */
    private List<EventWait> multiWaiters;
    /** The port completions go to, and their key; null: not watched. */
    private HostCompletionPort watcher;
    private long key;
    /** The port this event is queued in, undelivered: a second signal before delivery queues nothing. */
    private HostCompletionPort queuedIn;

    HostEvent(long handle, boolean manualReset) {
        this.handle = handle;
        this.manualReset = manualReset;
    }

    /** SetEvent: false if closed. Wakes the waiters; queues the watcher's key unless already queued there. */
    boolean set() {
        HostCompletionPort to;
        synchronized (this) {
            if (closed) return false;
            signalled = true;
            if (waiters > 0) notifyAll();
            wakeMultiWaiters();
            to = watcher != null ? claimQueue(watcher) : null;
        }
        // Outside the monitor: the dispatcher this wakes takes it first thing (deliver).
        if (to != null) to.enqueue(this);
        return true;
    }

    /** ResetEvent: false if closed. A completion already queued for this signal is dropped at delivery. */
    synchronized boolean reset() {
        if (closed) return false;
        signalled = false;
        return true;
    }

    /**
     * Waits up to {@code timeoutMillis} ({@code -1}: forever, 0: just look) for the signal. True if it
     * came; an auto-reset event's signal is then consumed (one waiter is released per signal). False on
     * timeout, if the event is closed meanwhile, or if the thread is interrupted (its flag stays set).
     */
    synchronized boolean await(long timeoutMillis) {
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        while (!signalled && !closed) {
            if (timeoutMillis == 0) return false;
            waiters++;
            try {
                if (timeoutMillis < 0) {
                    wait();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiters--;
            }
        }
        if (closed) return false;
        if (!manualReset) signalled = false;
        return true;
    }

    /**
     * One look of a wait for any of several events: true if the event is signalled, and then an
     * auto-reset signal is consumed. False if not signalled or closed.
     */
    synchronized boolean tryAcquire() {
        if (closed || !signalled) return false;
        if (!manualReset) signalled = false;
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * A wait for all of {@code events} (distinct, in handle order: every such wait takes the monitors in
     * the same order) is satisfied if all are signalled at once; then their auto-reset signals are
     * consumed together, under all their monitors. False otherwise, and nothing is consumed.
     */
    static boolean tryAcquireAll(HostEvent[] events) {
        return tryAcquireAll(events, 0);
    }

    private static boolean tryAcquireAll(HostEvent[] events, int locked) {
        if (locked < events.length) {
            synchronized (events[locked]) {
                return tryAcquireAll(events, locked + 1);
            }
        }
        for (HostEvent e : events) {
            if (e.closed || !e.signalled) return false;
        }
        for (HostEvent e : events) {
            if (!e.manualReset) e.signalled = false;
        }
        return true;
    }

    /** {@code wait} is woken by every later signal or close of this event, until {@link #removeWaiter}. */
    synchronized void addWaiter(EventWait wait) {
        if (multiWaiters == null) multiWaiters = new ArrayList<>(2);
        multiWaiters.add(wait);
    }

    synchronized void removeWaiter(EventWait wait) {
        multiWaiters.remove(wait);
    }

    /** Until {@link #unwatch}, every signal queues {@code key} in {@code port}; a signal already there queues at once. */
    boolean watch(HostCompletionPort port, long key) {
        HostCompletionPort to;
        synchronized (this) {
            if (closed) return false;
            watcher = port;
            this.key = key;
            to = signalled ? claimQueue(port) : null;
        }
        if (to != null) to.enqueue(this);
        return true;
    }

    /** Stops the completions to {@code port}; a completion it still holds is dropped at delivery. */
    synchronized void unwatch(HostCompletionPort port) {
        if (watcher == port) watcher = null;
    }

    /**
     * The port delivers this event's queued completion: if the event is still watched by {@code port}
     * and signalled, adds the key to {@code batch} and consumes an auto-reset signal. False if the
     * completion went stale (reset, unwatched, closed, or watched elsewhere since).
     */
    synchronized boolean deliver(HostCompletionPort port, CompletionBatch batch) {
        if (queuedIn == port) queuedIn = null;
        if (watcher != port || !signalled) return false;
        if (!manualReset) signalled = false;
        return batch.add(key);
    }

    /** CloseHandle: the watch ends, waiters return false. */
    synchronized void close() {
        closed = true;
        watcher = null;
        if (waiters > 0) notifyAll();
        wakeMultiWaiters();
    }

    /** Under the monitor. */
    private void wakeMultiWaiters() {
        if (multiWaiters == null) return;
        for (int i = 0; i < multiWaiters.size(); i++) multiWaiters.get(i).wake();
    }

    /**
     * Under the monitor: {@code port} if the caller is to queue this event there (after releasing the
     * monitor), null if a completion is queued there already, or about to be, and reports this signal too.
     */
    private HostCompletionPort claimQueue(HostCompletionPort port) {
        if (queuedIn == port) return null;
        queuedIn = port;
        return port;
    }
}
