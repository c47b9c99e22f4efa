package io.wsp4j.host;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One thread's wait for any, or all, of several host events (WaitForMultipleObjectsEx over
 * {@link HostEvent}s), alertable or not. The wait registers with each event, whose signal or close
 * wakes it, and with the calling thread's APC event if alertable. It clears its wake flag before it
 * looks at the events: a signal it missed while looking has set the flag again, so it looks once more
 * instead of sleeping. It sleeps until a signal, a close, an APC or the timeout, never polls.
 *
 * <p>Any: the lowest-indexed signalled event satisfies it, and only that one's auto-reset signal is
 * consumed (under its monitor). All: the events are looked at together, under all their monitors; the
 * wait is satisfied only while all are signalled at once, and then consumes every auto-reset signal.
 * Signalled events win over queued APCs, which run (alertable) when no event satisfies the wait.
 */
final class EventWait {
    /** The timeout elapsed (or the thread was interrupted; its flag stays set). */
    static final int TIMEOUT = -1;
    /** Alertable: the thread's queued APCs ran. */
    static final int ALERTED = -2;
    /** One of the events was closed while waited on. */
    static final int CLOSED = -3;

    private final HostEvent[] events;
    /** Wait-all: {@link #events} distinct, in the order all such waits lock them (by handle); else null. */
    private final HostEvent[] lockOrder;
    private boolean woken; // guarded by this

    private EventWait(HostEvent[] events, HostEvent[] lockOrder) {
        this.events = events;
        this.lockOrder = lockOrder;
    }

    /**
     * Waits up to {@code timeoutMillis} ({@code -1}: forever, 0: just look) for any of {@code events}:
     * the index of the lowest signalled one, {@link #TIMEOUT}, {@link #ALERTED} (if {@code alerts} is not
     * null) or {@link #CLOSED}.
     */
    static int awaitAny(HostEvent[] events, long timeoutMillis, ApcQueues alerts) {
        return new EventWait(events, null).await(timeoutMillis, alerts);
    }

    /**
     * As {@link #awaitAny}, for all of {@code distinctEvents} at once: 0 once they were all signalled
     * together. {@code distinctEvents} holds no event twice.
     */
    static int awaitAll(HostEvent[] distinctEvents, long timeoutMillis, ApcQueues alerts) {
        HostEvent[] lockOrder = distinctEvents.clone();
        Arrays.sort(lockOrder, (a, b) -> Long.compare(a.handle, b.handle));
        return new EventWait(distinctEvents, lockOrder).await(timeoutMillis, alerts);
    }

    /** A signal or close of one of the events (or an APC queued to the waiting thread). */
    synchronized void wake() {
        woken = true;
        notifyAll();
    }

    private int await(long timeoutMillis, ApcQueues alerts) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(timeoutMillis, 0));
        // Just looking never sleeps: nothing needs to wake it.
        HostEvent alert = timeoutMillis != 0 && alerts != null ? alerts.alertEvent() : null;
        if (timeoutMillis != 0) register(alert);
        try {
            while (true) {
                clearWoken(); // before looking: a signal from now on wakes the sleep below
                int satisfied = tryAcquire();
                if (satisfied >= 0) return satisfied;
                for (HostEvent e : events) {
                    if (e.isClosed()) return CLOSED;
                }
                if (alerts != null && alerts.runQueued()) return ALERTED;
                if (!sleep(timeoutMillis, deadline)) return TIMEOUT;
            }
        } finally {
            if (timeoutMillis != 0) unregister(alert);
        }
    }

    /** The index satisfied, or -1. */
    private int tryAcquire() {
        if (lockOrder != null) return HostEvent.tryAcquireAll(lockOrder) ? 0 : -1;
        for (int i = 0; i < events.length; i++) {
            if (events[i].tryAcquire()) return i;
        }
        return -1;
    }

    private void register(HostEvent alert) {
        for (HostEvent e : events) e.addWaiter(this);
        if (alert != null) alert.addWaiter(this);
    }

    private void unregister(HostEvent alert) {
        for (HostEvent e : events) e.removeWaiter(this);
        if (alert != null) alert.removeWaiter(this);
    }

    private synchronized void clearWoken() {
        woken = false;
    }

    /** Until woken (true) or the deadline (false); false if interrupted, with the flag set again. */
    private synchronized boolean sleep(long timeoutMillis, long deadline) {
        try {
            while (!woken) {
                if (timeoutMillis < 0) {
                    wait();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
