package io.wsp4j.provider;

import static io.wsp4j.winsock.FdEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.Host;
import io.wsp4j.host.Msg;
import io.wsp4j.host.Ws2;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A vetoed accept: the application gets the code, the peer is disconnected, no message names the refused socket. */
@EnabledOnOs(OS.LINUX)
class AcceptVetoTest {
    static final class RefuseAll extends LayeredProvider {
        volatile long refused = -1;

        @Override
        protected int onAccept(LayeredSocket listener, LayeredSocket accepted) {
            refused = accepted.handle();
            return WsaErrors.WSAECONNREFUSED;
        }
    }

    private final RefuseAll provider = new RefuseAll();
    private Host host;

    @BeforeEach
    void layer() {
        ProviderSelection.register(() -> provider);
        host = new Host().install();
        LayeredHostInstall.install(host);
    }

    @AfterEach
    void unlayer() {
        host.close();
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
    }

    @Test
    void theRefusedSocketNeverReachesTheApplication() {
        Ws2 ws2 = host.ws2();
        long hWnd = host.createWindow();
        long listener = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(0, ws2.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertEquals(0, ws2.listen(listener, 4));
        // FD_WRITE too: an accepted socket inherits it and would be owed an FD_WRITE at once.
        assertEquals(0, ws2.WSAAsyncSelect(listener, hWnd, 0x401, FD_ACCEPT | FD_WRITE | FD_READ));
        long client = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(0, ws2.WSAAsyncSelect(client, hWnd, 0x402, FD_CONNECT | FD_CLOSE));
        ws2.connect(client, ws2.getsockname(listener));

        boolean accepted = false;
        boolean clientClosed = false;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!clientClosed && System.nanoTime() < deadline) {
            Msg m = host.getMessage(hWnd, 200);
            if (m == null) continue;
            assertTrue(m.wParam() == listener || m.wParam() == client, "a message names a socket the application holds: " + m);
            if (m.wParam() == listener && selectEvent(m.lParam()) == FD_ACCEPT && !accepted) {
                assertEquals(WsaErrors.INVALID_SOCKET, ws2.accept(listener));
                assertEquals(WsaErrors.WSAECONNREFUSED, ws2.WSAGetLastError());
                accepted = true;
            }
            if (m.wParam() == client && selectEvent(m.lParam()) == FD_CLOSE) clientClosed = true;
        }
        assertTrue(accepted, "FD_ACCEPT came and accept was refused");
        assertTrue(clientClosed, "the refused peer was disconnected");
        assertNotEquals(-1, provider.refused);
        assertEquals(-1, LayeredStartup.lowerHandle(provider.refused), "the refused socket is gone");
        assertEquals(0, ws2.closesocket(client));
        assertEquals(0, ws2.closesocket(listener));
    }
}
