package io.wsp4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.CompletionPortSuite;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The host's completion port: the contract every backend runs, and what is particular to host events. */
@EnabledOnOs(OS.LINUX)
class HostCompletionPortTest extends CompletionPortSuite {
    private final HostEvents events = new HostEvents();

    @Override
    protected CompletionPort newPort() {
        return new HostCompletionPort(events);
    }

    @Override
    protected void signal(long event) {
        assertTrue(events.set(event), "set of a live event");
    }

    @Test
    void eventsAreHostHandlesNotDescriptors() {
        int fds = OpenFds.count();
        List<Long> made = new ArrayList<>();
        for (int i = 0; i < 100; i++) made.add(port.createEvent());
        assertEquals(fds, OpenFds.count(), "no descriptor per event");
        for (long e : made) {
            assertTrue(e >= HostEvents.FIRST_HANDLE && e < SocketHandles.FIRST_CREATED, "in the event range: " + e);
            port.closeEvent(e);
        }
    }

    @Test
    void signalsBeforeDeliveryCoalesce() {
        long e = port.createEvent();
        port.watch(e, 5);
        for (int i = 0; i < 3; i++) signal(e);
        CompletionBatch batch = new CompletionBatch(8);
        assertEquals(List.of(5L), keys(batch, LONG_MILLIS));
        assertEquals(List.of(), keys(batch, QUIET_MILLIS), "one completion for the three signals");
        cleanUp(e);
    }

    @Test
    void signalResetBeforeDeliveryIsDropped() {
        long e = port.createEvent();
        port.watch(e, 5);
        signal(e);
        assertTrue(events.reset(e));
        assertEquals(List.of(), keys(new CompletionBatch(8), QUIET_MILLIS), "nothing left to report");
        signal(e);
        assertEquals(List.of(5L), keys(new CompletionBatch(8), LONG_MILLIS), "the next signal queues again");
        cleanUp(e);
    }

    @Test
    void signalWakesABlockedPoll() throws Exception {
        long e = port.createEvent();
        port.watch(e, 31);
        CompletionBatch batch = new CompletionBatch(8);
        CountDownLatch polling = new CountDownLatch(1);
        List<Long> got = new ArrayList<>();
        Thread dispatcher = Thread.ofPlatform().start(() -> {
            polling.countDown();
            got.addAll(keys(batch, -1));
        });
        polling.await();
        Thread.sleep(QUIET_MILLIS); // let it park
        signal(e);
        dispatcher.join(LONG_MILLIS);
        assertFalse(dispatcher.isAlive(), "the dispatcher woke");
        assertEquals(List.of(31L), got);
        cleanUp(e);
    }

    @Test
    void closeWakesABlockedPoll() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        int[] got = {-1};
        Thread dispatcher = Thread.ofPlatform().start(() -> {
            polling.countDown();
            got[0] = port.poll(new CompletionBatch(8), -1);
        });
        polling.await();
        Thread.sleep(QUIET_MILLIS);
        port.close();
        dispatcher.join(LONG_MILLIS);
        assertFalse(dispatcher.isAlive(), "the dispatcher returned");
        assertEquals(0, got[0]);
        port = newPort();
    }

    @Test
    void closedPortRefusesUseAndEndsItsWatches() {
        long e = port.createEvent();
        port.watch(e, 1);
        port.close();
        assertThrows(IllegalStateException.class, () -> port.post(1));
        assertThrows(IllegalStateException.class, () -> port.poll(new CompletionBatch(1), 0));
        assertTrue(events.set(e), "the event outlives the port");
        port = newPort();
        port.closeEvent(e);
    }

    @Test
    void closedEventRefusesWatchAndSignal() {
        long e = port.createEvent();
        port.watch(e, 1);
        port.closeEvent(e);
        assertFalse(events.set(e));
        assertThrows(IllegalArgumentException.class, () -> port.watch(e, 2));
        assertThrows(IllegalArgumentException.class, () -> port.closeEvent(e));
        port.unwatch(e); // not watched: nothing to do, no error
        assertEquals(0, port.poll(new CompletionBatch(4), QUIET_MILLIS));
    }

    @Test
    void manualResetEventCompletesOncePerSignalAndKeepsIt() {
        long e = events.create();
        port.watch(e, 8);
        signal(e);
        CompletionBatch batch = new CompletionBatch(8);
        assertEquals(List.of(8L), keys(batch, LONG_MILLIS));
        assertEquals(List.of(), keys(batch, QUIET_MILLIS), "no repeat without a new signal");
        assertTrue(events.await(e, 0), "delivery does not reset a manual-reset event");
        port.unwatch(e);
        assertTrue(events.close(e));
    }

    @Test
    void movingAWatchToAnotherPortMovesItsCompletions() {
        long e = port.createEvent();
        port.watch(e, 1);
        signal(e); // queued in the first port
        try (CompletionPort other = newPort()) {
            other.watch(e, 2);
            signal(e);
            assertEquals(List.of(2L), keysOf(other, new CompletionBatch(8), LONG_MILLIS));
            assertEquals(List.of(), keys(new CompletionBatch(8), QUIET_MILLIS), "the first port's completion went stale");
            other.unwatch(e);
        }
        port.closeEvent(e);
    }

    @Test
    void deliveringCompletionsAllocatesNothing() {
        long e = port.createEvent();
        port.watch(e, 3);
        CompletionBatch batch = new CompletionBatch(64);
        Runnable round = () -> {
            for (int i = 0; i < 10_000; i++) {
                signal(e);
                port.post(4);
                if (port.poll(batch, 0) != 2) throw new AssertionError("expected two completions, got " + batch.size());
            }
        };
        round.run(); // warm-up: the dispatcher's scratch, classes, the JIT
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        round.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, "20,000 signals, posts and polls allocated " + allocated + " bytes");
        cleanUp(e);
    }

    private List<Long> keys(CompletionBatch batch, long timeout) {
        return keysOf(port, batch, timeout);
    }

    private static List<Long> keysOf(CompletionPort p, CompletionBatch batch, long timeout) {
        int n = p.poll(batch, timeout);
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) keys.add(batch.key(i));
        return keys;
    }

    private void cleanUp(long e) {
        port.unwatch(e);
        port.closeEvent(e);
    }
}
