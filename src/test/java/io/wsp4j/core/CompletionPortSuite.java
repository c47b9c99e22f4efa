package io.wsp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link CompletionPort}, run by every backend (epoll on Linux, the SPI host's own port,
 * IOCP on Windows).
 * Subclasses make a port and signal an event the way a lower provider would (eventfd write, the SPI
 * host's HostEvents.set, SetEvent).
 */
public abstract class CompletionPortSuite {
    /** A short wait for "nothing arrives" checks. */
    protected static final long QUIET_MILLIS = 50;
    protected static final long LONG_MILLIS = 5_000;

    protected CompletionPort port;
    private final List<Long> events = new ArrayList<>();

    protected abstract CompletionPort newPort();

    /** Signals {@code event} as a lower provider does (WPUSetEvent). */
    protected abstract void signal(long event);

    @BeforeEach
    void open() {
        port = newPort();
    }

    @AfterEach
    void closeAll() {
        for (long e : events) {
            port.unwatch(e);
            port.closeEvent(e);
        }
        port.close();
    }

    private long event() {
        long e = port.createEvent();
        events.add(e);
        return e;
    }

    private List<Long> pollKeys(CompletionBatch batch, long timeout) {
        int n = port.poll(batch, timeout);
        assertEquals(n, batch.size(), "poll returns the batch size");
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) keys.add(batch.key(i));
        return keys;
    }

    /** Polls until {@code expected} distinct keys were seen or the long timeout passed. */
    private Set<Long> collect(int expected, CompletionBatch batch) {
        Set<Long> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONG_MILLIS);
        while (seen.size() < expected && System.nanoTime() < deadline) seen.addAll(pollKeys(batch, 100));
        return seen;
    }

    @Test
    void signalledWatchedEventCompletesWithItsKey() {
        long e = event();
        port.watch(e, 42);
        signal(e);
        assertEquals(List.of(42L), pollKeys(new CompletionBatch(8), LONG_MILLIS));
    }

    @Test
    void pollTimesOutWithNothing() {
        long e = event();
        port.watch(e, 1);
        long t0 = System.nanoTime();
        assertEquals(0, port.poll(new CompletionBatch(8), QUIET_MILLIS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS / 2), "it waited");
    }

    @Test
    void completionConsumesTheSignal_autoReset() {
        long e = event();
        port.watch(e, 7);
        signal(e);
        CompletionBatch batch = new CompletionBatch(8);
        assertEquals(List.of(7L), pollKeys(batch, LONG_MILLIS));
        assertEquals(List.of(), pollKeys(batch, QUIET_MILLIS), "a persistent watch does not spin");
        signal(e);
        assertEquals(List.of(7L), pollKeys(batch, LONG_MILLIS), "the watch persists");
    }

    @Test
    void aSignalWhileTheConsumerWorksIsNotLost() {
        long e = event();
        port.watch(e, 8);
        signal(e);
        CompletionBatch batch = new CompletionBatch(8);
        assertEquals(List.of(8L), pollKeys(batch, LONG_MILLIS));
        signal(e); // between two polls: the consumer is still handling the first completion
        assertEquals(List.of(8L), pollKeys(batch, LONG_MILLIS));
        assertEquals(List.of(), pollKeys(batch, QUIET_MILLIS), "one completion per signal");
    }

    @Test
    void everyRoundOfSignalAndPollCompletesOnce() {
        long e = event();
        port.watch(e, 12);
        CompletionBatch batch = new CompletionBatch(8);
        for (int round = 0; round < 200; round++) {
            signal(e);
            assertEquals(List.of(12L), pollKeys(batch, LONG_MILLIS), "round " + round);
        }
        assertEquals(List.of(), pollKeys(batch, QUIET_MILLIS));
    }

    @Test
    void unwatchAfterACompletionWasTakenEndsTheWatch() {
        long e = event();
        port.watch(e, 10);
        signal(e);
        CompletionBatch batch = new CompletionBatch(8);
        assertEquals(List.of(10L), pollKeys(batch, LONG_MILLIS));
        port.unwatch(e);
        signal(e);
        assertEquals(List.of(), pollKeys(batch, QUIET_MILLIS));
    }

    @Test
    void watchingAgainAfterACompletionWasTakenCarriesOnlyTheNewKey() {
        long e = event();
        port.watch(e, 20);
        signal(e);
        CompletionBatch batch = new CompletionBatch(8);
        assertEquals(List.of(20L), pollKeys(batch, LONG_MILLIS));
        port.unwatch(e);
        port.watch(e, 21);
        signal(e);
        assertEquals(List.of(21L), pollKeys(batch, LONG_MILLIS));
        assertEquals(List.of(), pollKeys(batch, QUIET_MILLIS), "the old watch left nothing behind");
    }

    @Test
    void eventSignalledBeforeWatchCompletesOnWatch() {
        long e = event();
        signal(e);
        port.watch(e, 9);
        assertEquals(List.of(9L), pollKeys(new CompletionBatch(8), LONG_MILLIS));
    }

    @Test
    void closedEventIsForgottenByItsWatch() {
        long e = port.createEvent();
        port.watch(e, 4);
        port.unwatch(e);
        port.closeEvent(e);
        assertEquals(List.of(), pollKeys(new CompletionBatch(8), QUIET_MILLIS));
    }

    @Test
    void unwatchedEventNoLongerCompletes() {
        long e = event();
        port.watch(e, 3);
        port.unwatch(e);
        signal(e);
        assertEquals(List.of(), pollKeys(new CompletionBatch(8), QUIET_MILLIS));
    }

    @Test
    void watchingAgainReplacesTheKey() {
        long e = event();
        port.watch(e, 1);
        port.unwatch(e);
        port.watch(e, 2);
        signal(e);
        CompletionBatch batch = new CompletionBatch(8);
        assertEquals(List.of(2L), pollKeys(batch, LONG_MILLIS));
    }

    @Test
    void postedKeysArriveInOrder() {
        for (long k = 100; k < 110; k++) port.post(k);
        List<Long> keys = pollKeys(new CompletionBatch(64), LONG_MILLIS);
        List<Long> expected = new ArrayList<>();
        for (long k = 100; k < 110; k++) expected.add(k);
        assertEquals(expected, keys);
    }

    @Test
    void postWakesABlockedPoll() throws Exception {
        CompletionBatch batch = new CompletionBatch(8);
        CountDownLatch polling = new CountDownLatch(1);
        List<Long> got = new ArrayList<>();
        Thread dispatcher = Thread.ofPlatform().start(() -> {
            polling.countDown();
            got.addAll(pollKeys(batch, -1));
        });
        polling.await();
        Thread.sleep(QUIET_MILLIS); // let it block
        port.post(77);
        dispatcher.join(LONG_MILLIS);
        assertEquals(List.of(77L), got);
    }

    @Test
    void batchesAreBoundedByCapacityAndLoseNothing() {
        for (long k = 0; k < 10; k++) port.post(k);
        CompletionBatch batch = new CompletionBatch(4);
        assertEquals(4, port.poll(batch, LONG_MILLIS));
        assertEquals(List.of(0L, 1L, 2L, 3L), keysOf(batch));
        assertEquals(4, port.poll(batch, LONG_MILLIS));
        assertEquals(List.of(4L, 5L, 6L, 7L), keysOf(batch));
        assertEquals(2, port.poll(batch, LONG_MILLIS));
        assertEquals(List.of(8L, 9L), keysOf(batch));
        assertEquals(0, port.poll(batch, QUIET_MILLIS));
    }

    @Test
    void manySignalledEventsAllCompleteThroughASmallBatch() {
        int n = 200;
        Set<Long> expected = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long e = event();
            port.watch(e, 1000 + i);
            expected.add(1000L + i);
        }
        for (long e : events) signal(e);
        assertEquals(expected, collect(n, new CompletionBatch(16)));
        assertEquals(0, port.poll(new CompletionBatch(16), QUIET_MILLIS), "each signal consumed");
    }

    @Test
    void postsFromManyThreadsAllArrive() throws Exception {
        int threads = 4, perThread = 500;
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = t * 10_000L;
            posters.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) port.post(base + i);
            }));
        }
        for (Thread t : posters) t.join();
        Set<Long> expected = new HashSet<>();
        for (int t = 0; t < threads; t++) for (int i = 0; i < perThread; i++) expected.add(t * 10_000L + i);
        assertEquals(expected, collect(expected.size(), new CompletionBatch(64)));
    }

    @Test
    void postsAndEventsShareOnePoll() {
        long e = event();
        port.watch(e, 5);
        signal(e);
        port.post(6);
        assertEquals(Set.of(5L, 6L), collect(2, new CompletionBatch(8)));
    }

    @Test
    void eventsOutliveTheirPort() {
        long e = event();
        port.watch(e, 1);
        port.close();
        port.close(); // idempotent
        port = newPort();
        port.watch(e, 2);
        signal(e);
        assertEquals(List.of(2L), pollKeys(new CompletionBatch(8), LONG_MILLIS));
    }

    private static List<Long> keysOf(CompletionBatch batch) {
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) keys.add(batch.key(i));
        return keys;
    }
}
