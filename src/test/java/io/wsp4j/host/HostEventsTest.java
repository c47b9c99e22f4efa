package io.wsp4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The host's event objects: handles, manual and auto reset, waits. */
@EnabledOnOs(OS.LINUX)
class HostEventsTest {
    private static final int QUIET = 50, LONG = 5_000;
    private final HostEvents events = new HostEvents();

    @Test
    void handlesAreDistinctAlignedAndOutsideTheSocketRanges() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) { // grows the table several times
            long e = events.create();
            assertNotEquals(0, e);
            assertEquals(0, e % 4, "a multiple of 4, as Windows handles");
            assertTrue(e >= HostEvents.FIRST_HANDLE && e < SocketHandles.FIRST_CREATED);
            assertTrue(seen.add(e), "handle given twice: " + e);
        }
        assertEquals(5_000, events.size());
        for (long e : seen) assertTrue(events.isEvent(e), "found after growth: " + e);
    }

    @Test
    void closedHandlesAreNotReusedAndLiveOnesSurviveChurn() {
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) live.add(events.create());
        Set<Long> closed = new HashSet<>();
        for (int i = 0; i < 300; i += 2) {
            assertTrue(events.close(live.get(i)));
            closed.add(live.get(i));
        }
        for (int i = 0; i < 1_000; i++) {
            long e = events.create();
            assertFalse(closed.contains(e), "a closed handle came back: " + e);
            assertTrue(events.close(e));
        }
        for (int i = 1; i < 300; i += 2) assertTrue(events.set(live.get(i)), "still live: " + live.get(i));
        for (long e : closed) assertFalse(events.isEvent(e));
        assertEquals(150, events.size());
    }

    @Test
    void unknownHandlesAreRefused() {
        long e = events.create();
        for (long bad : new long[] {0, -1, 3, e + 1, e + 4, HostEvents.FIRST_HANDLE - 4, SocketHandles.FIRST_CREATED}) {
            assertFalse(events.isEvent(bad), "isEvent " + bad);
            assertFalse(events.set(bad), "set " + bad);
            assertFalse(events.reset(bad), "reset " + bad);
            assertFalse(events.await(bad, 0), "await " + bad);
            assertFalse(events.close(bad), "close " + bad);
        }
        assertTrue(events.close(e));
        assertFalse(events.close(e), "closed twice");
        assertFalse(events.set(e), "set after close");
    }

    @Test
    void manualResetStaysSignalledUntilReset() {
        long e = events.create();
        assertFalse(events.await(e, 0), "created not signalled");
        assertTrue(events.set(e));
        assertTrue(events.await(e, 0));
        assertTrue(events.await(e, 0), "waiting does not reset it");
        assertTrue(events.reset(e));
        assertFalse(events.await(e, 0));
    }

    @Test
    void autoResetReleasesOneWaitPerSignal() {
        long e = events.create(false);
        assertTrue(events.set(e));
        assertTrue(events.set(e)); // a second signal of a signalled event changes nothing
        assertTrue(events.await(e, 0));
        assertFalse(events.await(e, 0), "consumed by the first wait");
    }

    @Test
    void awaitTimesOut() {
        long e = events.create();
        long t0 = System.nanoTime();
        assertFalse(events.await(e, QUIET));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(QUIET), "it waited the timeout");
    }

    @Test
    void setWakesEveryWaiterOfAManualResetEvent() throws Exception {
        long e = events.create();
        AtomicInteger released = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(3);
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                if (events.await(e, -1)) released.incrementAndGet();
            }));
        }
        started.await();
        Thread.sleep(QUIET); // let them block
        assertEquals(0, released.get());
        assertTrue(events.set(e));
        for (Thread t : waiters) t.join(LONG);
        assertEquals(3, released.get());
    }

    @Test
    void setReleasesOneWaiterOfAnAutoResetEvent() throws Exception {
        long e = events.create(false);
        AtomicInteger released = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(2);
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiters.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                if (events.await(e, LONG)) released.incrementAndGet();
            }));
        }
        started.await();
        Thread.sleep(QUIET);
        assertTrue(events.set(e));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONG);
        while (released.get() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
        Thread.sleep(QUIET); // a second release would show by now
        assertEquals(1, released.get(), "one signal, one waiter");
        assertTrue(events.set(e));
        for (Thread t : waiters) t.join(LONG);
        assertEquals(2, released.get());
    }

    @Test
    void closeWakesWaitersWithFalse() throws Exception {
        long e = events.create();
        AtomicBoolean result = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            started.countDown();
            result.set(events.await(e, -1));
        });
        started.await();
        Thread.sleep(QUIET);
        assertTrue(events.close(e));
        waiter.join(LONG);
        assertFalse(waiter.isAlive(), "the waiter returned");
        assertFalse(result.get());
    }

    @Test
    void interruptedWaitReturnsFalseAndKeepsTheFlag() throws Exception {
        long e = events.create();
        AtomicBoolean result = new AtomicBoolean(true), flag = new AtomicBoolean();
        Thread waiter = Thread.ofPlatform().start(() -> {
            result.set(events.await(e, -1));
            flag.set(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(QUIET);
        waiter.interrupt();
        waiter.join(LONG);
        assertFalse(result.get());
        assertTrue(flag.get(), "the interrupt is kept");
    }
}
