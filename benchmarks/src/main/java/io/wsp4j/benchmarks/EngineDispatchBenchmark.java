package io.wsp4j.benchmarks;

import static io.wsp4j.winsock.FdEvents.FD_CLOSE;
import static io.wsp4j.winsock.FdEvents.FD_READ;
import static io.wsp4j.winsock.FdEvents.FD_WRITE;

import io.wsp4j.select.MessageSink;
import io.wsp4j.select.RegisterOutcome;
import io.wsp4j.select.SelectEngine;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

/**
 * The engine's event path, one thread, N registered sockets (READ|WRITE|CLOSE), each operation on a
 * socket drawn from a precomputed pseudo-random sequence so that large tables pay their cache misses.
 *
 * <ul>
 *   <li>{@code conditionToPost}: data arrives (FD_READ posted), then the application's recv drains
 *       it ({@code clear} + {@code afterRecv}, which re-enable FD_READ and post nothing). One message
 *       and three engine calls per operation: the whole life of one FD_READ.
 *   <li>{@code recvReenableRepost}: recv returned and data remains, so the level-triggered FD_READ
 *       is posted again at once. One message and one engine call per operation.
 *   <li>{@code signalDisabledNoPost}: more data arrives while FD_READ is posted and not yet
 *       re-enabled. No message, one engine call per operation.
 * </ul>
 *
 * <p>{@code baselineStateTouch} is the experimental control: no engine, just what any per-socket
 * state costs on this machine — one load from an array of N references, one read-modify-write of the
 * object it points to, in the same order. {@code baselineLockedStateTouch} does the same under the
 * object's monitor, as the engine does: a locked instruction lets no cache miss of the next operation
 * start early, so with large tables it shows what serialised misses cost.
 *
 * <p>Each iteration checks that the sink received exactly the messages the scenario must produce, so a
 * benchmark that silently stopped posting (or posted twice) fails instead of looking fast.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class EngineDispatchBenchmark {
    /** Registered on every socket: what a typical asynchronous client asks for. */
    static final int REGISTERED_EVENTS = FD_READ | FD_WRITE | FD_CLOSE;
    static final long HWND = 0x0001_0042L;
    /** WM_USER + 1, the customary first application message. */
    static final int WM_SOCKET = 0x0401;

    /** Counts into fields: the sink itself allocates nothing and costs a few instructions. */
    static final class CountingSink implements MessageSink {
        long posted;
        long lastLParam;

        @Override
        public boolean post(long hWnd, int wMsg, long wParam, long lParam) {
            posted++;
            lastLParam = lParam;
            return true;
        }
    }

    /**
     * Indexes in [0, sockets), at least one entry per socket, the same sequence in every run; the
     * length is a power of two so the next index is one AND away.
     */
    static int[] pseudoRandomOrder(int sockets) {
        int length = Math.max(1024, Integer.highestOneBit(Math.max(1, sockets - 1)) << 1);
        int[] order = new int[length];
        SplittableRandom random = new SplittableRandom(0x5EED_0F_50C4E75L);
        for (int i = 0; i < length; i++) order[i] = random.nextInt(sockets);
        return order;
    }

    /** An engine with {@code sockets} registered sockets and the order in which they are touched. */
    @State(Scope.Thread)
    public abstract static class Sockets {
        @Param({"1", "1000", "100000", "1000000"})
        public int sockets;

        CountingSink sink;
        SelectEngine engine;
        private int[] order;
        private int orderMask;
        private long cursor;
        private long cursorAtIterationStart;
        private long postedAtIterationStart;

        /** Messages each operation of the benchmarks using this state must post. */
        abstract int postsPerOperation();

        /** Brings every socket into the state the benchmark starts from. */
        abstract void prepare(long s);

        /** Socket handles are non-zero multiples of 4, as on Windows. */
        static long handle(int index) {
            return (index + 1L) * 4;
        }

        @Setup(Level.Trial)
        public void createEngine() {
            sink = new CountingSink();
            engine = new SelectEngine(sink, sockets);
            for (int i = 0; i < sockets; i++) {
                long s = handle(i);
                if (!engine.open(s, true)) throw new IllegalStateException("socket opened twice: " + s);
                RegisterOutcome outcome = engine.asyncSelect(s, HWND, WM_SOCKET, REGISTERED_EVENTS);
                if (!outcome.succeeded()) throw new IllegalStateException("asyncSelect: " + outcome);
                prepare(s);
            }
            order = pseudoRandomOrder(sockets);
            orderMask = order.length - 1;
        }

        @Setup(Level.Iteration)
        public void markIterationStart() {
            cursorAtIterationStart = cursor;
            postedAtIterationStart = sink.posted;
        }

        @TearDown(Level.Iteration)
        public void checkPosts() {
            long operations = cursor - cursorAtIterationStart;
            long posted = sink.posted - postedAtIterationStart;
            if (operations == 0 || posted != operations * postsPerOperation()) {
                throw new IllegalStateException(getClass().getSimpleName() + ": " + operations
                        + " operations posted " + posted + " messages, expected " + postsPerOperation() + " each");
            }
        }

        /** The next socket of the pseudo-random sequence. */
        final long next() {
            return handle(order[(int) (cursor++ & orderMask)]);
        }
    }

    /** Registered sockets with nothing to report: every FD_READ is enabled. */
    public static class IdleSockets extends Sockets {
        @Override
        int postsPerOperation() {
            return 1;
        }

        @Override
        void prepare(long s) {}
    }

    /** Data waits on every socket and its FD_READ was posted; the application has not called recv. */
    public abstract static class ReadPostedSockets extends Sockets {
        @Override
        void prepare(long s) {
            long before = sink.posted;
            engine.signal(s, FD_READ, 0);
            if (sink.posted != before + 1) throw new IllegalStateException("FD_READ not posted on " + s);
        }
    }

    public static class ReadPostedRecvSockets extends ReadPostedSockets {
        @Override
        int postsPerOperation() {
            return 1;
        }
    }

    public static class ReadPostedSignalSockets extends ReadPostedSockets {
        @Override
        int postsPerOperation() {
            return 0;
        }
    }

    /** A stand-in for a socket's state: an object of the same order of size as the engine's. */
    static final class PlainState {
        long socket;
        long hWnd;
        int enabled;
        int ready;
        long touched;
        long padding0;
        long padding1;
    }

    /** N plain objects behind an array of references, touched in the engine benchmarks' order. */
    @State(Scope.Thread)
    public static class PlainStates {
        @Param({"1", "1000", "100000", "1000000"})
        public int sockets;

        private PlainState[] states;
        private int[] order;
        private int orderMask;
        private long cursor;

        @Setup(Level.Trial)
        public void create() {
            states = new PlainState[sockets];
            for (int i = 0; i < sockets; i++) {
                states[i] = new PlainState();
                states[i].socket = Sockets.handle(i);
            }
            order = pseudoRandomOrder(sockets);
            orderMask = order.length - 1;
        }

        final PlainState next() {
            return states[order[(int) (cursor++ & orderMask)]];
        }
    }

    @Benchmark
    public long baselineStateTouch(PlainStates state) {
        PlainState s = state.next();
        return s.touched++ + s.socket;
    }

    @Benchmark
    public long baselineLockedStateTouch(PlainStates state) {
        PlainState s = state.next();
        synchronized (s) {
            return s.touched++ + s.socket;
        }
    }

    @Benchmark
    public long conditionToPost(IdleSockets state) {
        long s = state.next();
        SelectEngine engine = state.engine;
        engine.signal(s, FD_READ, 0); // posts FD_READ
        engine.clear(s, FD_READ); // recv took every byte
        engine.afterRecv(s); // FD_READ enabled again; nothing holds, nothing posted
        return state.sink.lastLParam;
    }

    @Benchmark
    public long recvReenableRepost(ReadPostedRecvSockets state) {
        long s = state.next();
        state.engine.afterRecv(s); // data remains: FD_READ posted again, disabled again
        return state.sink.lastLParam;
    }

    @Benchmark
    public long signalDisabledNoPost(ReadPostedSignalSockets state) {
        long s = state.next();
        state.engine.signal(s, FD_READ, 0); // FD_READ is disabled until recv: nothing posted
        return state.sink.posted;
    }
}
