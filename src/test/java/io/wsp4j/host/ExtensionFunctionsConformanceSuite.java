package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.WsaError;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The Microsoft extension functions as an application uses them: pointers from
 * {@code WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)} called directly ({@link Ws2#AcceptEx} and the other
 * callers go through the pointer), over real loopback TCP; results by event, completion port and
 * {@code WSAGetOverlappedResult}; failures as FALSE and the thread's last error. Abstract over the stack:
 * the base provider alone, or a layered provider on top (which hands out functions of its own that
 * translate handles: SO_UPDATE_ACCEPT_CONTEXT with the listener's handle proves it translated that one).
 * Waits are bounded and on conditions; "nothing happened" is a short bounded wait.
 */
public abstract class ExtensionFunctionsConformanceSuite extends HostSuite {
    /** An address slot AcceptEx accepts for IPv4 and IPv6: the largest sockaddr (sockaddr_in6) + 16. */
    protected static final int SLOT = SocketAddresses.IPV6_LENGTH + 16;

    // ---- helpers --------------------------------------------------------------------------------

    protected MemorySegment text(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        MemorySegment m = arena.allocate(b.length);
        m.copyFrom(MemorySegment.ofArray(b));
        return m;
    }

    /** A blocking recv of what {@code s} receives next (up to 64 bytes); "" at end of stream. */
    protected String receive(long s) {
        byte[] b = new byte[64];
        int n = ws2.recv(s, b, b.length, 0);
        assertTrue(n >= 0, () -> "recv: " + WsaError.describe(ws2.WSAGetLastError()));
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    protected MemorySegment function(long s, ExtensionFunction f) {
        MemorySegment fn = ws2.extensionFunction(s, f);
        assertNotEquals(0L, fn.address(), () -> f + ": " + WsaError.describe(ws2.WSAGetLastError()));
        return fn;
    }

    /** The event stays unsignalled for a short while: nothing completed. */
    protected void assertQuiet(long hEvent) {
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, ws2.WSAWaitForMultipleEvents(new long[] {hEvent}, false, QUIET_MILLIS, false),
                "the event is not signalled");
    }

    /** An AcceptEx that must go pending. */
    protected void acceptPending(long listen, long accept, MemorySegment out, int receiveLength, MemorySegment ov) {
        MemorySegment acceptEx = function(listen, ExtensionFunction.ACCEPT_EX);
        assertFalse(ws2.AcceptEx(acceptEx, listen, accept, out, receiveLength, SLOT, SLOT, new int[1], ov), "pending");
        assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
    }

    /**
     * A connection accepted with AcceptEx (no receive data, completion by event): {listener, accept
     * socket, client}. SO_UPDATE_ACCEPT_CONTEXT is the caller's to do.
     */
    protected long[] acceptedByAcceptEx() {
        long listen = listener();
        long accept = socket();
        long e = event();
        acceptPending(listen, accept, arena.allocate(2 * SLOT), 0, overlapped(e));
        long client = socket();
        ok(ws2.connect(client, ws2.getsockname(listen)), "connect");
        awaitSignalled(e);
        return new long[] {listen, accept, client};
    }

    /** The accept socket has become the connection: its peer is {@code client}'s address (bounded wait). */
    protected void awaitAccepted(long accept, long client) {
        InetSocketAddress expected = ws2.getsockname(client);
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (expected.equals(ws2.getpeername(accept))) return;
            Thread.onSpinWait();
        }
        throw new AssertionError("the accept socket never became the connection");
    }

    /** SO_UPDATE_ACCEPT_CONTEXT with {@code listen} as its value. */
    protected int updateAcceptContext(long accept, long listen) {
        MemorySegment v = arena.allocate(JAVA_LONG);
        v.set(JAVA_LONG, 0, listen);
        return ws2.setsockopt(accept, SOL_SOCKET, WinApi.SO_UPDATE_ACCEPT_CONTEXT(), v);
    }

    /** A loopback port nothing listens on: bound once, never listened on, closed. */
    protected int closedPort() {
        long s = socket();
        ok(ws2.bind(s, loopback(0)), "bind");
        int port = ws2.getsockname(s).getPort();
        close(s);
        return port;
    }

    // ---- getting the pointers ------------------------------------------------------------------------

    @Test
    void theFourFunctionsAreOfferedAndAnUnknownGuidIsInvalid() {
        long s = socket();
        for (ExtensionFunction f : List.of(ExtensionFunction.ACCEPT_EX, ExtensionFunction.CONNECT_EX,
                ExtensionFunction.DISCONNECT_EX, ExtensionFunction.GET_ACCEPT_EX_SOCKADDRS)) {
            function(s, f);
        }
        MemorySegment guid = arena.allocate(Spi.GUID);
        Guids.write(guid, UUID.fromString("0badc0de-0000-4000-8000-00000000beef"));
        MemorySegment out = arena.allocate(ADDRESS);
        assertEquals(SOCKET_ERROR, ws2.WSAIoctl(s, Ioctls.SIO_GET_EXTENSION_FUNCTION_POINTER, guid, out, null,
                MemorySegment.NULL));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError());
    }

    @Test
    void tooSmallAnOutputBufferForThePointerIsAFault() {
        long s = socket();
        MemorySegment guid = arena.allocate(Spi.GUID);
        Guids.write(guid, ExtensionFunction.ACCEPT_EX.guid());
        assertEquals(SOCKET_ERROR, ws2.WSAIoctl(s, Ioctls.SIO_GET_EXTENSION_FUNCTION_POINTER, guid, arena.allocate(4),
                null, MemorySegment.NULL));
        assertEquals(WSAEFAULT, ws2.WSAGetLastError());
    }

    // ---- AcceptEx ----------------------------------------------------------------------------------

    @Test
    void acceptExPendsUntilAClientConnectsThenSignalsItsEventWithBothAddresses() {
        long listen = listener();
        long accept = socket();
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment out = arena.allocate(2 * SLOT);
        acceptPending(listen, accept, out, 0, ov);
        assertQuiet(e);
        int[] n = {-1}, flags = {-1};
        assertFalse(ws2.WSAGetOverlappedResult(listen, ov, n, false, flags));
        assertEquals(WSA_IO_INCOMPLETE, ws2.WSAGetLastError());

        long client = socket();
        ok(ws2.connect(client, ws2.getsockname(listen)), "connect");
        awaitSignalled(e);
        assertEquals(0, result(listen, ov), "no data was asked for");
        InetSocketAddress[] addresses = ws2.GetAcceptExSockaddrs(function(listen, ExtensionFunction.GET_ACCEPT_EX_SOCKADDRS),
                out, 0, SLOT, SLOT);
        assertEquals(ws2.getsockname(listen), addresses[0], "local: the listener's address");
        assertEquals(ws2.getsockname(client), addresses[1], "remote: the client's address");
        assertEquals(ws2.getsockname(client), ws2.getpeername(accept), "the accept socket is the connection");
    }

    @Test
    void acceptExCompletesThroughTheListenersCompletionPort() {
        long listen = listener();
        long accept = socket();
        long port = port();
        associate(listen, port, 21);
        MemorySegment ov = overlapped(0);
        acceptPending(listen, accept, arena.allocate(2 * SLOT), 0, ov);
        long client = socket();
        ok(ws2.connect(client, ws2.getsockname(listen)), "connect");
        assertEquals(new QueuedCompletion(21, ov.address(), 0, 0), packet(port));
    }

    @Test
    void theAcceptedSocketTakesTheListenersContextAndCarriesDataBothWays() {
        long listen = listener();
        long accept = socket();
        long e = event();
        MemorySegment ov = overlapped(e);
        acceptPending(listen, accept, arena.allocate(2 * SLOT), 0, ov);
        long client = socket();
        ok(ws2.connect(client, ws2.getsockname(listen)), "connect");
        awaitSignalled(e);
        ok(updateAcceptContext(accept, listen), "SO_UPDATE_ACCEPT_CONTEXT with the listener");
        send(client, "to server");
        assertEquals("to server", receive(accept));
        send(accept, "to client");
        assertEquals("to client", receive(client));
    }

    @Test
    void theAcceptedSocketReportsNetworkEventsAsAConnectedSocket() {
        long[] a = acceptedByAcceptEx();
        long listen = a[0], accept = a[1], client = a[2];
        long ne = event();
        ok(ws2.WSAEventSelect(accept, ne, FdEvents.FD_READ | FdEvents.FD_WRITE | FdEvents.FD_CLOSE), "WSAEventSelect");
        awaitSignalled(ne);
        NetworkEvents events = new NetworkEvents();
        ok(ws2.WSAEnumNetworkEvents(accept, ne, events), "WSAEnumNetworkEvents");
        assertEquals(FdEvents.FD_WRITE, events.lNetworkEvents & FdEvents.FD_WRITE, "a connected socket is writable");
        send(client, "x");
        awaitSignalled(ne);
        ok(ws2.WSAEnumNetworkEvents(accept, ne, events), "WSAEnumNetworkEvents");
        assertEquals(FdEvents.FD_READ, events.lNetworkEvents & FdEvents.FD_READ, "data arrived");
    }

    @Test
    void updateAcceptContextRefusesAHandleThatIsNotAListener() {
        long[] a = acceptedByAcceptEx();
        long listen = a[0], accept = a[1], client = a[2];
        assertEquals(SOCKET_ERROR, updateAcceptContext(accept, client));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
        assertEquals(SOCKET_ERROR, updateAcceptContext(accept, 0x3fff_fff0L));
        assertEquals(WSAENOTSOCK, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
    }

    @Test
    void acceptExWithReceiveDataCompletesOnlyOnceTheClientSends() {
        long listen = listener();
        long accept = socket();
        long e = event();
        MemorySegment ov = overlapped(e);
        int receiveLength = 32;
        MemorySegment out = arena.allocate(receiveLength + 2 * SLOT);
        acceptPending(listen, accept, out, receiveLength, ov);
        long client = socket();
        ok(ws2.connect(client, ws2.getsockname(listen)), "connect");
        awaitAccepted(accept, client);
        assertQuiet(e);
        send(client, "first words");
        awaitSignalled(e);
        assertEquals(11, result(listen, ov));
        assertEquals("first words", text(out, 11));
        InetSocketAddress[] addresses = ws2.GetAcceptExSockaddrs(function(listen, ExtensionFunction.GET_ACCEPT_EX_SOCKADDRS),
                out, receiveLength, SLOT, SLOT);
        assertArrayEquals(new InetSocketAddress[] {ws2.getsockname(listen), ws2.getsockname(client)}, addresses);
    }

    @Test
    void getOverlappedResultOnTheListenerWaitsForTheDataOfAnAcceptEx() throws Exception {
        long listen = listener();
        long accept = socket();
        MemorySegment ov = overlapped(0);
        MemorySegment out = arena.allocate(8 + 2 * SLOT);
        acceptPending(listen, accept, out, 8, ov);
        long client = socket();
        ok(ws2.connect(client, ws2.getsockname(listen)), "connect");
        awaitAccepted(accept, client); // accepted: the request now waits for data on the accept socket
        CompletableFuture<int[]> waiter = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            int[] n = {-1}, flags = {-1};
            boolean ok = ws2.WSAGetOverlappedResult(listen, ov, n, true, flags);
            waiter.complete(new int[] {ok ? 1 : 0, n[0], ws2.WSAGetLastError()});
        });
        assertThrows(TimeoutException.class, () -> waiter.get(QUIET_MILLIS, TimeUnit.MILLISECONDS), "it waits");
        send(client, "0123456789");
        int[] outcome = waiter.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertEquals(1, outcome[0], () -> "WSAGetOverlappedResult: " + WsaError.describe(outcome[2]));
        assertEquals(8, outcome[1], "at most dwReceiveDataLength bytes");
        assertEquals("01234567", text(out, 8));
        assertEquals("89", receive(accept), "the rest stays in the connection");
    }

    @Test
    void twoPendingAcceptExCompleteForTwoClients() {
        long listen = listener();
        long port = port();
        associate(listen, port, 3);
        long a1 = socket(), a2 = socket();
        MemorySegment ov1 = overlapped(0), ov2 = overlapped(0);
        acceptPending(listen, a1, arena.allocate(2 * SLOT), 0, ov1);
        acceptPending(listen, a2, arena.allocate(2 * SLOT), 0, ov2);
        long c1 = socket(), c2 = socket();
        ok(ws2.connect(c1, ws2.getsockname(listen)), "connect");
        ok(ws2.connect(c2, ws2.getsockname(listen)), "connect");
        assertEquals(ov1.address(), packet(port).overlapped(), "the oldest request takes the first connection");
        assertEquals(ov2.address(), packet(port).overlapped());
        assertEquals(ws2.getsockname(c1), ws2.getpeername(a1));
        assertEquals(ws2.getsockname(c2), ws2.getpeername(a2));
    }

    @Test
    void acceptExOnASocketThatIsNotListeningFailsWithItsLastError() {
        long s = socket();
        ok(ws2.bind(s, loopback(0)), "bind");
        long accept = socket();
        MemorySegment acceptEx = function(s, ExtensionFunction.ACCEPT_EX);
        ws2.WSASetLastError(0);
        assertFalse(ws2.AcceptEx(acceptEx, s, accept, arena.allocate(2 * SLOT), 0, SLOT, SLOT, new int[1], overlapped(0)));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
    }

    @Test
    void acceptExRefusesABoundAcceptSocketAndTooSmallAddressSlots() {
        long listen = listener();
        MemorySegment acceptEx = function(listen, ExtensionFunction.ACCEPT_EX);
        long bound = socket();
        ok(ws2.bind(bound, loopback(0)), "bind");
        assertFalse(ws2.AcceptEx(acceptEx, listen, bound, arena.allocate(2 * SLOT), 0, SLOT, SLOT, new int[1], overlapped(0)));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
        long fresh = socket();
        int small = SocketAddresses.IPV4_LENGTH + 15; // one short of what Windows asks
        assertFalse(ws2.AcceptEx(acceptEx, listen, fresh, arena.allocate(2 * SLOT), 0, small, small, new int[1], overlapped(0)));
        assertEquals(WSAEFAULT, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
    }

    @Test
    void closingTheListenerAbortsAPendingAcceptEx() {
        long listen = listener();
        long accept = socket();
        long port = port();
        associate(listen, port, 5);
        long e = event();
        MemorySegment ov = overlapped(e);
        acceptPending(listen, accept, arena.allocate(2 * SLOT), 0, ov);
        close(listen);
        awaitSignalled(e);
        assertEquals(new QueuedCompletion(5, ov.address(), 0, WSA_OPERATION_ABORTED), packet(port));
    }

    // ---- ConnectEx ---------------------------------------------------------------------------------

    @Test
    void connectExOnAnUnboundSocketIsInvalid() {
        long listen = listener();
        long s = socket();
        MemorySegment connectEx = function(s, ExtensionFunction.CONNECT_EX);
        ws2.WSASetLastError(0);
        assertFalse(ws2.ConnectEx(connectEx, s, ws2.getsockname(listen), MemorySegment.NULL, new int[1], overlapped(0)));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
    }

    @Test
    void connectExOnABoundSocketConnectsAndSendsItsData() {
        long listen = listener();
        long s = socket();
        ok(ws2.bind(s, loopback(0)), "bind");
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment connectEx = function(s, ExtensionFunction.CONNECT_EX);
        int[] sent = {-1};
        boolean done = ws2.ConnectEx(connectEx, s, ws2.getsockname(listen), text("hello, server"), sent, ov);
        if (done) assertEquals(13, sent[0]);
        else assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
        awaitSignalled(e);
        assertEquals(13, result(s, ov), "bytes: the data sent");
        ok(ws2.setsockopt(s, SOL_SOCKET, WinApi.SO_UPDATE_CONNECT_CONTEXT(), MemorySegment.NULL),
                "SO_UPDATE_CONNECT_CONTEXT (NULL, 0, as Windows documents it)");
        assertEquals(ws2.getsockname(listen), ws2.getpeername(s));
        long server = adopt(ws2.accept(listen), "accept");
        assertEquals("hello, server", receive(server));
        send(server, "hello, client");
        assertEquals("hello, client", receive(s));
    }

    @Test
    void connectExCompletesThroughTheSocketsPortWithoutData() {
        long listen = listener();
        long s = socket();
        ok(ws2.bind(s, loopback(0)), "bind");
        long port = port();
        associate(s, port, 17);
        MemorySegment ov = overlapped(0);
        boolean done = ws2.ConnectEx(function(s, ExtensionFunction.CONNECT_EX), s, ws2.getsockname(listen),
                MemorySegment.NULL, new int[1], ov);
        if (!done) assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
        assertEquals(new QueuedCompletion(17, ov.address(), 0, 0), packet(port));
    }

    @Test
    void connectExToAClosedPortIsRefused() {
        int closed = closedPort();
        long s = socket();
        ok(ws2.bind(s, loopback(0)), "bind");
        MemorySegment ov = overlapped(event());
        boolean done = ws2.ConnectEx(function(s, ExtensionFunction.CONNECT_EX), s, loopback(closed), MemorySegment.NULL,
                new int[1], ov);
        assertFalse(done, "a refused connection is not a success");
        int error = ws2.WSAGetLastError();
        if (error == WSA_IO_PENDING) {
            int[] n = {-1}, flags = {-1};
            assertFalse(ws2.WSAGetOverlappedResult(s, ov, n, true, flags));
            error = ws2.WSAGetLastError();
        }
        assertEquals(WSAECONNREFUSED, error, () -> WsaError.describe(ws2.WSAGetLastError()));
    }

    // ---- DisconnectEx ------------------------------------------------------------------------------

    @Test
    void disconnectExClosesTheConnectionGracefully() {
        long[] p = connectedPair();
        send(p[0], "last words");
        assertTrue(ws2.DisconnectEx(function(p[0], ExtensionFunction.DISCONNECT_EX), p[0], MemorySegment.NULL, 0),
                () -> "DisconnectEx: " + WsaError.describe(ws2.WSAGetLastError()));
        assertEquals("last words", receive(p[1]), "data sent before is delivered");
        assertEquals("", receive(p[1]), "then end of stream");
    }

    @Test
    void overlappedDisconnectExIsNotified() {
        long[] p = connectedPair();
        long e = event();
        MemorySegment ov = overlapped(e);
        boolean done = ws2.DisconnectEx(function(p[0], ExtensionFunction.DISCONNECT_EX), p[0], ov, 0);
        if (!done) assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
        awaitSignalled(e);
        assertEquals(0, result(p[0], ov));
        assertEquals("", receive(p[1]));
    }

    @Test
    void disconnectExRefusesAnUnconnectedSocket() {
        long s = socket();
        assertFalse(ws2.DisconnectEx(function(s, ExtensionFunction.DISCONNECT_EX), s, MemorySegment.NULL, 0));
        assertEquals(WSAENOTCONN, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
    }

    // ---- the last error ----------------------------------------------------------------------------

    @Test
    void theLastErrorIsTheFailedCallsOwn() {
        long listen = listener();
        long s = socket();
        MemorySegment connectEx = function(s, ExtensionFunction.CONNECT_EX);
        MemorySegment acceptEx = function(s, ExtensionFunction.ACCEPT_EX);
        ws2.WSASetLastError(WSAEWOULDBLOCK);
        assertFalse(ws2.ConnectEx(connectEx, s, ws2.getsockname(listen), MemorySegment.NULL, new int[1], overlapped(0)));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError(), "unbound");
        assertFalse(ws2.AcceptEx(acceptEx, listen, 0x3fff_fff0L, arena.allocate(2 * SLOT), 0, SLOT, SLOT, new int[1],
                overlapped(0)));
        assertEquals(WSAENOTSOCK, ws2.WSAGetLastError(), "not a socket");
    }
}
