package io.wsp4j.benchmarks;

import static io.wsp4j.winsock.FdEvents.FD_CLOSE;
import static io.wsp4j.winsock.FdEvents.FD_READ;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.linux.EpollCompletionPort;
import io.wsp4j.core.linux.EventFd;
import io.wsp4j.host.Host;
import io.wsp4j.host.Msg;
import io.wsp4j.host.Windows;
import io.wsp4j.host.Ws2;
import io.wsp4j.select.RegisterOutcome;
import io.wsp4j.select.SelectEngine;
import io.wsp4j.winsock.FdEvents;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * The dispatcher hand-off, across threads as the host runs it: a completion (an event object the
 * lower layer signals, watched by a completion port) wakes the dispatcher thread, which tells the
 * {@link SelectEngine}; the engine posts FD_READ into a bounded window queue (the host's
 * {@link Windows}); the application thread, waiting in GetMessage, takes it and re-enables FD_READ as
 * its recv would.
 *
 * <p>{@code port}: {@code host} is what a layered provider runs on the host — the port
 * {@code HostPlatform.openCompletionPort} gives, whose events are the host's user-space objects,
 * signalled with WSASetEvent (as the base provider signals a lower socket's event: a queued key and,
 * if the dispatcher sleeps, one futex wake). {@code epoll} is the {@link EpollCompletionPort} with an
 * eventfd, signalled by an eventfd write (the host's port before; the base provider still watches its
 * sockets with it): eventfd write, epoll_wait and the eventfd read that consumes the signal.
 *
 * <p>Two threads in one {@code @Group}: {@code app} signals the event, waits for the message and
 * re-enables; its SampleTime distribution is the hand-off latency (signal → message in the
 * application's hands). {@code dispatcher} is one poll-and-dispatch round: mostly waiting for the next
 * signal, so its numbers say little on their own. Messages are posted straight into the queue, without
 * the WPUPostMessage downcall the base provider makes ({@link UpcallPathBenchmark} prices that kind of
 * FFM crossing).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class DispatcherHandOffBenchmark {
    static final long SOCKET = 4;
    /** How long either thread blocks before it looks whether the iteration ended. */
    static final int WAIT_MILLIS = 10;

    @State(Scope.Group)
    public static class Pipeline {
        @Param({"host", "epoll"})
        public String port;

        Host host;
        CompletionPort completions;
        long event;
        /** How the app thread signals {@link #event}: WSASetEvent or an eventfd write. */
        LongPredicate signal;
        Windows windows;
        long hWnd;
        SelectEngine engine;
        /** The dispatcher thread's. */
        final CompletionBatch batch = new CompletionBatch(64);

        @Setup(Level.Trial)
        public void create() {
            switch (port) {
                case "host" -> {
                    host = new Host();
                    completions = host.platform().openCompletionPort();
                    Ws2 ws2 = host.ws2();
                    signal = ws2::WSASetEvent;
                }
                case "epoll" -> {
                    completions = new EpollCompletionPort();
                    signal = e -> EventFd.set((int) e);
                }
                default -> throw new IllegalArgumentException("port: host or epoll, not " + port);
            }
            event = completions.createEvent();
            completions.watch(event, SOCKET);
            windows = new Windows();
            hWnd = windows.createWindow();
            engine = new SelectEngine(windows::postMessage);
            if (!engine.open(SOCKET, true)) throw new IllegalStateException("socket opened twice");
            RegisterOutcome outcome = engine.asyncSelect(SOCKET, hWnd, EngineDispatchBenchmark.WM_SOCKET, FD_READ | FD_CLOSE);
            if (!outcome.succeeded()) throw new IllegalStateException("asyncSelect: " + outcome);
        }

        /**
         * Between iterations both threads are stopped; a signal the app made just before the end may
         * be unanswered. Start each iteration from a clean state: no completion, no message, FD_READ
         * enabled, so every app call waits for the message its own signal caused.
         */
        @Setup(Level.Iteration)
        public void resynchronise() {
            while (completions.poll(batch, 0) > 0) batch.clear();
            while (windows.peekMessage(hWnd) != null) { }
            engine.clear(SOCKET, FD_READ);
            engine.afterRecv(SOCKET);
            if (windows.queued(hWnd) != 0) throw new IllegalStateException("re-enabling posted a message");
        }

        @TearDown(Level.Trial)
        public void close() {
            completions.unwatch(event);
            completions.closeEvent(event);
            completions.close();
            if (host != null) host.close();
        }
    }

    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public long app(Pipeline p, Control control) {
        if (!p.signal.test(p.event)) throw new IllegalStateException("signalling the event failed");
        Msg m;
        while ((m = p.windows.getMessage(p.hWnd, WAIT_MILLIS)) == null) {
            if (control.stopMeasurement) return 0; // the dispatcher has stopped: the iteration is over
        }
        if (m.wParam() != SOCKET || FdEvents.selectEvent(m.lParam()) != FD_READ) {
            throw new IllegalStateException("expected FD_READ for " + SOCKET + ", got " + m);
        }
        p.engine.clear(SOCKET, FD_READ); // the application's recv took the data
        p.engine.afterRecv(SOCKET); // and re-enabled FD_READ: nothing holds, nothing posted
        return m.lParam();
    }

    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public int dispatcher(Pipeline p) {
        CompletionBatch b = p.batch;
        int n = p.completions.poll(b, WAIT_MILLIS);
        for (int i = 0; i < n; i++) p.engine.signal(b.key(i), FD_READ, 0);
        return n;
    }
}
