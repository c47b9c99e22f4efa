package io.wsp4j.host;

import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.WsaError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * 1,000 sockets (500 connections) connect, exchange and close through the host, all under
 * WSAAsyncSelect, driven by one message loop as a Windows program would be. Every expected message
 * arrives exactly once; repetitions grow neither descriptors nor the host's tables.
 */
@EnabledOnOs(OS.LINUX)
class SoakTest {
    private static final int CONNECTIONS = 500;
    private static final int WM_LISTENER = 0x401, WM_CLIENT = 0x402;

    @Test
    void thousandSocketsRepeatedly() {
        try (Host host = new Host()) {
            round(host); // warm-up: classes, stubs, the dispatcher
            int fds = OpenFds.count();
            long heap = usedHeapAfterGc();
            for (int i = 0; i < 3; i++) {
                round(host);
                assertEquals(0, host.ws2().openSockets());
                assertEquals(0, host.baseProvider().openSockets());
                assertEquals(0, host.registeredHandles());
                assertEquals(fds, OpenFds.count(), "open descriptors after round " + i);
            }
            long growth = usedHeapAfterGc() - heap;
            assertTrue(growth < 16L << 20, "heap grew by " + (growth >> 10) + " KiB over three rounds");
        }
    }

    private static void round(Host host) {
        Ws2 ws2 = host.ws2();
        long hWnd = host.createWindow();
        long l = ws2.socket(AF_INET, SOCK_STREAM, 0);
        ok(ws2, ws2.bind(l, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), "bind");
        ok(ws2, ws2.listen(l, SOMAXCONN), "listen");
        ok(ws2, ws2.WSAAsyncSelect(l, hWnd, WM_LISTENER, FD_ACCEPT | FD_READ | FD_WRITE | FD_CLOSE), "select");
        InetSocketAddress at = ws2.getsockname(l);

        Set<Long> clients = new HashSet<>(), servers = new HashSet<>();
        Map<Long, Integer> seen = new HashMap<>(); // socket -> events posted so far
        Map<Long, StringBuilder> log = new HashMap<>(); // socket -> its messages, for failure reports
        for (int i = 0; i < CONNECTIONS; i++) {
            long c = ws2.socket(AF_INET, SOCK_STREAM, 0);
            assertNotEquals(INVALID_SOCKET, c);
            clients.add(c);
            ok(ws2, ws2.WSAAsyncSelect(c, hWnd, WM_CLIENT, FD_CONNECT | FD_READ | FD_CLOSE), "select");
            assertEquals(SOCKET_ERROR, ws2.connect(c, at));
            assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
        }
        int open = 2 * CONNECTIONS;
        long deadline = System.currentTimeMillis() + 60_000;
        byte[] buf = new byte[16];
        while (open > 0) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out with " + open + " sockets open");
            Msg m = host.getMessage(hWnd, 1_000);
            if (m == null) continue;
            long s = m.wParam();
            int event = FdEvents.selectEvent(m.lParam()), error = FdEvents.selectError(m.lParam());
            assertEquals(0, error, () -> FdEvents.describe(event) + " " + WsaError.describe(error));
            if (s == l) {
                assertEquals(FD_ACCEPT, event);
                long a;
                while ((a = ws2.accept(l)) != INVALID_SOCKET) servers.add(a);
                assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
                continue;
            }
            log.computeIfAbsent(s, k -> new StringBuilder()).append(FdEvents.describe(event)).append(' ');
            int before = seen.getOrDefault(s, 0);
            assertEquals(0, before & event, () -> FdEvents.describe(event) + " twice for " + s + ": " + log.get(s));
            seen.put(s, before | event);
            if (clients.contains(s)) {
                assertEquals(WM_CLIENT, m.message());
                switch (event) {
                    case FD_CONNECT -> assertEquals(4, ws2.send(s, "ping".getBytes(), 4, 0));
                    case FD_READ -> assertEquals("pong", new String(buf, 0, ws2.recv(s, buf, 16, 0)));
                    case FD_CLOSE -> {
                        ok(ws2, ws2.closesocket(s), "client close");
                        open--;
                    }
                    default -> fail("client got " + FdEvents.describe(event));
                }
            } else {
                assertTrue(servers.contains(s), "message for an unknown socket " + s);
                assertEquals(WM_LISTENER, m.message(), "inherited registration");
                switch (event) {
                    case FD_WRITE -> { } // owed on accept
                    case FD_READ -> {
                        assertEquals("ping", new String(buf, 0, ws2.recv(s, buf, 16, 0)));
                        assertEquals(4, ws2.send(s, "pong".getBytes(), 4, 0));
                        ok(ws2, ws2.shutdown(s, SD_SEND), "shutdown after " + log.get(s));
                    }
                    case FD_CLOSE -> {
                        ok(ws2, ws2.closesocket(s), "server close");
                        open--;
                    }
                    default -> fail("server got " + FdEvents.describe(event));
                }
            }
        }
        ok(ws2, ws2.closesocket(l), "listener close");
        assertEquals(CONNECTIONS, servers.size());
        for (long c : clients) assertEquals(FD_CONNECT | FD_READ | FD_CLOSE, seen.get(c), "client " + c);
        for (long a : servers) assertEquals(FD_WRITE | FD_READ | FD_CLOSE, seen.get(a), "server " + a);
        assertNull(host.getMessage(hWnd, 100), "nothing after every socket closed");
        host.destroyWindow(hWnd);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void ok(Ws2 ws2, int rc, String what) {
        assertEquals(0, rc, () -> what + ": " + WsaError.describe(ws2.WSAGetLastError()));
    }
}
