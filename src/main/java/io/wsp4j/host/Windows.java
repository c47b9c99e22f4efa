package io.wsp4j.host;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's windows: each is a bounded posted-message queue, as Windows gives every thread one
 * (10,000 messages by default, the USERPostMessageLimit). A post to a full queue is refused, as
 * PostMessage fails with ERROR_NOT_ENOUGH_QUOTA; the refusing side keeps its event and posts it again
 * when {@link #onRoom} tells it the queue has room.
 */
public final class Windows {
    public static final int DEFAULT_QUEUE_LIMIT = 10_000;

    private final int limit;
    private final ConcurrentHashMap<Long, Queue> windows = new ConcurrentHashMap<>();
    /** Window handles look like Windows' (small multiples of 2, never 0). */
    private final AtomicLong nextHandle = new AtomicLong(0x10010);
    private volatile Runnable onRoom = () -> {};

    public Windows() {
        this(DEFAULT_QUEUE_LIMIT);
    }

    public Windows(int limit) {
        if (limit < 1) throw new IllegalArgumentException("queue limit must be >= 1: " + limit);
        this.limit = limit;
    }

    private static final class Queue {
        final ArrayDeque<Msg> messages = new ArrayDeque<>();
        boolean full; // a post was refused since the last get
    }

    /** Called (outside any lock) after a message is taken from a queue that refused a post. */
    public void onRoom(Runnable action) {
        this.onRoom = action;
    }

    public long createWindow() {
        long hWnd = nextHandle.getAndAdd(2);
        windows.put(hWnd, new Queue());
        return hWnd;
    }

    /** DestroyWindow: its queued messages are dropped; false if there is no such window. */
    public boolean destroyWindow(long hWnd) {
        Queue q = windows.remove(hWnd);
        if (q == null) return false;
        synchronized (q) {
            q.messages.clear();
            q.notifyAll();
        }
        return true;
    }

    public boolean isWindow(long hWnd) {
        return windows.containsKey(hWnd);
    }

    /** PostMessage: false if the window does not exist or its queue is full. */
    public boolean postMessage(long hWnd, int message, long wParam, long lParam) {
        Queue q = windows.get(hWnd);
        if (q == null) return false;
        synchronized (q) {
            if (q.messages.size() >= limit) {
                q.full = true;
                return false;
            }
            q.messages.add(new Msg(hWnd, message, wParam, lParam));
            q.notifyAll();
            return true;
        }
    }

    /** PeekMessage(PM_REMOVE): the oldest message, or null if none (or no such window). */
    public Msg peekMessage(long hWnd) {
        return take(hWnd, 0);
    }

    /**
     * GetMessage with a bound: waits up to {@code timeoutMillis} ({@code < 0}: forever) for a
     * message; null on timeout or if the window does not exist (or is destroyed while waiting).
     */
    public Msg getMessage(long hWnd, long timeoutMillis) {
        return take(hWnd, timeoutMillis < 0 ? Long.MAX_VALUE : timeoutMillis);
    }

    private Msg take(long hWnd, long timeoutMillis) {
        Queue q = windows.get(hWnd);
        if (q == null) return null;
        Msg m;
        boolean hadRefused;
        synchronized (q) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(timeoutMillis, Long.MAX_VALUE / 2_000_000));
            while (q.messages.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || windows.get(hWnd) != q) return null;
                try {
                    TimeUnit.NANOSECONDS.timedWait(q, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            m = q.messages.poll();
            hadRefused = q.full;
            q.full = false;
        }
        if (hadRefused) onRoom.run();
        return m;
    }

    /** Messages waiting in the window's queue (0 if no such window). */
    public int queued(long hWnd) {
        Queue q = windows.get(hWnd);
        if (q == null) return 0;
        synchronized (q) {
            return q.messages.size();
        }
    }
}
