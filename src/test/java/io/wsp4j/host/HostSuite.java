package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.INVALID_SOCKET;
import static io.wsp4j.winsock.Ws2Def.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings._OVERLAPPED;
import io.wsp4j.winsock.WsaError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the host's conformance suites share: a host per test (the stack a subclass chooses), its
 * {@link Ws2}, memory for requests, and the sockets, events and completion ports a test makes, all
 * released after it (the host first, then the memory: no completion writes into freed memory).
 */
public abstract class HostSuite {
    protected static final int QUIET_MILLIS = 150;
    protected static final int WAIT_MILLIS = 5_000;

    protected Host host;
    protected Ws2 ws2;
    /** Memory the requests use: freed only after the host is closed (no completion writes into it later). */
    protected Arena arena;
    private final List<Long> open = new ArrayList<>();
    private final List<Long> events = new ArrayList<>();
    private final List<Long> ports = new ArrayList<>();

    /** The stack under test. */
    protected abstract Host newHost();

    @BeforeEach
    void startHost() {
        host = newHost();
        ws2 = host.ws2();
        arena = Arena.ofShared();
    }

    @AfterEach
    void stopHost() {
        for (long s : open) ws2.closesocket(s);
        for (long e : events) ws2.WSACloseEvent(e);
        for (long p : ports) ws2.CloseHandle(p);
        host.close();
        arena.close();
    }

    protected void ok(int rc, String call) {
        assertEquals(0, rc, () -> call + ": " + WsaError.describe(ws2.WSAGetLastError()));
    }

    /** A TCP/IPv4 socket, closed after the test. */
    protected long socket() {
        return adopt(ws2.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), "socket");
    }

    /** {@code s} (not INVALID_SOCKET, else {@code call} failed), closed after the test. */
    protected long adopt(long s, String call) {
        assertNotEquals(INVALID_SOCKET, s, () -> call + ": " + WsaError.describe(ws2.WSAGetLastError()));
        open.add(s);
        return s;
    }

    protected void close(long s) {
        ok(ws2.closesocket(s), "closesocket");
        open.remove(s);
    }

    protected static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** A TCP socket listening on a loopback port of its own. */
    protected long listener() {
        long l = socket();
        ok(ws2.bind(l, loopback(0)), "bind");
        ok(ws2.listen(l, 8), "listen");
        return l;
    }

    /** A blocking connect and accept over loopback: {client, server side}. */
    protected long[] connectedPair() {
        long l = listener();
        long c = socket();
        ok(ws2.connect(c, ws2.getsockname(l)), "connect");
        long a = adopt(ws2.accept(l), "accept");
        close(l);
        return new long[] {c, a};
    }

    protected long event() {
        long e = ws2.WSACreateEvent();
        assertNotEquals(0, e, "WSACreateEvent");
        events.add(e);
        return e;
    }

    protected long port() {
        long p = ws2.CreateIoCompletionPort(Ws2.INVALID_HANDLE_VALUE, 0, 0);
        assertNotEquals(0, p, () -> "CreateIoCompletionPort: " + ws2.WSAGetLastError());
        ports.add(p);
        return p;
    }

    /** Closes a port made by {@link #port} (the test's own CloseHandle). */
    protected boolean closePort(long port) {
        ports.remove(port);
        return ws2.CloseHandle(port);
    }

    protected void associate(long s, long port, long key) {
        assertEquals(port, ws2.CreateIoCompletionPort(s, port, key), () -> "associate: " + ws2.WSAGetLastError());
    }

    /** A zeroed OVERLAPPED whose hEvent is {@code hEvent} (0: none). */
    protected MemorySegment overlapped(long hEvent) {
        MemorySegment ov = _OVERLAPPED.allocate(arena);
        ov.fill((byte) 0);
        _OVERLAPPED.hEvent(ov, MemorySegment.ofAddress(hEvent));
        return ov;
    }

    protected static String text(MemorySegment buf, int n) {
        return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    protected void send(long s, String data) {
        byte[] b = data.getBytes(StandardCharsets.US_ASCII);
        assertEquals(b.length, ws2.send(s, b, b.length, 0), () -> "send: " + WsaError.describe(ws2.WSAGetLastError()));
    }

    /** WSAGetOverlappedResult without waiting, on a request that must have succeeded: the bytes. */
    protected int result(long s, MemorySegment ov) {
        int[] n = {-1}, flags = {-1};
        assertTrue(ws2.WSAGetOverlappedResult(s, ov, n, false, flags),
                () -> "WSAGetOverlappedResult: " + WsaError.describe(ws2.WSAGetLastError()));
        return n[0];
    }

    protected QueuedCompletion packet(long port) {
        QueuedCompletion c = ws2.GetQueuedCompletionStatus(port, WAIT_MILLIS);
        assertNotNull(c, () -> "no packet: " + ws2.WSAGetLastError());
        return c;
    }

    protected void awaitSignalled(long hEvent) {
        assertEquals(Ws2.WSA_WAIT_EVENT_0, ws2.WSAWaitForMultipleEvents(new long[] {hEvent}, false, WAIT_MILLIS, false),
                "the event is signalled");
    }

    protected void assertNotSignalled(long hEvent) {
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, ws2.WSAWaitForMultipleEvents(new long[] {hEvent}, false, 0, false),
                "the event is not signalled");
    }
}
