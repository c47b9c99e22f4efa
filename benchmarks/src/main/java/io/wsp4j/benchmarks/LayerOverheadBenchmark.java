package io.wsp4j.benchmarks;

import static io.wsp4j.winsock.FdEvents.FD_CLOSE;
import static io.wsp4j.winsock.FdEvents.FD_READ;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.wsp4j.bindings.WSABUF;
import io.wsp4j.host.Host;
import io.wsp4j.host.Ws2;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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
 * What wsp4j's layer adds to one WSP call: the same call, with the same arguments, through the table
 * ws2 routes the socket to — wsp4j's layered table ({@code table=layered}, a pass-through author over
 * the host's base provider) or the base provider's own ({@code table=base}). The difference of the two
 * scores is the layer overhead per call; the base score is what the call costs anyway.
 *
 * <ul>
 *   <li>{@code recvZeroBytesWithData}: WSPRecv of 0 bytes on a blocking socket with data waiting
 *       (returns at once, consumes nothing).
 *   <li>{@code send64Bytes}: WSPSend of 64 bytes on a blocking socket; a peer thread drains them.
 *   <li>{@code asyncSelectReRegister}: WSPAsyncSelect(FD_READ | FD_CLOSE) again on a connected, idle
 *       socket (replaces the registration; nothing holds, nothing is posted).
 *   <li>{@code recvUnknownSocket}: WSPRecv on a handle the provider does not know: WSAENOTSOCK at
 *       once — the fixed cost of entering the provider's real upcall stub and leaving it.
 * </ul>
 *
 * <p>Calls go through the very downcall handles ws2 uses ({@link HostTables}), with argument memory
 * allocated once, so ws2's own marshalling is not measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class LayerOverheadBenchmark {
    static final int WM_SOCKET = EngineDispatchBenchmark.WM_SOCKET;
    static final long UNKNOWN_SOCKET = 0x7fff_fff0L;

    @State(Scope.Thread)
    public static class Table {
        @Param({"base", "layered"})
        public String table;

        Host host;
        Ws2 ws2;
        long hWnd;
        long listener;
        LoopbackPeers peers;
        long recvSocket, sendSocket, selectSocket;
        MethodHandle recv, send, asyncSelect;
        Thread drainer;

        Arena arena;
        MemorySegment emptyBuffer, sendBuffer, bytes, flags, errno;

        @Setup(Level.Trial)
        public void open() throws IOException {
            host = switch (table) {
                case "base" -> new Host();
                case "layered" -> LayeredHosts.layered();
                default -> throw new IllegalArgumentException("table must be base or layered: " + table);
            };
            ws2 = host.ws2();
            hWnd = host.createWindow();
            listener = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
            check(listener == WsaErrors.INVALID_SOCKET ? WsaErrors.SOCKET_ERROR : 0, "socket");
            check(ws2.bind(listener, new InetSocketAddress(EndToEndBenchmark.LOOPBACK, 0)), "bind");
            check(ws2.listen(listener, 16), "listen");
            InetSocketAddress at = ws2.getsockname(listener);
            peers = new LoopbackPeers(3);

            SocketChannel recvPeer = peers.connect(at);
            recvSocket = accept();
            recvPeer.write(ByteBuffer.wrap(new byte[] {42})); // stays: a 0-byte recv takes nothing

            SocketChannel sendPeer = peers.connect(at);
            sendSocket = accept();
            drainer = Thread.ofPlatform().daemon().name("send-drainer").start(() -> drain(sendPeer));

            peers.connect(at);
            selectSocket = accept();
            check(ws2.WSAAsyncSelect(selectSocket, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), "WSAAsyncSelect");

            recv = HostTables.entry(ws2, recvSocket, "recv");
            send = HostTables.entry(ws2, sendSocket, "send");
            asyncSelect = HostTables.entry(ws2, selectSocket, "asyncSelect");
            for (long s : new long[] {recvSocket, sendSocket, selectSocket}) {
                boolean layered = HostTables.provider(ws2, s).equals(LayeredHostInstall.CHAIN_GUID);
                if (layered != table.equals("layered")) throw new IllegalStateException("socket " + s + " is not on the " + table + " table");
            }

            arena = Arena.ofShared();
            emptyBuffer = arena.allocate(WSABUF.layout());
            WSABUF.len(emptyBuffer, 0);
            WSABUF.buf(emptyBuffer, arena.allocate(1));
            sendBuffer = arena.allocate(WSABUF.layout());
            WSABUF.len(sendBuffer, 64);
            WSABUF.buf(sendBuffer, arena.allocate(64));
            bytes = arena.allocate(JAVA_INT);
            flags = arena.allocate(JAVA_INT);
            errno = arena.allocate(JAVA_INT);
        }

        private long accept() {
            long s = ws2.accept(listener);
            check(s == WsaErrors.INVALID_SOCKET ? WsaErrors.SOCKET_ERROR : 0, "accept");
            check(ws2.setLinger(s, true, 0), "setsockopt(SO_LINGER)");
            return s;
        }

        private void check(int rc, String call) {
            if (rc == WsaErrors.SOCKET_ERROR) throw new IllegalStateException(call + ": WSA error " + ws2.WSAGetLastError());
        }

        private static void drain(SocketChannel peer) {
            ByteBuffer sink = ByteBuffer.allocateDirect(1 << 16);
            try {
                while (peer.read(sink.clear()) >= 0) { }
            } catch (IOException e) {
                // closed at teardown
            }
        }

        /** Re-registration posts nothing: the queue stays empty, or the benchmark measured something else. */
        @TearDown(Level.Iteration)
        public void checkNothingPosted() {
            int queued = host.queuedMessages(hWnd);
            if (queued != 0) throw new IllegalStateException(queued + " messages posted; expected none");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            peers.close();
            if (table.equals("layered")) {
                LayeredHosts.closeLayered(host);
            } else {
                host.close();
            }
            arena.close();
        }

        int failed(String call) {
            throw new IllegalStateException(call + " failed: WSA error " + errno.get(JAVA_INT, 0));
        }
    }

    @Benchmark
    public int recvZeroBytesWithData(Table t) throws Throwable {
        t.flags.set(JAVA_INT, 0, 0);
        int rc = (int) t.recv.invokeExact(t.recvSocket, t.emptyBuffer, 1, t.bytes, t.flags,
                MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, t.errno);
        return rc == 0 ? t.bytes.get(JAVA_INT, 0) : t.failed("WSPRecv");
    }

    @Benchmark
    public int send64Bytes(Table t) throws Throwable {
        int rc = (int) t.send.invokeExact(t.sendSocket, t.sendBuffer, 1, t.bytes, 0,
                MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, t.errno);
        return rc == 0 ? t.bytes.get(JAVA_INT, 0) : t.failed("WSPSend");
    }

    @Benchmark
    public int asyncSelectReRegister(Table t) throws Throwable {
        int rc = (int) t.asyncSelect.invokeExact(t.selectSocket, t.hWnd, WM_SOCKET, FD_READ | FD_CLOSE, t.errno);
        return rc == 0 ? rc : t.failed("WSPAsyncSelect");
    }

    @Benchmark
    public int recvUnknownSocket(Table t) throws Throwable {
        t.flags.set(JAVA_INT, 0, 0);
        int rc = (int) t.recv.invokeExact(UNKNOWN_SOCKET, t.emptyBuffer, 1, t.bytes, t.flags,
                MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, t.errno);
        if (rc != WsaErrors.SOCKET_ERROR || t.errno.get(JAVA_INT, 0) != WsaErrors.WSAENOTSOCK) {
            throw new IllegalStateException("WSPRecv on an unknown socket: " + rc + ", WSA error " + t.errno.get(JAVA_INT, 0));
        }
        return rc;
    }
}
