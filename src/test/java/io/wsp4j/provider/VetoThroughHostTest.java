package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.Host;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The README's example provider: a veto in onConnect is what the application's connect() returns. */
@EnabledOnOs(OS.LINUX)
class VetoThroughHostTest {
    /** Refuses connections to one port (the README example uses 23, telnet). */
    static final class NoPort extends LayeredProvider {
        final int port;
        final AtomicInteger vetoed = new AtomicInteger();

        NoPort(int port) {
            this.port = port;
        }

        @Override
        protected int onConnect(LayeredSocket socket, InetSocketAddress peer) {
            if (peer != null && peer.getPort() == port) {
                vetoed.incrementAndGet();
                return WsaErrors.WSAEACCES;
            }
            return ALLOW;
        }
    }

    private Host host;
    private NoPort provider;
    private long listener;

    @BeforeEach
    void layer() {
        host = new Host().install();
        listener = host.ws2().socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP); // before layering: a base socket
        assertEquals(0, host.ws2().bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertEquals(0, host.ws2().listen(listener, 4));
        provider = new NoPort(host.ws2().getsockname(listener).getPort());
        ProviderSelection.register(() -> provider);
        LayeredHostInstall.install(host);
    }

    @AfterEach
    void unlayer() {
        host.ws2().closesocket(listener);
        host.close();
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
    }

    @Test
    void theVetoCodeIsTheApplicationsErrorAndNothingConnects() {
        long s = host.ws2().socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        long connectsBefore = host.baseProvider().upcallCount("lpWSPConnect");
        assertEquals(WsaErrors.SOCKET_ERROR, host.ws2().connect(s, host.ws2().getsockname(listener)));
        assertEquals(WsaErrors.WSAEACCES, host.ws2().WSAGetLastError());
        assertEquals(1, provider.vetoed.get());
        assertEquals(connectsBefore, host.baseProvider().upcallCount("lpWSPConnect"), "the base provider never saw the connect");
        assertEquals(0, host.ws2().closesocket(s));
    }
}
