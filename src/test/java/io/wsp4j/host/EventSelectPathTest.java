package io.wsp4j.host;

import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * WSAEventSelect on the host, the way a layered provider consumes it: the WSAEVENT is watched on a
 * CompletionPort from the platform, each completion is followed by WSAEnumNetworkEvents.
 */
@EnabledOnOs(OS.LINUX)
class EventSelectPathTest {
    private static final long QUIET = 150, LONG = 5_000;
    private Host host;
    private Ws2 ws2;
    private CompletionPort port;
    private long event;
    private final CompletionBatch batch = new CompletionBatch(8);

    @BeforeEach
    void open() {
        host = new Host();
        ws2 = host.ws2();
        port = host.platform().openCompletionPort();
        event = ws2.WSACreateEvent();
        assertNotEquals(0, event);
        port.watch(event, 77);
    }

    @AfterEach
    void close() {
        port.unwatch(event);
        assertTrue(ws2.WSACloseEvent(event));
        port.close();
        host.close();
    }

    private long[] pair() {
        long l = ws2.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, ws2.bind(l, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertEquals(0, ws2.listen(l, 1));
        long c = ws2.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, ws2.connect(c, ws2.getsockname(l)));
        long a = ws2.accept(l);
        ws2.closesocket(l);
        return new long[] {c, a};
    }

    private NetworkEvents awaitEvents(long s) {
        assertEquals(1, port.poll(batch, LONG), "the event completed");
        assertEquals(77, batch.key(0));
        NetworkEvents ne = new NetworkEvents();
        assertEquals(0, ws2.WSAEnumNetworkEvents(s, event, ne));
        return ne;
    }

    @Test
    void readThenGracefulCloseAreRecordedWithErrors() {
        long[] p = pair();
        assertEquals(0, ws2.WSAEventSelect(p[1], event, FD_READ | FD_CLOSE));
        assertEquals(0, port.poll(batch, QUIET), "nothing yet");
        assertEquals(2, ws2.send(p[0], new byte[] {1, 2}, 2, 0));
        NetworkEvents ne = awaitEvents(p[1]);
        assertEquals(FD_READ, ne.lNetworkEvents);
        assertEquals(0, ne.iErrorCode[bitOf(FD_READ)]);
        assertEquals(0, port.poll(batch, QUIET), "auto-reset: one completion per signal");
        assertEquals(2, ws2.recv(p[1], new byte[4], 4, 0));
        ws2.setLinger(p[0], true, 0);
        ws2.closesocket(p[0]);
        ne = awaitEvents(p[1]);
        assertEquals(FD_CLOSE, ne.lNetworkEvents);
        assertEquals(WSAECONNABORTED, ne.iErrorCode[bitOf(FD_CLOSE)], "a reset is WSAECONNABORTED, as on Windows");
        ws2.closesocket(p[1]);
    }

    @Test
    void eventSelectMakesTheSocketNonBlocking_newDataAndAReceiveLeavingDataRecordAgain() {
        long[] p = pair();
        assertEquals(0, ws2.WSAEventSelect(p[1], event, FD_READ));
        assertEquals(SOCKET_ERROR, ws2.recv(p[1], new byte[1], 1, 0));
        assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
        assertEquals(3, ws2.send(p[0], new byte[3], 3, 0));
        assertEquals(FD_READ, awaitEvents(p[1]).lNetworkEvents);
        assertEquals(1, ws2.send(p[0], new byte[1], 1, 0));
        assertEquals(FD_READ, awaitEvents(p[1]).lNetworkEvents, "new data is recorded without a recv between, as on Windows");
        assertEquals(1, ws2.recv(p[1], new byte[1], 1, 0));
        assertEquals(FD_READ, awaitEvents(p[1]).lNetworkEvents, "data remains: recorded again");
        ws2.closesocket(p[0]);
        ws2.closesocket(p[1]);
    }

    @Test
    void connectOutcomeAndWriteAreRecorded() {
        long l = ws2.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, ws2.bind(l, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertEquals(0, ws2.listen(l, 1));
        long c = ws2.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, ws2.WSAEventSelect(c, event, FD_CONNECT | FD_WRITE));
        assertEquals(SOCKET_ERROR, ws2.connect(c, ws2.getsockname(l)));
        assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
        int seen = 0;
        long deadline = System.currentTimeMillis() + LONG;
        while (seen != (FD_CONNECT | FD_WRITE) && System.currentTimeMillis() < deadline) {
            if (port.poll(batch, 100) == 0) continue;
            NetworkEvents ne = new NetworkEvents();
            assertEquals(0, ws2.WSAEnumNetworkEvents(c, event, ne));
            assertEquals(0, ne.iErrorCode[bitOf(FD_CONNECT)]);
            seen |= ne.lNetworkEvents;
        }
        assertEquals(FD_CONNECT | FD_WRITE, seen);
        ws2.closesocket(c);
        ws2.closesocket(l);
    }

    @Test
    void badEventArgumentsAreRejected() {
        long s = ws2.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(SOCKET_ERROR, ws2.WSAEventSelect(s, 999_999, FD_READ));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError());
        assertEquals(SOCKET_ERROR, ws2.WSAEventSelect(s, event, 1 << 11));
        assertEquals(WSAEINVAL, ws2.WSAGetLastError());
        assertEquals(SOCKET_ERROR, ws2.WSAEnumNetworkEvents(s, 999_999, new NetworkEvents()));
        assertEquals(WSA_INVALID_HANDLE, ws2.WSAGetLastError());
        assertFalse(ws2.WSACloseEvent(999_999));
        ws2.closesocket(s);
    }
}
