package io.wsp4j.host;

import java.util.ArrayDeque;

/**
 * One application I/O completion port of the host: a FIFO of {@link QueuedCompletion} packets that
 * completions and PostQueuedCompletionStatus add and GetQueuedCompletionStatus takes. Packets posted
 * after {@link #close} are dropped (nobody can dequeue them any more).
 */
final class IoCompletionPort {
    private final ArrayDeque<QueuedCompletion> packets = new ArrayDeque<>();
    private boolean closed;

    /** Queues a packet and wakes one waiter; false if the port is closed. */
    synchronized boolean post(QueuedCompletion packet) {
        if (closed) return false;
        packets.addLast(packet);
        notify();
        return true;
    }

    /**
     * The oldest packet, waiting up to {@code timeoutMillis} ({@code -1}: forever, 0: just look);
     * null on timeout or once the port is closed ({@link #isClosed} tells which).
     */
    synchronized QueuedCompletion take(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(timeoutMillis, 0) * 1_000_000;
        while (packets.isEmpty() && !closed) {
            if (timeoutMillis < 0) {
                wait();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            wait(Math.max(1, left / 1_000_000));
        }
        return closed ? null : packets.pollFirst();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Drops the packets and releases every waiter (their wait is abandoned). */
    synchronized void close() {
        closed = true;
        packets.clear();
        notifyAll();
    }
}
