package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.WSA_INVALID_HANDLE;
import static io.wsp4j.winsock.WsaErrors.WSA_INVALID_PARAMETER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wsp4j.bindings.LPWSAUSERAPC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link Ws2#WSAWaitForMultipleEvents} as Windows documents it (WaitForMultipleObjectsEx): any of several
 * (the lowest signalled index), all of several (signalled at the same time), auto- and manual-reset
 * events, timeouts, the parameter checks, and alertable waits an APC wakes.
 */
@EnabledOnOs(OS.LINUX)
class WaitForMultipleEventsTest {
    private static final int QUIET = 50, LONG = 5_000;
    private static final int EVENT_0 = Ws2.WSA_WAIT_EVENT_0;

    private record Ran(long context, Thread thread) {}

    private final HostEvents events = new HostEvents();
    private final ApcQueues apcs = new ApcQueues(events);
    private final Ws2 ws2 = newWs2();
    private final Arena arena = Arena.ofShared();
    private final ConcurrentLinkedQueue<Ran> ran = new ConcurrentLinkedQueue<>();
    /** The threads {@link #waitInThread} started (one per test). */
    private final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
    private final MemorySegment apc = LPWSAUSERAPC.allocate(context -> {
        try {
            ran.add(new Ran(context, Thread.currentThread()));
        } catch (Throwable t) {
            // an upcall must not throw; the test sees the missing call
        }
    }, arena);

    /** A ws2 over this test's events and APC queues (the waits use nothing else). */
    private Ws2 newWs2() {
        Catalog catalog = new Catalog();
        SocketHandles handles = new SocketHandles();
        Windows windows = new Windows();
        LastError lastError = new LastError();
        return new Ws2(catalog, new HostPlatform(catalog, events, new OverlappedCompletion(handles, events), lastError),
                new HostUpcalls(windows, handles, catalog, events, apcs), events, handles, windows,
                new IoCompletionPorts(), apcs, lastError);
    }

    @AfterEach
    void close() throws InterruptedException {
        for (Thread t : waiting) {
            t.join(LONG);
            assertFalse(t.isAlive(), "a waiter is still waiting");
        }
        apcs.close();
        arena.close();
    }

    private long[] manualEvents(int n) {
        long[] e = new long[n];
        for (int i = 0; i < n; i++) e[i] = events.create(true);
        return e;
    }

    private int waitAny(long[] e, int timeout) {
        return ws2.WSAWaitForMultipleEvents(e, false, timeout, false);
    }

    /** Waits in a new thread; the future has its result (or the failure's error code, negated). */
    private CompletableFuture<Integer> waitInThread(long[] e, boolean all, boolean alertable, CompletableFuture<Long> threadHandle) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                threadHandle.complete(apcs.currentThread());
                int r = ws2.WSAWaitForMultipleEvents(e, all, Ws2.WSA_INFINITE, alertable);
                result.complete(r == Ws2.WSA_WAIT_FAILED ? -ws2.WSAGetLastError() : r);
            } catch (Throwable x) {
                result.completeExceptionally(x);
            }
        });
        waiting.add(t);
        return result;
    }

    /** Until the waiting thread sleeps in its wait (bounded). */
    private void awaitBlocked() throws InterruptedException {
        Thread t = waiting.peek();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONG);
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) fail("the waiter never blocked: " + t.getState());
            Thread.sleep(1);
        }
    }

    @Test
    void anyOfSeveralReturnsTheLowestSignalledIndex() {
        long[] e = manualEvents(4);
        assertTrue(events.set(e[3]));
        assertTrue(events.set(e[1]));
        assertEquals(EVENT_0 + 1, waitAny(e, 0));
        assertEquals(EVENT_0 + 1, waitAny(e, LONG), "a manual-reset event stays signalled");
        assertTrue(events.reset(e[1]));
        assertEquals(EVENT_0 + 3, waitAny(e, LONG));
    }

    @Test
    void aSetFromAnotherThreadWakesTheWaitWithItsIndex() throws Exception {
        long[] e = manualEvents(3);
        CompletableFuture<Integer> r = waitInThread(e, false, false, new CompletableFuture<>());
        awaitBlocked();
        assertFalse(r.isDone());
        assertTrue(events.set(e[2]));
        assertEquals(EVENT_0 + 2, r.get(LONG, TimeUnit.MILLISECONDS));
    }

    @Test
    void onlyTheAutoResetEventThatSatisfiesTheWaitIsReset() {
        long[] e = {events.create(false), events.create(false)};
        events.set(e[0]);
        events.set(e[1]);
        assertEquals(EVENT_0, waitAny(e, 0));
        assertEquals(EVENT_0 + 1, waitAny(e, 0), "the first was consumed, the second was not");
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, waitAny(e, 0), "both consumed now");
    }

    @Test
    void aManualResetEventBeforeAnAutoResetOneLeavesItSignalled() {
        long manual = events.create(true), auto = events.create(false);
        events.set(manual);
        events.set(auto);
        assertEquals(EVENT_0, waitAny(new long[] {manual, auto}, 0));
        assertEquals(EVENT_0, waitAny(new long[] {manual, auto}, 0));
        assertTrue(events.await(auto, 0), "the auto-reset event did not satisfy the waits: still signalled");
        assertFalse(events.await(auto, 0));
    }

    @Test
    void nothingSignalledTimesOut() {
        long[] e = manualEvents(3);
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, waitAny(e, 0));
        long t0 = System.nanoTime();
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, waitAny(e, QUIET));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(QUIET), "it waited the timeout");
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, ws2.WSAWaitForMultipleEvents(e, true, QUIET, true), "waitAll, alertable");
    }

    @Test
    void atMostSixtyFourEvents() {
        long[] e = manualEvents(Ws2.WSA_MAXIMUM_WAIT_EVENTS + 1);
        events.set(e[Ws2.WSA_MAXIMUM_WAIT_EVENTS - 1]);
        assertEquals(Ws2.WSA_WAIT_FAILED, waitAny(e, 0));
        assertEquals(WSA_INVALID_PARAMETER, ws2.WSAGetLastError());
        long[] most = Arrays.copyOf(e, Ws2.WSA_MAXIMUM_WAIT_EVENTS);
        assertEquals(EVENT_0 + Ws2.WSA_MAXIMUM_WAIT_EVENTS - 1, waitAny(most, 0));
        assertEquals(Ws2.WSA_WAIT_FAILED, waitAny(new long[0], 0));
        assertEquals(WSA_INVALID_PARAMETER, ws2.WSAGetLastError());
    }

    @Test
    void anInvalidHandleFailsTheWait() {
        long[] e = manualEvents(2);
        events.set(e[0]);
        long closed = events.create(true);
        events.close(closed);
        for (long bad : new long[] {0, 0x1234, closed, HostEvents.FIRST_HANDLE + 1}) {
            ws2.WSASetLastError(0);
            assertEquals(Ws2.WSA_WAIT_FAILED, waitAny(new long[] {e[0], e[1], bad}, 0), "handle " + bad);
            assertEquals(WSA_INVALID_HANDLE, ws2.WSAGetLastError(), "handle " + bad);
        }
    }

    @Test
    void anEventClosedDuringTheWaitFailsIt() throws Exception {
        long[] e = manualEvents(2);
        CompletableFuture<Integer> r = waitInThread(e, false, false, new CompletableFuture<>());
        awaitBlocked();
        events.close(e[1]);
        assertEquals(-WSA_INVALID_HANDLE, r.get(LONG, TimeUnit.MILLISECONDS));
    }

    @Test
    void anApcQueuedWhileWaitingAlertablyWakesTheWaitAndRunsThere() throws Exception {
        long[] e = manualEvents(2);
        CompletableFuture<Long> thread = new CompletableFuture<>();
        CompletableFuture<Integer> r = waitInThread(e, false, true, thread);
        awaitBlocked();
        assertTrue(apcs.queue(thread.get(LONG, TimeUnit.MILLISECONDS), apc, 17));
        assertEquals(Ws2.WSA_WAIT_IO_COMPLETION, r.get(LONG, TimeUnit.MILLISECONDS));
        assertEquals(new Ran(17, waiting.peek()), ran.poll());
        assertTrue(ran.isEmpty());
    }

    @Test
    void aQueuedApcRunsOnlyInAnAlertableWaitAndOnlyWhenNoEventSatisfiesIt() {
        long[] e = manualEvents(2);
        assertTrue(apcs.queue(apcs.currentThread(), apc, 5));
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, waitAny(e, 0));
        assertTrue(ran.isEmpty(), "not alertable");
        events.set(e[1]);
        assertEquals(EVENT_0 + 1, ws2.WSAWaitForMultipleEvents(e, false, 0, true));
        assertTrue(ran.isEmpty(), "a signalled event satisfies the wait first");
        events.reset(e[1]);
        assertEquals(Ws2.WSA_WAIT_IO_COMPLETION, ws2.WSAWaitForMultipleEvents(e, false, LONG, true));
        assertEquals(new Ran(5, Thread.currentThread()), ran.poll());
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, ws2.WSAWaitForMultipleEvents(e, false, 0, true), "it ran once");
    }

    @Test
    void waitAllReturnsOnceTheLastIsSetLate() throws Exception {
        long[] e = manualEvents(3);
        events.set(e[0]);
        events.set(e[2]);
        CompletableFuture<Integer> r = waitInThread(e, true, false, new CompletableFuture<>());
        awaitBlocked();
        assertFalse(r.isDone());
        events.set(e[1]);
        assertEquals(EVENT_0, r.get(LONG, TimeUnit.MILLISECONDS));
        assertEquals(EVENT_0, ws2.WSAWaitForMultipleEvents(e, true, 0, false), "manual-reset events stay signalled");
    }

    @Test
    void waitAllResetsItsAutoResetEventsTogetherAndOnlyWhenAllAreSignalled() {
        long manual = events.create(true), auto1 = events.create(false), auto2 = events.create(false);
        long[] e = {auto1, manual, auto2};
        events.set(manual);
        events.set(auto1);
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, ws2.WSAWaitForMultipleEvents(e, true, 0, false));
        assertTrue(events.await(auto1, 0), "an unsatisfied waitAll consumes nothing");
        events.set(auto1);
        events.set(auto2);
        assertEquals(EVENT_0, ws2.WSAWaitForMultipleEvents(e, true, 0, false));
        assertFalse(events.await(auto1, 0), "reset");
        assertFalse(events.await(auto2, 0), "reset");
        assertTrue(events.await(manual, 0), "not reset");
    }

    @Test
    void waitAllNeedsAllSignalledAtTheSameTime() throws Exception {
        long auto = events.create(false), manual = events.create(true);
        long[] e = {auto, manual};
        events.set(auto);
        CompletableFuture<Integer> r = waitInThread(e, true, false, new CompletableFuture<>());
        awaitBlocked();
        assertEquals(EVENT_0, waitAny(new long[] {auto}, 0), "another wait takes the auto-reset signal");
        events.set(manual);
        // The waiter wakes, finds the auto-reset event no longer signalled and sleeps again.
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, waitAny(new long[] {auto}, 0));
        awaitBlocked();
        assertFalse(r.isDone(), "never all signalled at once");
        events.set(auto);
        assertEquals(EVENT_0, r.get(LONG, TimeUnit.MILLISECONDS));
        assertFalse(events.await(auto, 0), "consumed by the waitAll");
    }

    @Test
    void waitAllRefusesAnEventTwice() {
        long[] e = manualEvents(2);
        events.set(e[0]);
        events.set(e[1]);
        assertEquals(Ws2.WSA_WAIT_FAILED, ws2.WSAWaitForMultipleEvents(new long[] {e[0], e[1], e[0]}, true, 0, false));
        assertEquals(WSA_INVALID_PARAMETER, ws2.WSAGetLastError());
    }


    @Test
    void noSetIsMissedInAPingPongOfAutoResetEvents() throws Exception {
        int rounds = 10_000, width = 4;
        long[] ping = new long[width], pong = new long[width];
        for (int i = 0; i < width; i++) {
            ping[i] = events.create(false);
            pong[i] = events.create(false);
        }
        CompletableFuture<Integer> echoed = new CompletableFuture<>();
        Thread echo = Thread.ofPlatform().start(() -> {
            int n = 0;
            try {
                for (; n < rounds; n++) {
                    int r = ws2.WSAWaitForMultipleEvents(ping, false, LONG, false);
                    if (r < EVENT_0 || r >= EVENT_0 + width) break;
                    events.set(pong[r - EVENT_0]);
                }
            } finally {
                echoed.complete(n);
            }
        });
        waiting.add(echo);
        for (int k = 0; k < rounds; k++) {
            events.set(ping[k % width]);
            int r = ws2.WSAWaitForMultipleEvents(pong, false, LONG, false);
            if (r != EVENT_0 + k % width) fail("round " + k + ": " + r);
        }
        assertEquals(rounds, echoed.get(LONG, TimeUnit.MILLISECONDS));
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, waitAny(ping, 0), "every signal consumed once");
    }
}
