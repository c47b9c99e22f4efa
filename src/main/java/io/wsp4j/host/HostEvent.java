package io.wsp4j.host;

import io.wsp4j.core.CompletionBatch;
import java.util.concurrent.TimeUnit;

/**
 * One event object of the host: a signalled flag, manual- or auto-reset, the threads waiting on it and
 * at most one {@link HostCompletionPort} watching it. Plain memory, no kernel object: signalling an
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
