package io.wsp4j.host;

import io.wsp4j.bindings.LPWSAUSERAPC;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The host's asynchronous procedure calls: one queue per application thread, filled by WPUQueueApc and
 * run by that thread, and only that thread, when it waits alertably ({@link #sleep}). A thread's handle
 * (the {@code ThreadHandle} of its WSATHREADID) is made the first time ws2 or a provider asks for it
 * and stays valid until the host closes; each queue has an event ({@link HostEvents}) that a queued
 * APC signals, which is what an alertable wait waits on.
 */
final class ApcQueues {
    private static final Logger LOG = Logger.getLogger(ApcQueues.class.getName());
    /** WAIT_IO_COMPLETION (= WSA_WAIT_IO_COMPLETION): an alertable wait ended because APCs ran. */
    static final int WAIT_IO_COMPLETION = 0xC0;
    private static final long FIRST = 0x6000_0000L;

    private record Apc(MethodHandle function, long context) {}

    private static final class Queue {
        final long wake;
        final ConcurrentLinkedQueue<Apc> apcs = new ConcurrentLinkedQueue<>();

        Queue(long wake) {
            this.wake = wake;
        }
    }

    private final HostEvents events;
    private final ConcurrentHashMap<Long, Queue> byHandle = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Thread, Long> handles = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(FIRST);

    ApcQueues(HostEvents events) {
        this.events = events;
    }

    /** The calling thread's handle (WPUOpenCurrentThread, and what ws2 passes down with a completion routine). */
    long currentThread() {
        return handles.computeIfAbsent(Thread.currentThread(), t -> {
            long h = next.getAndAdd(4);
            byHandle.put(h, new Queue(events.create()));
            return h;
        });
    }

    /** True if {@code thread} is a handle this host gave out. */
    boolean isThread(long thread) {
        return byHandle.containsKey(thread);
    }

    /** WPUQueueApc: {@code function} (an LPWSAUSERAPC) will run with {@code context}; false if no such thread. */
    boolean queue(long thread, MemorySegment function, long context) {
        Queue q = byHandle.get(thread);
        if (q == null) return false;
        q.apcs.add(new Apc(Native.downcall(function, LPWSAUSERAPC.descriptor()), context));
        events.set(q.wake);
        return true;
    }

    /**
     * SleepEx(dwMilliseconds, bAlertable) for the calling thread: 0 once the time is up, or (alertable)
     * {@link #WAIT_IO_COMPLETION} as soon as the thread's queued APCs have run.
     */
    int sleep(int timeoutMillis, boolean alertable) throws InterruptedException {
        if (!alertable) {
            Thread.sleep(Math.max(timeoutMillis, 0));
            return 0;
        }
        Queue q = byHandle.get(currentThread());
        long deadline = System.nanoTime() + Math.max(timeoutMillis, 0) * 1_000_000L;
        while (true) {
            if (runQueued(q)) return WAIT_IO_COMPLETION;
            int left = timeoutMillis < 0 ? -1 : (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            if (!events.await(q.wake, left)) return 0;
            events.reset(q.wake); // before draining: an APC queued after this signals again
        }
    }

    /**
     * Runs the APCs queued for the calling thread now (alertable waits of other kinds); true if any ran.
     * The thread's APC event is reset first: an APC queued while these run signals it again.
     */
    boolean runQueued() {
        Queue q = byHandle.get(currentThread());
        events.reset(q.wake);
        return runQueued(q);
    }

    /** The event an APC queued to the calling thread signals (an alertable {@link EventWait} waits on it too). */
    HostEvent alertEvent() {
        return events.find(byHandle.get(currentThread()).wake);
    }

    private boolean runQueued(Queue q) {
        boolean ran = false;
        for (Apc apc; (apc = q.apcs.poll()) != null; ) {
            ran = true;
            try {
                apc.function().invokeExact(apc.context());
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "an APC failed", t);
            }
        }
        return ran;
    }

    /** The host closes: the queues' events go; APCs never run are dropped. */
    void close() {
        for (Queue q : byHandle.values()) events.close(q.wake);
        byHandle.clear();
        handles.clear();
    }
}
