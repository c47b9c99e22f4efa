package io.wsp4j.host;

import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Bad arguments get their documented WSAE* code, nothing crashes, and no descriptor leaks. */
@EnabledOnOs(OS.LINUX)
class BadInputTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static void fails(Ws2 ws2, int expected, IntSupplier call, String what) {
        assertEquals(SOCKET_ERROR, call.getAsInt(), what);
        assertEquals(WsaError.describe(expected), WsaError.describe(ws2.WSAGetLastError()), what);
    }

    private static void exercise(Host host) {
        Ws2 ws2 = host.ws2();
        long hWnd = host.createWindow();
        long bogus = 0x7fff_0000L;
        fails(ws2, WSAENOTSOCK, () -> ws2.recv(bogus, new byte[1], 1, 0), "recv on a non-socket");
        fails(ws2, WSAENOTSOCK, () -> ws2.send(bogus, new byte[1], 1, 0), "send on a non-socket");
        fails(ws2, WSAENOTSOCK, () -> ws2.closesocket(bogus), "closesocket of a non-socket");
        fails(ws2, WSAENOTSOCK, () -> ws2.WSAAsyncSelect(bogus, hWnd, 0x401, FD_READ), "select on a non-socket");
        assertEquals(INVALID_SOCKET, ws2.socket(12345, SOCK_STREAM, 0));
        assertEquals(WSAEAFNOSUPPORT, ws2.WSAGetLastError());
        assertEquals(INVALID_SOCKET, ws2.socket(AF_INET, 77, 0));
        assertEquals(WSAESOCKTNOSUPPORT, ws2.WSAGetLastError());
        assertEquals(INVALID_SOCKET, ws2.socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
        assertEquals(WSAEPROTONOSUPPORT, ws2.WSAGetLastError());

        long s = ws2.socket(AF_INET, SOCK_STREAM, 0);
        assertNotEquals(INVALID_SOCKET, s);
        fails(ws2, WSAEINVAL, () -> ws2.WSAAsyncSelect(s, 0xdead0, 0x401, FD_READ), "a window that does not exist");
        fails(ws2, WSAEINVAL, () -> ws2.WSAAsyncSelect(s, hWnd, 0x401, FD_READ | (1 << 10)), "bad lEvent bits");
        fails(ws2, WSAENOTCONN, () -> ws2.recv(s, new byte[1], 1, 0), "recv before connect");
        fails(ws2, WSAENOTCONN, () -> ws2.send(s, new byte[1], 1, 0), "send before connect");
        fails(ws2, WSAEFAULT, () -> ws2.send(s, new byte[1], 2, 0), "len beyond the buffer");
        fails(ws2, WSAENOPROTOOPT, () -> ws2.setsockopt(s, SOL_SOCKET, 0x7777, 1), "unknown option");
        fails(ws2, WSAEINVAL, () -> ws2.ioctlsocket(s, 0x1234, new int[1]), "unknown ioctl");
        fails(ws2, WSAEINVAL, () -> ws2.shutdown(s, 7), "bad shutdown direction");
        assertNull(ws2.getsockname(s), "not bound");
        assertEquals(WSAEINVAL, ws2.WSAGetLastError());
        assertEquals(0, ws2.bind(s, LOOPBACK));
        fails(ws2, WSAEINVAL, () -> ws2.bind(s, LOOPBACK), "bind twice");
        int[] blocking = {1};
        assertEquals(0, ws2.ioctlsocket(s, Ioctls.FIONBIO, blocking));
        assertEquals(0, ws2.listen(s, 1));
        fails(ws2, WSAEWOULDBLOCK, () -> (int) ws2.accept(s), "non-blocking accept with nothing waiting");
        assertEquals(0, ws2.closesocket(s));
        fails(ws2, WSAENOTSOCK, () -> ws2.closesocket(s), "double close");
        fails(ws2, WSAENOTSOCK, () -> ws2.recv(s, new byte[1], 1, 0), "use after close");
        fails(ws2, WSAENOTSOCK, () -> ws2.WSAAsyncSelect(s, hWnd, 0x401, FD_READ), "select after close");

        long u = ws2.socket(AF_INET, SOCK_DGRAM, 0);
        fails(ws2, WSAEOPNOTSUPP, () -> ws2.listen(u, 1), "listen on UDP");
        assertEquals(0, ws2.closesocket(u));
        assertNull(host.peekMessage(hWnd), "no stray message");
    }

    @Test
    void badInputIsReportedAndLeaksNothing() {
        try (Host warm = new Host()) {
            exercise(warm); // first use loads classes, libraries and stubs: count after it
        }
        int before = OpenFds.count();
        for (int i = 0; i < 20; i++) {
            try (Host host = new Host()) {
                exercise(host);
                assertEquals(0, host.ws2().openSockets());
                assertEquals(0, host.baseProvider().openSockets());
                assertEquals(0, host.registeredHandles());
            }
        }
        assertEquals(before, OpenFds.count(), "open file descriptors");
    }
}
