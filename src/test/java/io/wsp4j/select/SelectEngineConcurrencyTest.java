package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * 10,000 sockets, threads signalling data and threads acting as the application (take a message,
 * call recv) at the same time. Checks the two promises that matter under contention: no FD_READ is
 * posted while the previous one has not been answered by a re-enabling call, and a condition that
 * still holds is never left without a message.
 */
class SelectEngineConcurrencyTest {
    static final int SOCKETS = 10_000;
    static final int SIGNALS_PER_THREAD = 300_000;
    static final long HWND = 0x9000;
    static final int WM = 0x500;

    @Test
    void noDuplicateWhileDisabled_noLevelConditionLost_underFourThreads() throws Exception {
        // outstanding[i] = 1 while an FD_READ for socket i is posted and not yet answered by recv
        AtomicIntegerArray outstanding = new AtomicIntegerArray(SOCKETS);
        AtomicIntegerArray signalled = new AtomicIntegerArray(SOCKETS);
        ConcurrentLinkedQueue<Long> messageQueue = new ConcurrentLinkedQueue<>();
        AtomicLong duplicates = new AtomicLong();
        LongAdder posts = new LongAdder();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        SelectEngine engine = new SelectEngine((hWnd, wMsg, wParam, lParam) -> {
            assertEquals(HWND, hWnd);
            assertEquals(FD_READ, selectEvent(lParam));
            int i = (int) (wParam / 4 - 1);
            if (!outstanding.compareAndSet(i, 0, 1)) duplicates.incrementAndGet();
            posts.increment();
            messageQueue.add(wParam);
            return true;
        }, SOCKETS);
        for (int i = 0; i < SOCKETS; i++) {
            long s = (i + 1) * 4L; // Windows-like handles
            assertTrue(engine.open(s, true));
            assertTrue(engine.asyncSelect(s, HWND, WM, FD_READ).succeeded());
        }

        Thread[] network = new Thread[2];
        for (int t = 0; t < network.length; t++) {
            long seed = 42 + t;
            network[t] = Thread.ofPlatform().uncaughtExceptionHandler((thread, e) -> failures.add(e)).start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                for (int n = 0; n < SIGNALS_PER_THREAD; n++) {
                    int i = r.nextInt(SOCKETS);
                    signalled.set(i, 1);
                    engine.signal((i + 1) * 4L, FD_READ, 0);
                }
            });
        }
        AtomicLong recvs = new AtomicLong();
        Runnable app = () -> {
            while (true) {
                boolean quiet = !network[0].isAlive() && !network[1].isAlive();
                // every recv re-posts (the data is never drained), so stop on a budget once the network is quiet
                if (quiet && recvs.get() > 2L * SOCKETS) return;
                Long s = messageQueue.poll();
                if (s == null) {
                    if (quiet) return;
                    Thread.onSpinWait();
                    continue;
                }
                int i = (int) (s / 4 - 1);
                assertTrue(outstanding.compareAndSet(i, 1, 0), "message for a socket with none outstanding");
                recvs.incrementAndGet();
                engine.afterRecv(s); // data still there (never cleared): must be posted again
            }
        };
        Thread[] apps = {Thread.ofPlatform().uncaughtExceptionHandler((thread, e) -> failures.add(e)).start(app), Thread.ofPlatform().uncaughtExceptionHandler((thread, e) -> failures.add(e)).start(app)};
        for (Thread t : network) t.join();
        for (Thread t : apps) t.join();

        assertTrue(failures.isEmpty(), () -> "a worker thread failed: " + failures.peek());
        assertEquals(0, duplicates.get(), "FD_READ posted while the previous one was unanswered");
        int lost = 0;
        for (int i = 0; i < SOCKETS; i++) {
            if (signalled.get(i) == 1 && outstanding.get(i) == 0) lost++;
        }
        assertEquals(0, lost, "sockets whose data is unread but that have no FD_READ outstanding");
        assertTrue(posts.sum() >= SOCKETS / 2, "too few posts to mean anything: " + posts.sum());
    }
}
