package io.wsp4j.benchmarks;

import static io.wsp4j.winsock.FdEvents.FD_CLOSE;
import static io.wsp4j.winsock.FdEvents.FD_READ;

import io.wsp4j.host.Host;
import io.wsp4j.host.Msg;
import io.wsp4j.host.Ws2;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * Readiness dispatch end to end on loopback TCP: peers write, the dispatcher under test learns the
 * sockets are readable and the application gets each one's data. One operation: one byte written on
 * each active socket, then every one of those sockets reported to the application and drained by it.
 *
 * <p>{@code sockets} sockets are registered for reading; 1% of them (at least one) are active, the
 * rest are idle connected pairs (both ends registered) that never get data. So an operation is 1, 10 or
 * 100 messages; its latency is that burst's, from the first write to the last drain.
 *
 * <ul>
 *   <li>{@code nioSelector}: the JDK's {@link Selector} in the application's thread — what a Java
 *       programmer would write: select, then read each selected channel.
 *   <li>{@code nioSelectorHandOff}: the same selector in a thread of its own that reads the data and
 *       hands each socket to the application through a bounded queue — the JDK-only equivalent of the
 *       host's shape (a dispatcher thread and a queue the application waits on).
 *   <li>{@code hostBaseProvider}: the Linux SPI host with its base provider alone: WSAAsyncSelect
 *       FD_READ through the host's Ws2, the message taken from the window's queue, recv through the
 *       provider table.
 *   <li>{@code wsp4jLayered}: the same, with wsp4j's layered provider installed over the base provider
 *       (an author that overrides nothing): the application's calls and the FD_READ messages go
 *       through wsp4j's table, its engine and its bridge to the lower provider's events.
 * </ul>
 *
 * <p>Each operation checks that exactly the active sockets were reported, once each.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class EndToEndBenchmark {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long the application waits for one message before the benchmark fails. */
    static final long MESSAGE_TIMEOUT_MILLIS = 10_000;

    /** Active sockets among {@code sockets} registered: 1%, at least one. */
    static int activeOf(int sockets) {
        return Math.max(1, sockets / 100);
    }

    /** Registered sockets and the peers writing to the active ones. */
    @State(Scope.Thread)
    public abstract static class Sockets {
        @Param({"1", "1000", "10000"})
        public int sockets;

        int active;
        LoopbackPeers peers;

        @Setup(Level.Trial)
        public void open() throws IOException, InterruptedException {
            long needed = (long) sockets * descriptorsPerSocket() + activeOf(sockets) + 256;
            long limit = OpenFileLimit.current();
            if (needed > limit) {
                throw new IllegalStateException(sockets + " sockets need about " + needed
                        + " open files; the limit is " + limit + " (raise it with ulimit -n)");
            }
            active = activeOf(sockets);
            peers = new LoopbackPeers(active);
            start();
            for (int i = 0; i < active; i++) openActive(i);
            int idle = sockets - active;
            for (int i = 0; i < idle; i += 2) openIdlePair(idle - i >= 2);
            opened();
        }

        /** Every socket is open and registered. */
        void opened() {}

        /**
         * File descriptors one registered socket holds: with wsp4j layered too, only the socket below
         * (the event wsp4j watches it with is the host's, not an eventfd).
         */
        int descriptorsPerSocket() {
            return 1;
        }

        /** Creates the dispatcher and the listening socket. */
        abstract void start() throws IOException;

        /** Accepts the peer {@code i} connects and registers the accepted socket. */
        abstract void openActive(int i) throws IOException;

        /** A connected pair that stays idle; both ends registered, or only one if {@code both} is false. */
        abstract void openIdlePair(boolean both) throws IOException;

        @TearDown(Level.Trial)
        public void close() throws Exception {
            peers.close();
            stop();
        }

        abstract void stop() throws Exception;
    }

    // ---- the JDK selector ------------------------------------------------------------------------

    public static class NioSockets extends Sockets {
        Selector selector;
        ServerSocketChannel listener;
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64);
        final List<SocketChannel> channels = new ArrayList<>();

        @Override
        void start() throws IOException {
            selector = Selector.open();
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0), 1024);
        }

        @Override
        void openActive(int i) throws IOException {
            peers.connect(listenAddress());
            register(listener.accept());
        }

        @Override
        void openIdlePair(boolean both) throws IOException {
            SocketChannel client = SocketChannel.open(listenAddress());
            channels.add(client);
            LoopbackPeers.resetOnClose(client);
            SocketChannel server = listener.accept();
            register(server);
            if (both) register(client);
        }

        InetSocketAddress listenAddress() throws IOException {
            return (InetSocketAddress) listener.getLocalAddress();
        }

        void register(SocketChannel c) throws IOException {
            channels.add(c);
            LoopbackPeers.resetOnClose(c);
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
        }

        /** Reads what the channel holds; false if it held nothing. */
        boolean drain(SocketChannel c) throws IOException {
            readBuffer.clear();
            int n = c.read(readBuffer);
            if (n < 0) throw new IOException("peer closed during the benchmark");
            return n > 0;
        }

        @Override
        void stop() throws IOException {
            for (SocketChannel c : channels) c.close();
            listener.close();
            selector.close();
        }
    }

    /** The selector in a dispatcher thread of its own, handing readable channels to the application. */
    public static class NioHandOffSockets extends NioSockets {
        BlockingQueue<SocketChannel> delivered;
        Thread dispatcher;
        volatile Throwable dispatcherFailure;

        @Override
        void start() throws IOException {
            super.start();
            delivered = new ArrayBlockingQueue<>(10_000); // the bound of a Windows message queue
        }

        @Override
        void opened() {
            dispatcher = Thread.ofPlatform().daemon().name("nio-dispatcher").start(this::dispatch);
        }

        private void dispatch() {
            try {
                while (selector.isOpen()) {
                    selector.select();
                    for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey k = it.next();
                        it.remove();
                        SocketChannel c = (SocketChannel) k.channel();
                        if (drain(c)) delivered.put(c);
                    }
                }
            } catch (java.nio.channels.ClosedSelectorException | InterruptedException e) {
                // closed at teardown
            } catch (Throwable t) {
                dispatcherFailure = t;
            }
        }

        @Override
        void stop() throws IOException {
            selector.close(); // wakes the dispatcher, which then ends
            try {
                dispatcher.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SocketChannel c : channels) c.close();
            listener.close();
        }
    }

    @Benchmark
    public int nioSelector(NioSockets st) throws IOException {
        st.peers.writeOneByteEach();
        int reported = 0;
        while (reported < st.active) {
            st.selector.select();
            for (Iterator<SelectionKey> it = st.selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                if (st.drain((SocketChannel) k.channel())) reported++;
            }
        }
        if (reported != st.active) throw new IllegalStateException(reported + " sockets reported, " + st.active + " active");
        return reported;
    }

    @Benchmark
    public int nioSelectorHandOff(NioHandOffSockets st) throws IOException, InterruptedException {
        st.peers.writeOneByteEach();
        for (int i = 0; i < st.active; i++) {
            if (st.delivered.poll(MESSAGE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) == null) {
                throw new IllegalStateException("no readable socket handed over in " + MESSAGE_TIMEOUT_MILLIS
                        + " ms; dispatcher failure: " + st.dispatcherFailure);
            }
        }
        return st.active;
    }

    // ---- the Linux SPI host ----------------------------------------------------------------------

    /** Sockets of the host's Ws2, registered with WSAAsyncSelect(FD_READ | FD_CLOSE) on one window. */
    public static class HostSockets extends Sockets {
        /** WM_USER + 1, as in the engine benchmarks. */
        static final int WM_SOCKET = EngineDispatchBenchmark.WM_SOCKET;
        static final int EVENTS = FD_READ | FD_CLOSE;
        /** Quiet time that ends the setup's settling. */
        static final long SETTLE_MILLIS = 200;

        Host host;
        Ws2 ws2;
        long hWnd;
        long listener;
        InetSocketAddress listenAddress;
        final byte[] buffer = new byte[64];

        /** The host the benchmark runs on: the base provider alone. */
        Host newHost() {
            return new Host();
        }

        @Override
        void start() {
            host = newHost();
            ws2 = host.ws2();
            hWnd = host.createWindow();
            listener = socket();
            check(ws2.bind(listener, new InetSocketAddress(LOOPBACK, 0)), "bind");
            check(ws2.listen(listener, 1024), "listen");
            listenAddress = ws2.getsockname(listener);
            if (listenAddress == null) throw new IllegalStateException("getsockname: WSA error " + ws2.WSAGetLastError());
        }

        long socket() {
            long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
            if (s == WsaErrors.INVALID_SOCKET) throw new IllegalStateException("socket: WSA error " + ws2.WSAGetLastError());
            return s;
        }

        long accept() {
            long s = ws2.accept(listener);
            if (s == WsaErrors.INVALID_SOCKET) throw new IllegalStateException("accept: WSA error " + ws2.WSAGetLastError());
            return s;
        }

        void register(long s) {
            check(ws2.setLinger(s, true, 0), "setsockopt(SO_LINGER)"); // closing resets: no TIME_WAIT
            check(ws2.WSAAsyncSelect(s, hWnd, WM_SOCKET, EVENTS), "WSAAsyncSelect");
        }

        void check(int rc, String call) {
            if (rc == WsaErrors.SOCKET_ERROR) throw new IllegalStateException(call + ": WSA error " + ws2.WSAGetLastError());
        }

        @Override
        void openActive(int i) throws IOException {
            peers.connect(listenAddress);
            register(accept());
        }

        @Override
        void openIdlePair(boolean both) {
            long client = socket();
            check(ws2.connect(client, listenAddress), "connect"); // blocking: the listener's backlog takes it
            long server = accept();
            register(server);
            if (both) {
                register(client);
            } else {
                check(ws2.setLinger(client, true, 0), "setsockopt(SO_LINGER)");
            }
        }

        /**
         * Lets the setup's traffic settle: connecting and registering thousands of sockets may post
         * nothing (no data, no hang-up), so any message now is one nobody caused and fails the run.
         */
        @Override
        void opened() {
            Msg m = host.getMessage(hWnd, SETTLE_MILLIS);
            if (m != null) throw new IllegalStateException("a message nobody caused: " + describe(m));
        }

        @Setup(Level.Iteration)
        public void checkQuiet() {
            Msg m = host.peekMessage(hWnd);
            if (m != null) throw new IllegalStateException("a message nobody caused: " + describe(m));
        }

        @Override
        void stop() {
            host.close();
        }
    }

    static String describe(Msg m) {
        return "socket " + m.wParam() + " " + FdEvents.describe(FdEvents.selectEvent(m.lParam()))
                + " error " + FdEvents.selectError(m.lParam());
    }

    /** The same host with wsp4j's layered provider (a pass-through author) over the base provider. */
    public static class LayeredHostSockets extends HostSockets {
        @Override
        Host newHost() {
            return LayeredHosts.layered();
        }

        @Override
        void stop() {
            LayeredHosts.closeLayered(host);
        }
    }

    @Benchmark
    public int hostBaseProvider(HostSockets st) throws IOException {
        return hostRound(st);
    }

    @Benchmark
    public int wsp4jLayered(LayeredHostSockets st) throws IOException {
        return hostRound(st);
    }

    /** The application's side: the peers write, then one FD_READ message per active socket, each drained by recv. */
    static int hostRound(HostSockets st) throws IOException {
        st.peers.writeOneByteEach();
        for (int i = 0; i < st.active; i++) {
            Msg m = st.host.getMessage(st.hWnd, MESSAGE_TIMEOUT_MILLIS);
            if (m == null) throw new IllegalStateException("no message in " + MESSAGE_TIMEOUT_MILLIS + " ms");
            if (m.message() != HostSockets.WM_SOCKET || FdEvents.selectEvent(m.lParam()) != FD_READ
                    || FdEvents.selectError(m.lParam()) != 0) {
                throw new IllegalStateException("expected FD_READ, got " + describe(m));
            }
            int n = st.ws2.recv(m.wParam(), st.buffer, st.buffer.length, 0);
            if (n <= 0) throw new IllegalStateException("recv after FD_READ: " + n + ", WSA error " + st.ws2.WSAGetLastError());
        }
        return st.active;
    }
}
