package io.wsp4j.host;

import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WSAAsyncSelect as the specification describes it (the numbered rules of the engine's issue), checked
 * through {@link Ws2} over real loopback TCP and UDP: the exact messages, in order, and "no message"
 * within a short bounded wait. Abstract over the stack: the base provider alone, or a layered provider
 * installed on top of it (subclasses return a host whose catalog routes TCP/UDP through it).
 */
public abstract class AsyncSelectConformanceSuite {
    /** How long "no message" waits: conditions on loopback arrive well within it. */
    protected static final long QUIET_MILLIS = 150;
    protected static final long MESSAGE_MILLIS = 5_000;
    protected static final int WM_SOCKET = 0x0400 + 1; // WM_USER + 1
    protected static final int WM_OTHER = 0x0400 + 2;

    protected Host host;
    protected Ws2 ws2;
    protected long hWnd;
    private final List<Long> open = new ArrayList<>();

    /** The stack under test. */
    protected abstract Host newHost();

    @BeforeEach
    void startHost() {
        host = newHost();
        ws2 = host.ws2();
        hWnd = host.createWindow();
    }

    @AfterEach
    void stopHost() {
        for (long s : open) ws2.closesocket(s);
        host.close();
    }

    // ---- helpers --------------------------------------------------------------------------------

    protected long socket(int type) {
        long s = ws2.socket(AF_INET, type, 0);
        assertNotEquals(INVALID_SOCKET, s, () -> "socket: " + WsaError.describe(ws2.WSAGetLastError()));
        open.add(s);
        return s;
    }

    protected void close(long s) {
        assertEquals(0, ws2.closesocket(s), () -> "closesocket: " + WsaError.describe(ws2.WSAGetLastError()));
        open.remove(s);
    }

    protected static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    protected long listener() {
        long l = socket(SOCK_STREAM);
        ok(ws2.bind(l, loopback(0)), "bind");
        ok(ws2.listen(l, 16), "listen");
        return l;
    }

    protected void ok(int rc, String call) {
        assertEquals(0, rc, () -> call + ": " + WsaError.describe(ws2.WSAGetLastError()));
    }

    /** A blocking connect and accept: {client, server side}. */
    protected long[] connectedPair() {
        long l = listener();
        long c = socket(SOCK_STREAM);
        ok(ws2.connect(c, ws2.getsockname(l)), "connect");
        long a = ws2.accept(l);
        assertNotEquals(INVALID_SOCKET, a, () -> "accept: " + WsaError.describe(ws2.WSAGetLastError()));
        open.add(a);
        close(l);
        return new long[] {c, a};
    }

    protected void send(long s, String data) {
        byte[] b = data.getBytes();
        assertEquals(b.length, ws2.send(s, b, b.length, 0), () -> "send: " + WsaError.describe(ws2.WSAGetLastError()));
    }

    protected String recv(long s, int max) {
        byte[] b = new byte[max];
        int n = ws2.recv(s, b, max, 0);
        assertTrue(n >= 0, () -> "recv: " + WsaError.describe(ws2.WSAGetLastError()));
        return new String(b, 0, n);
    }

    /** The next message: for socket {@code s}, {@code event} with {@code error}, sent as {@code wMsg}. */
    protected void expect(long s, int wMsg, int event, int error) {
        Msg m = host.getMessage(hWnd, MESSAGE_MILLIS);
        assertNotNull(m, () -> "no message; expected " + FdEvents.describe(event) + " for " + s);
        String got = FdEvents.describe(FdEvents.selectEvent(m.lParam())) + " error "
                + FdEvents.selectError(m.lParam()) + " for " + m.wParam() + " msg " + m.message();
        String want = FdEvents.describe(event) + " error " + error + " for " + s + " msg " + wMsg;
        assertEquals(want, got);
        assertEquals(hWnd, m.hWnd());
    }

    protected void expect(long s, int event) {
        expect(s, WM_SOCKET, event, 0);
    }

    protected void expectNothing() {
        Msg m = host.getMessage(hWnd, QUIET_MILLIS);
        assertNull(m, () -> "unexpected " + FdEvents.describe(FdEvents.selectEvent(m.lParam())) + " error "
                + FdEvents.selectError(m.lParam()) + " for " + m.wParam());
    }

    protected void select(long s, int lEvent) {
        ok(ws2.WSAAsyncSelect(s, hWnd, WM_SOCKET, lEvent), "WSAAsyncSelect");
    }

    /** Waits until the peer's data has arrived at {@code s} (FIONREAD), without re-enabling anything. */
    protected void awaitReadable(long s, int bytes) {
        long deadline = System.nanoTime() + MESSAGE_MILLIS * 1_000_000;
        int[] n = {0};
        while (System.nanoTime() < deadline) {
            ok(ws2.ioctlsocket(s, Ioctls.FIONREAD, n), "FIONREAD");
            if (n[0] >= bytes) return;
            Thread.onSpinWait();
        }
        throw new AssertionError("only " + n[0] + " of " + bytes + " bytes arrived");
    }

    // ---- rule 1: a registration replaces the previous one; lEvent = 0 cancels; non-blocking ----------

    @Test
    void rule1_newRegistrationReplacesThePrevious() {
        long[] p = connectedPair();
        ok(ws2.WSAAsyncSelect(p[1], hWnd, WM_OTHER, FD_READ | FD_CLOSE), "first");
        select(p[1], FD_READ);
        send(p[0], "x");
        expect(p[1], FD_READ);
        expectNothing();
    }

    @Test
    void rule1_zeroEventsCancelsAllNotification() {
        long[] p = connectedPair();
        select(p[1], FD_READ | FD_CLOSE);
        ok(ws2.WSAAsyncSelect(p[1], hWnd, WM_SOCKET, 0), "cancel");
        send(p[0], "x");
        close(p[0]);
        expectNothing();
    }

    @Test
    void rule1_registeringMakesTheSocketNonBlocking() {
        long[] p = connectedPair();
        select(p[1], FD_READ);
        byte[] b = new byte[4];
        assertEquals(SOCKET_ERROR, ws2.recv(p[1], b, 4, 0));
        assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
        int[] blocking = {0};
        assertEquals(SOCKET_ERROR, ws2.ioctlsocket(p[1], Ioctls.FIONBIO, blocking), "cannot go back to blocking");
        assertEquals(WSAEINVAL, ws2.WSAGetLastError());
    }

    @Test
    void rule1_asyncSelectReplacesEventSelect() {
        long[] p = connectedPair();
        long event = ws2.WSACreateEvent();
        try {
            ok(ws2.WSAEventSelect(p[1], event, FD_READ), "WSAEventSelect");
            select(p[1], FD_READ);
            send(p[0], "x");
            expect(p[1], FD_READ);
            NetworkEvents ne = new NetworkEvents();
            ok(ws2.WSAEnumNetworkEvents(p[1], event, ne), "WSAEnumNetworkEvents");
            assertEquals(0, ne.lNetworkEvents, "the EventSelect association is gone");
        } finally {
            ws2.WSACloseEvent(event);
        }
    }

    // ---- rule 2: one message per event, one wMsg per registration ---------------------------------

    @Test
    void rule2_oneMessagePerEventEvenForRepeatedArrivals() {
        long[] p = connectedPair();
        select(p[1], FD_READ);
        send(p[0], "a");
        expect(p[1], FD_READ);
        send(p[0], "b");
        send(p[0], "c");
        expectNothing();
    }

    @Test
    void rule2_laterCallWithAnotherMessageReplacesNeverAdds() {
        long[] p = connectedPair();
        select(p[1], FD_READ);
        ok(ws2.WSAAsyncSelect(p[1], hWnd, WM_OTHER, FD_CLOSE), "second");
        send(p[0], "x");
        expectNothing(); // FD_READ is no longer registered
        assertEquals("x", recvAll(p[1], 1));
        close(p[0]);
        expect(p[1], WM_OTHER, FD_CLOSE, 0);
        expectNothing();
    }

    // ---- rule 3: persistence ----------------------------------------------------------------------

    @Test
    void rule3_connectionWaitingAtRegistrationPostsAcceptAtOnce() {
        long l = listener();
        long c = socket(SOCK_STREAM);
        ok(ws2.connect(c, ws2.getsockname(l)), "connect");
        select(l, FD_ACCEPT);
        expect(l, FD_ACCEPT);
        expectNothing();
    }

    @Test
    void rule3_dataWaitingAtRegistrationPostsReadAtOnce() {
        long[] p = connectedPair();
        send(p[0], "hello");
        awaitReadable(p[1], 5);
        select(p[1], FD_READ);
        expect(p[1], FD_READ);
        expectNothing();
    }

    // ---- rules 4 and 5: re-enabling functions; level-triggered READ and ACCEPT ------------------------

    @Test
    void rule4_readIsNotPostedAgainUntilRecv() {
        long[] p = connectedPair();
        select(p[1], FD_READ);
        send(p[0], "abc");
        expect(p[1], FD_READ);
        send(p[0], "def");
        expectNothing();
        assertEquals("abcdef", recvAll(p[1], 6));
        expectNothingOrReadThenNothing(p[1]);
    }

    /** After a recv that drained everything, a FD_READ posted for data that arrived during it is allowed once. */
    private void expectNothingOrReadThenNothing(long s) {
        Msg m = host.getMessage(hWnd, QUIET_MILLIS);
        if (m != null) {
            assertEquals(FD_READ, FdEvents.selectEvent(m.lParam()));
            assertEquals(s, m.wParam());
            int[] n = {0};
            ok(ws2.ioctlsocket(s, Ioctls.FIONREAD, n), "FIONREAD");
            throw new AssertionError("FD_READ after a recv that drained the socket (FIONREAD " + n[0] + ")");
        }
    }

    private String recvAll(long s, int n) {
        StringBuilder sb = new StringBuilder();
        awaitReadable(s, n);
        while (sb.length() < n) sb.append(recv(s, n - sb.length()));
        return sb.toString();
    }

    @Test
    void rule5_readIsPostedAgainWhileDataRemains() {
        long[] p = connectedPair();
        select(p[1], FD_READ);
        send(p[0], "0123456789");
        expect(p[1], FD_READ);
        awaitReadable(p[1], 10);
        assertEquals("01234", recv(p[1], 5));
        expect(p[1], FD_READ);
        assertEquals("56789", recv(p[1], 5));
        expectNothing();
    }

    @Test
    void rule5_peekReEnablesAndTheDataStillHolds() {
        long[] p = connectedPair();
        select(p[1], FD_READ);
        send(p[0], "peek");
        expect(p[1], FD_READ);
        awaitReadable(p[1], 4);
        byte[] b = new byte[4];
        assertEquals(4, ws2.recv(p[1], b, 4, MSG_PEEK));
        expect(p[1], FD_READ);
        assertEquals("peek", recv(p[1], 4));
        expectNothing();
    }

    @Test
    void rule5_acceptIsPostedAgainWhileConnectionsWait() {
        long l = listener();
        select(l, FD_ACCEPT);
        long c1 = socket(SOCK_STREAM), c2 = socket(SOCK_STREAM);
        ok(ws2.connect(c1, ws2.getsockname(l)), "connect 1");
        ok(ws2.connect(c2, ws2.getsockname(l)), "connect 2");
        expect(l, FD_ACCEPT);
        long a1 = ws2.accept(l);
        assertNotEquals(INVALID_SOCKET, a1);
        open.add(a1);
        expect(l, FD_ACCEPT);
        long a2 = ws2.accept(l);
        assertNotEquals(INVALID_SOCKET, a2);
        open.add(a2);
        expectNothing();
    }

    @Test
    void rule4_failedRecvReEnablesToo() {
        long[] p = connectedPair();
        select(p[1], FD_READ);
        byte[] b = new byte[1];
        assertEquals(SOCKET_ERROR, ws2.recv(p[1], b, 1, 0));
        assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
        send(p[0], "x");
        expect(p[1], FD_READ);
    }

    // ---- rule 7: FD_WRITE -------------------------------------------------------------------------

    @Test
    void rule7_connectPostsConnectThenWrite() {
        long l = listener();
        long c = socket(SOCK_STREAM);
        select(c, FD_CONNECT | FD_WRITE | FD_READ);
        assertEquals(SOCKET_ERROR, ws2.connect(c, ws2.getsockname(l)));
        assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
        expect(c, FD_CONNECT);
        expect(c, FD_WRITE);
        expectNothing();
    }

    @Test
    void rule7_registeringOnAWritableSocketPostsWrite() {
        long[] p = connectedPair();
        select(p[0], FD_WRITE);
        expect(p[0], FD_WRITE);
        expectNothing();
    }

    @Test
    void rule7_noWriteAfterASuccessfulSend() {
        long[] p = connectedPair();
        select(p[0], FD_WRITE);
        expect(p[0], FD_WRITE);
        send(p[0], "data");
        expectNothing();
    }

    @Test
    void rule7_writeAfterWouldBlockWhenSpaceReturns() {
        long[] p = connectedPair();
        ok(ws2.setsockopt(p[0], SOL_SOCKET, SO_SNDBUF, 4096), "SO_SNDBUF");
        ok(ws2.setsockopt(p[1], SOL_SOCKET, SO_RCVBUF, 4096), "SO_RCVBUF");
        select(p[0], FD_WRITE);
        expect(p[0], FD_WRITE);
        byte[] chunk = new byte[8192];
        long sent = 0;
        int rc;
        while ((rc = ws2.send(p[0], chunk, chunk.length, 0)) != SOCKET_ERROR) sent += rc;
        assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
        expectNothing();
        byte[] sink = new byte[65536];
        long drained = 0;
        while (drained < sent) {
            int n = ws2.recv(p[1], sink, sink.length, 0);
            if (n > 0) drained += n;
        }
        expect(p[0], FD_WRITE);
        expectNothing();
    }

    @Test
    void rule7_connectionlessSocketIsWritableRightAfterBind() {
        long u = socket(SOCK_DGRAM);
        select(u, FD_WRITE);
        expectNothing();
        ok(ws2.bind(u, loopback(0)), "bind");
        expect(u, FD_WRITE);
        expectNothing();
    }

    // ---- rule 8: FD_OOB and SO_OOBINLINE ----------------------------------------------------------

    @Test
    void rule8_urgentDataPostsOob() {
        long[] p = connectedPair();
        select(p[1], FD_OOB);
        byte[] u = {'!'};
        assertEquals(1, ws2.send(p[0], u, 1, MSG_OOB));
        expect(p[1], FD_OOB);
        expectNothing();
        byte[] b = new byte[1];
        assertEquals(1, ws2.recv(p[1], b, 1, MSG_OOB));
        assertEquals('!', b[0]);
        expectNothing();
    }

    @Test
    void rule8_withOobInlineUrgentDataIsRead() {
        long[] p = connectedPair();
        ok(ws2.setsockopt(p[1], SOL_SOCKET, SO_OOBINLINE, 1), "SO_OOBINLINE");
        select(p[1], FD_READ | FD_OOB);
        byte[] u = {'!'};
        assertEquals(1, ws2.send(p[0], u, 1, MSG_OOB));
        expect(p[1], FD_READ);
        expectNothing();
        assertEquals("!", recv(p[1], 1));
        expectNothing();
    }

    // ---- rule 9: FD_CLOSE -------------------------------------------------------------------------

    @Test
    void rule9_gracefulCloseIsPostedAfterTheDataIsRead() {
        long[] p = connectedPair();
        select(p[1], FD_READ | FD_CLOSE);
        send(p[0], "bye");
        close(p[0]);
        expect(p[1], FD_READ);
        expectNothing(); // FD_CLOSE waits for the data
        assertEquals("bye", recv(p[1], 16));
        expect(p[1], FD_CLOSE);
        expectNothing();
        assertEquals(0, ws2.recv(p[1], new byte[1], 1, 0), "end of stream");
    }

    @Test
    void rule9_shutdownSendPostsGracefulClose() {
        long[] p = connectedPair();
        select(p[1], FD_READ | FD_CLOSE);
        ok(ws2.shutdown(p[0], SD_SEND), "shutdown");
        expect(p[1], FD_CLOSE);
        expectNothing();
    }

    @Test
    void rule9_abortiveClosePostsConnReset() {
        long[] p = connectedPair();
        select(p[1], FD_READ | FD_CLOSE);
        ok(ws2.setLinger(p[0], true, 0), "SO_LINGER");
        close(p[0]);
        expect(p[1], WM_SOCKET, FD_CLOSE, WSAECONNRESET);
        expectNothing();
    }

    @Test
    void rule9_noCloseAfterTheLocalSideClosed() {
        long[] p = connectedPair();
        select(p[1], FD_READ | FD_CLOSE);
        close(p[1]);
        close(p[0]);
        expectNothing();
    }

    @Test
    void rule9_connectionlessSocketsGetNoClose() {
        long u = socket(SOCK_DGRAM);
        ok(ws2.bind(u, loopback(0)), "bind");
        select(u, FD_CLOSE);
        long v = socket(SOCK_DGRAM);
        byte[] d = {1};
        assertEquals(1, ws2.sendto(v, d, 1, 0, ws2.getsockname(u)));
        close(v);
        expectNothing();
    }

    // ---- rule 10: FD_CONNECT with the outcome -------------------------------------------------------

    @Test
    void rule10_refusedConnectPostsConnectWithTheError() {
        long l = listener();
        InetSocketAddress dead = ws2.getsockname(l);
        close(l); // nothing listens there now
        long c = socket(SOCK_STREAM);
        select(c, FD_CONNECT | FD_WRITE | FD_CLOSE);
        int rc = ws2.connect(c, dead);
        if (rc == SOCKET_ERROR) {
            int e = ws2.WSAGetLastError();
            assertTrue(e == WSAEWOULDBLOCK || e == WSAECONNREFUSED, WsaError.describe(e));
        }
        expect(c, WM_SOCKET, FD_CONNECT, WSAECONNREFUSED);
        expectNothing();
    }

    // ---- rule 11: accepted sockets inherit the registration --------------------------------------------

    @Test
    void rule11_acceptedSocketInheritsTheListenersRegistration() {
        long l = listener();
        ok(ws2.WSAAsyncSelect(l, hWnd, WM_OTHER, FD_ACCEPT | FD_READ | FD_WRITE | FD_CLOSE), "select");
        long c = socket(SOCK_STREAM);
        ok(ws2.connect(c, ws2.getsockname(l)), "connect");
        expect(l, WM_OTHER, FD_ACCEPT, 0);
        long a = ws2.accept(l);
        assertNotEquals(INVALID_SOCKET, a);
        open.add(a);
        expect(a, WM_OTHER, FD_WRITE, 0);
        send(c, "x");
        expect(a, WM_OTHER, FD_READ, 0);
        expectNothing();
    }

    // ---- rule 12: nothing after closesocket or cancel ---------------------------------------------------

    @Test
    void rule12_nothingIsPostedAfterClosesocket() {
        long[] p = connectedPair();
        select(p[1], FD_READ | FD_CLOSE);
        close(p[1]);
        send(p[0], "late");
        expectNothing();
    }

    @Test
    void rule12_nothingIsPostedAfterCancel() {
        long[] p = connectedPair();
        select(p[1], FD_READ | FD_CLOSE);
        send(p[0], "a");
        expect(p[1], FD_READ);
        ok(ws2.WSAAsyncSelect(p[1], hWnd, 0, 0), "cancel");
        recv(p[1], 1);
        send(p[0], "b");
        close(p[0]);
        expectNothing();
    }

    // ---- rule 13: bad arguments ---------------------------------------------------------------------

    @Test
    void rule13_invalidEventBitsAreRejected() {
        long[] p = connectedPair();
        assertEquals(SOCKET_ERROR, ws2.WSAAsyncSelect(p[1], hWnd, WM_SOCKET, 1 << 12));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError());
        send(p[0], "x");
        expectNothing(); // nothing changed: no registration
    }

    @Test
    void rule13_unknownSocketIsNotASocket() {
        assertEquals(SOCKET_ERROR, ws2.WSAAsyncSelect(0x7fff_fff0L, hWnd, WM_SOCKET, FD_READ));
        assertEquals(WSAENOTSOCK, ws2.WSAGetLastError());
    }

    // ---- UDP and IPv6 ---------------------------------------------------------------------------------

    @Test
    void udpDatagramPostsReadUntilAllAreRead() {
        long u = socket(SOCK_DGRAM);
        ok(ws2.bind(u, loopback(0)), "bind");
        select(u, FD_READ);
        long v = socket(SOCK_DGRAM);
        byte[] d = {1, 2, 3};
        assertEquals(3, ws2.sendto(v, d, 3, 0, ws2.getsockname(u)));
        assertEquals(2, ws2.sendto(v, d, 2, 0, ws2.getsockname(u)));
        expect(u, FD_READ);
        InetSocketAddress[] from = new InetSocketAddress[1];
        byte[] b = new byte[16];
        assertEquals(3, ws2.recvfrom(u, b, 16, 0, from));
        assertEquals(ws2.getsockname(v).getPort(), from[0].getPort());
        expect(u, FD_READ);
        assertEquals(2, ws2.recvfrom(u, b, 16, 0, from));
        expectNothing();
    }

    @Test
    void ipv6ConnectAndRead() {
        long l = ws2.socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
        assertNotEquals(INVALID_SOCKET, l);
        open.add(l);
        InetSocketAddress any6 = new InetSocketAddress(java.net.Inet6Address.getLoopbackAddress(), 0);
        if (ws2.bind(l, new InetSocketAddress("::1", 0)) != 0) return; // no IPv6 loopback on this machine
        ok(ws2.listen(l, 4), "listen");
        long c = ws2.socket(AF_INET6, SOCK_STREAM, 0);
        open.add(c);
        select(c, FD_CONNECT | FD_READ);
        ws2.connect(c, ws2.getsockname(l));
        expect(c, FD_CONNECT);
        long a = ws2.accept(l);
        open.add(a);
        send(a, "v6");
        expect(c, FD_READ);
        assertEquals("v6", recv(c, 2));
        assertTrue(any6.getAddress().isLoopbackAddress());
    }
}
