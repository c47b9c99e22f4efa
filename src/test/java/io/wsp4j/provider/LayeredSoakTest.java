package io.wsp4j.provider;

import static io.wsp4j.winsock.FdEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.Host;
import io.wsp4j.host.Msg;
import io.wsp4j.host.Ws2;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many connections through the layered provider, twice: every FD_CONNECT and FD_ACCEPT arrives
 * exactly once, the accounting adds up, and nothing leaks — no socket of ours, no event, no fd.
 */
@EnabledOnOs(OS.LINUX)
class LayeredSoakTest {
    private static final int CONNECTIONS = 200;
    private static final int WM_SOCKET = 0x0401;

    @TempDir Path dir;

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void connectionsComeAndGoWithoutLeaks() {
        ProviderSelection.register(() -> new AccountingProvider(dir.resolve("soak.log")));
        int fdsAfterFirstRound = -1;
        try {
            for (int round = 0; round < 2; round++) {
                Host host = new Host().install();
                LayeredHostInstall.install(host);
                try {
                    runRound(host);
                    assertEquals(0, host.baseProvider().openSockets(), "every base socket closed");
                    assertEquals(0, host.openEvents(), "every event closed (the lower sockets' events are the host's, not fds)");
                } finally {
                    host.close();
                }
                assertEquals(0, LayeredStartup.references());
                int fds = openFds();
                if (round == 0) fdsAfterFirstRound = fds;
                else assertEquals(fdsAfterFirstRound, fds, "no fd growth from one round to the next");
            }
        } finally {
            ProviderSelection.reset();
            ProviderPlatforms.uninstall();
        }
    }

    private static void runRound(Host host) {
        Ws2 ws2 = host.ws2();
        long hWnd = host.createWindow();
        long listener = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(0, ws2.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertEquals(0, ws2.listen(listener, CONNECTIONS));
        assertEquals(0, ws2.WSAAsyncSelect(listener, hWnd, WM_SOCKET, FD_ACCEPT));
        InetSocketAddress target = ws2.getsockname(listener);
        Set<Long> clients = new HashSet<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            long c = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
            assertNotEquals(WsaErrors.INVALID_SOCKET, c);
            assertEquals(0, ws2.WSAAsyncSelect(c, hWnd, WM_SOCKET, FD_CONNECT));
            int rc = ws2.connect(c, target);
            assertTrue(rc == 0 || ws2.WSAGetLastError() == WsaErrors.WSAEWOULDBLOCK);
            clients.add(c);
        }
        Map<Long, Integer> connects = new HashMap<>();
        Set<Long> servers = new HashSet<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((connects.size() < CONNECTIONS || servers.size() < CONNECTIONS) && System.nanoTime() < deadline) {
            Msg m = host.getMessage(hWnd, 200);
            if (m == null) continue;
            int event = selectEvent(m.lParam());
            if (event == FD_CONNECT) {
                assertTrue(clients.contains(m.wParam()), "FD_CONNECT names a client of ours");
                assertEquals(0, selectError(m.lParam()));
                assertNull(connects.put(m.wParam(), 1), "exactly one FD_CONNECT per client");
                byte[] one = {(byte) 1};
                assertEquals(1, ws2.send(m.wParam(), one, 1, 0));
            } else if (event == FD_ACCEPT) {
                assertEquals(listener, m.wParam());
                long s;
                while ((s = ws2.accept(listener)) != WsaErrors.INVALID_SOCKET) {
                    assertEquals(0, ws2.WSAAsyncSelect(s, hWnd, WM_SOCKET, 0)); // no messages from the servers
                    assertTrue(servers.add(s));
                }
                assertEquals(WsaErrors.WSAEWOULDBLOCK, ws2.WSAGetLastError());
            } else {
                fail("unexpected " + describe(event));
            }
        }
        assertEquals(CONNECTIONS, connects.size());
        assertEquals(CONNECTIONS, servers.size());
        byte[] buf = new byte[16];
        long received = 0;
        for (long s : servers) {
            int n;
            long until = System.nanoTime() + 5_000_000_000L;
            while ((n = ws2.recv(s, buf, buf.length, 0)) == WsaErrors.SOCKET_ERROR && System.nanoTime() < until) Thread.onSpinWait();
            received += Math.max(n, 0);
        }
        assertEquals(CONNECTIONS, received);
        for (long c : clients) assertEquals(0, ws2.closesocket(c));
        for (long s : servers) assertEquals(0, ws2.closesocket(s));
        assertEquals(0, ws2.closesocket(listener));
        AccountingProvider.Snapshot a = ((AccountingProvider) LayeredStartup.activeProvider()).snapshot();
        assertEquals(2L * CONNECTIONS, a.connections());
        assertEquals(CONNECTIONS, a.bytesOut());
        assertEquals(CONNECTIONS, a.bytesIn());
        assertEquals(0, a.open().size());
        host.destroyWindow(hWnd);
    }
}
