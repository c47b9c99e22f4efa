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
import io.wsp4j.winsock.WsaError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Races of the base provider's event path, repeated until they would show: the conformance suite's
 * refused-connect and UDP-read cases in a loop. Every socket stays open until the end, so a late
 * (wrong or extra) message of one round is caught by a later round's expectation or by the final
 * "no message" wait instead of being dropped by closesocket.
 */
@EnabledOnOs(OS.LINUX)
class BaseProviderStressTest {
    private static final int ROUNDS = 300;
    private static final int UDP_ROUNDS = 1_000;
    private static final long MESSAGE_MILLIS = 5_000;
    private static final long QUIET_MILLIS = 150;
    private static final int WM_SOCKET = 0x0400 + 1;

    private Host host;
    private Ws2 ws2;
    private long hWnd;
    private final List<Long> open = new ArrayList<>();

    @BeforeEach
    void startHost() {
        host = new Host();
        ws2 = host.ws2();
        hWnd = host.createWindow();
    }

    @AfterEach
    void stopHost() {
        for (long s : open) ws2.closesocket(s);
        host.close();
    }

    /** A refused connect reports FD_CONNECT with WSAECONNREFUSED, never success, and nothing else. */
    @Test
    void refusedConnectIsReportedAsRefusedEveryTime() {
        for (int round = 0; round < ROUNDS; round++) {
            InetSocketAddress dead = deadAddress();
            long c = socket(SOCK_STREAM);
            ok(ws2.WSAAsyncSelect(c, hWnd, WM_SOCKET, FD_CONNECT | FD_WRITE | FD_CLOSE), "WSAAsyncSelect");
            int rc = ws2.connect(c, dead);
            assertEquals(SOCKET_ERROR, rc, "round " + round + ": connect to a closed port succeeded");
            int e = ws2.WSAGetLastError();
            assertTrue(e == WSAEWOULDBLOCK || e == WSAECONNREFUSED, WsaError.describe(e));
            expect(round, c, FD_CONNECT, WSAECONNREFUSED);
        }
        expectNothing();
    }

    /**
     * The application reads SO_ERROR while its refused connect finishes (Linux clears SO_ERROR when it
     * is read): it sees no error or the refusal, and FD_CONNECT still carries the refusal.
     */
    @Test
    void readingSoErrorDoesNotTakeTheOutcomeFromConnect() {
        int[] value = {0};
        for (int round = 0; round < ROUNDS; round++) {
            InetSocketAddress dead = deadAddress();
            long c = socket(SOCK_STREAM);
            ok(ws2.WSAAsyncSelect(c, hWnd, WM_SOCKET, FD_CONNECT | FD_WRITE | FD_CLOSE), "WSAAsyncSelect");
            assertEquals(SOCKET_ERROR, ws2.connect(c, dead), "round " + round + ": connect to a closed port succeeded");
            ok(ws2.getsockopt(c, SOL_SOCKET, SO_ERROR, value), "getsockopt(SO_ERROR)");
            int seen = value[0];
            assertTrue(seen == 0 || seen == WSAECONNREFUSED, "round " + round + ": SO_ERROR " + WsaError.describe(seen));
            expect(round, c, FD_CONNECT, WSAECONNREFUSED);
        }
        expectNothing();
    }

    /** Two datagrams: FD_READ, recv, FD_READ (one still waits), recv, and then no more FD_READ. */
    @Test
    void udpReadIsPostedOnlyWhileDatagramsWait() {
        byte[] d = {1, 2, 3};
        byte[] b = new byte[16];
        InetSocketAddress[] from = new InetSocketAddress[1];
        for (int round = 0; round < UDP_ROUNDS; round++) {
            long u = socket(SOCK_DGRAM);
            ok(ws2.bind(u, loopback()), "bind");
            ok(ws2.WSAAsyncSelect(u, hWnd, WM_SOCKET, FD_READ), "WSAAsyncSelect");
            long v = socket(SOCK_DGRAM);
            assertEquals(3, ws2.sendto(v, d, 3, 0, ws2.getsockname(u)));
            assertEquals(2, ws2.sendto(v, d, 2, 0, ws2.getsockname(u)));
            expect(round, u, FD_READ, 0);
            assertEquals(3, ws2.recvfrom(u, b, 16, 0, from));
            expect(round, u, FD_READ, 0);
            assertEquals(2, ws2.recvfrom(u, b, 16, 0, from));
            close(v);
        }
        expectNothing();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private long socket(int type) {
        long s = ws2.socket(AF_INET, type, 0);
        assertNotEquals(INVALID_SOCKET, s, () -> "socket: " + WsaError.describe(ws2.WSAGetLastError()));
        open.add(s);
        return s;
    }

    private void close(long s) {
        ok(ws2.closesocket(s), "closesocket");
        open.remove(s);
    }

    /** A loopback address where a listener was a moment ago: nothing listens there now. */
    private InetSocketAddress deadAddress() {
        long l = socket(SOCK_STREAM);
        ok(ws2.bind(l, loopback()), "bind");
        ok(ws2.listen(l, 16), "listen");
        InetSocketAddress dead = ws2.getsockname(l);
        close(l);
        return dead;
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private void ok(int rc, String call) {
        assertEquals(0, rc, () -> call + ": " + WsaError.describe(ws2.WSAGetLastError()));
    }

    private void expect(int round, long s, int event, int error) {
        Msg m = host.getMessage(hWnd, MESSAGE_MILLIS);
        assertNotNull(m, () -> "round " + round + ": no message; expected " + FdEvents.describe(event) + " for " + s);
        assertEquals(describe(s, event, error), describe(m), "round " + round);
    }

    private void expectNothing() {
        Msg m = host.getMessage(hWnd, QUIET_MILLIS);
        assertNull(m, () -> "unexpected " + describe(m));
    }

    private static String describe(long s, int event, int error) {
        return FdEvents.describe(event) + " error " + error + " for " + s;
    }

    private static String describe(Msg m) {
        return describe(m.wParam(), FdEvents.selectEvent(m.lParam()), FdEvents.selectError(m.lParam()));
    }
}
