package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.Host;
import io.wsp4j.host.Ws2;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Hooks that use Winsock themselves, through the SPI host: their calls come back through our table
 * on the same thread and must go straight down, with no hook and no recursion.
 */
@EnabledOnOs(OS.LINUX)
class ReentryThroughHostTest {
    private static final byte[] LOG_LINE = "connect seen\n".getBytes(StandardCharsets.US_ASCII);

    private Host host;
    private final List<Long> baseSockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void unlayer() {
        if (host != null) {
            for (long s : baseSockets) host.ws2().closesocket(s);
            host.close();
        }
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
    }

    /** A host with wsp4j layered over its base provider, running {@code provider}. */
    private Ws2 layer(Supplier<LayeredProvider> provider) {
        host = new Host().install();
        ProviderSelection.register(provider);
        LayeredHostInstall.install(host);
        return host.ws2();
    }

    /** A loopback TCP listener on the base provider, opened before layering: its accepts run no hook. */
    private long baseListener(Host h) {
        long l = h.ws2().socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(0, h.ws2().bind(l, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertEquals(0, h.ws2().listen(l, 4));
        baseSockets.add(l);
        return l;
    }

    private static byte[] recvExactly(Ws2 ws2, long s, int n) {
        byte[] all = new byte[n];
        byte[] buf = new byte[n];
        int at = 0;
        while (at < n) {
            int got = ws2.recv(s, buf, n - at, 0);
            assertTrue(got > 0, "recv: " + got + " (WSA error " + ws2.WSAGetLastError() + ")");
            System.arraycopy(buf, 0, all, at, got);
            at += got;
        }
        return all;
    }

    /**
     * Logs every connect to a remote "syslog" over its own TCP connection, from inside onConnect:
     * socket, connect, send, closesocket on the application's thread. Records every hook it sees.
     */
    static final class RemoteLog extends LayeredProvider {
        final Supplier<Ws2> ws2;
        final InetSocketAddress syslog;
        final List<Long> sockets = new CopyOnWriteArrayList<>();
        final List<Long> connects = new CopyOnWriteArrayList<>();
        final List<Long> sent = new CopyOnWriteArrayList<>();
        final List<Long> closed = new CopyOnWriteArrayList<>();
        final AtomicInteger depth = new AtomicInteger();
        volatile int deepest;
        volatile long logSocket;
        volatile long logSocketLower;
        volatile int logConnect = Integer.MIN_VALUE;
        volatile int logSend = Integer.MIN_VALUE;
        volatile int logClose = Integer.MIN_VALUE;

        RemoteLog(Supplier<Ws2> ws2, InetSocketAddress syslog) {
            this.ws2 = ws2;
            this.syslog = syslog;
        }

        @Override
        protected int onSocket(LayeredSocket socket) {
            sockets.add(socket.handle());
            return ALLOW;
        }

        @Override
        protected int onConnect(LayeredSocket socket, InetSocketAddress peer) {
            connects.add(socket.handle());
            deepest = Math.max(deepest, depth.incrementAndGet());
            try {
                Ws2 w = ws2.get();
                long log = w.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
                logSocket = log;
                logSocketLower = LayeredStartup.lowerHandle(log);
                logConnect = w.connect(log, syslog); // without the guard: onConnect again, and again …
                logSend = w.send(log, LOG_LINE, LOG_LINE.length, 0);
                logClose = w.closesocket(log);
            } finally {
                depth.decrementAndGet();
            }
            return ALLOW;
        }

        @Override
        protected void onSent(LayeredSocket socket, Buffers data, long bytes) {
            sent.add(socket.handle());
        }

        @Override
        protected void onClose(LayeredSocket socket) {
            closed.add(socket.handle());
        }
    }

    @Test
    void aHookThatOpensConnectsSendsAndClosesASocketRunsItStraightDownWithItsHooksRunOnceForTheOuterSocket() {
        host = new Host().install();
        long app = baseListener(host);
        long syslog = baseListener(host);
        InetSocketAddress syslogAddress = host.ws2().getsockname(syslog);
        Host h = host;
        RemoteLog provider = new RemoteLog(h::ws2, syslogAddress);
        ProviderSelection.register(() -> provider);
        LayeredHostInstall.install(host);
        Ws2 ws2 = host.ws2();
        long connectsBefore = host.baseProvider().upcallCount("lpWSPConnect");

        long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(0, ws2.connect(s, ws2.getsockname(app)), "the outer connect completes");

        assertEquals(List.of(s), provider.connects, "onConnect ran once, for the outer socket only");
        assertEquals(1, provider.deepest, "nothing recursed");
        assertEquals(List.of(s), provider.sockets, "no onSocket for the hook's own socket");
        assertNotEquals(s, provider.logSocket);
        assertNotEquals(-1, provider.logSocketLower, "the hook's socket is one of our handles");
        assertNotEquals(provider.logSocket, provider.logSocketLower, "… with a lower socket behind it");
        assertEquals(0, provider.logConnect);
        assertEquals(LOG_LINE.length, provider.logSend);
        assertEquals(0, provider.logClose);
        assertEquals(-1, LayeredStartup.lowerHandle(provider.logSocket), "closed: no longer in our table");
        assertEquals(connectsBefore + 2, host.baseProvider().upcallCount("lpWSPConnect"), "both connects reached the base provider");

        long logged = ws2.accept(syslog);
        assertNotEquals(WsaErrors.INVALID_SOCKET, logged);
        baseSockets.add(logged);
        assertArrayEquals(LOG_LINE, recvExactly(ws2, logged, LOG_LINE.length), "the inner traffic arrived");
        byte[] end = new byte[1];
        assertEquals(0, ws2.recv(logged, end, 1, 0), "the hook closed its socket");

        long served = ws2.accept(app);
        baseSockets.add(served);
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        assertEquals(hello.length, ws2.send(s, hello, hello.length, 0));
        assertArrayEquals(hello, recvExactly(ws2, served, hello.length));
        assertEquals(0, ws2.closesocket(s));
        assertEquals(List.of(s), provider.sent, "onSent saw the outer socket only");
        assertEquals(List.of(s), provider.closed, "onClose saw the outer socket only");
    }

    /** A socket a hook opened and kept (a persistent log connection) stays hookless when another thread uses it. */
    @Test
    void aSocketAHookKeepsRunsNoHooksWhenUsedOutsideAHook() {
        host = new Host().install();
        long app = baseListener(host);
        long syslog = baseListener(host);
        InetSocketAddress syslogAddress = host.ws2().getsockname(syslog);
        Host h = host;
        long[] kept = {WsaErrors.INVALID_SOCKET};
        List<Long> hooked = new CopyOnWriteArrayList<>();
        ProviderSelection.register(() -> new LayeredProvider() {
            @Override
            protected int onConnect(LayeredSocket socket, InetSocketAddress peer) {
                hooked.add(socket.handle());
                if (kept[0] == WsaErrors.INVALID_SOCKET) {
                    kept[0] = h.ws2().socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
                    h.ws2().connect(kept[0], syslogAddress);
                }
                return ALLOW;
            }

            @Override
            protected int onSend(LayeredSocket socket, Buffers data) {
                hooked.add(socket.handle());
                return ALLOW;
            }

            @Override
            protected void onSent(LayeredSocket socket, Buffers data, long bytes) {
                hooked.add(socket.handle());
            }

            @Override
            protected void onClose(LayeredSocket socket) {
                hooked.add(socket.handle());
            }
        });
        LayeredHostInstall.install(host);
        Ws2 ws2 = host.ws2();
        long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(0, ws2.connect(s, ws2.getsockname(app)));
        assertNotEquals(WsaErrors.INVALID_SOCKET, kept[0]);

        // This thread is outside every hook now, as a log's flusher thread would be.
        assertEquals(LOG_LINE.length, ws2.send(kept[0], LOG_LINE, LOG_LINE.length, 0));
        assertEquals(0, ws2.closesocket(kept[0]));
        assertEquals(0, ws2.closesocket(s));
        assertEquals(List.of(s, s), hooked, "onConnect and onClose for the application's socket; nothing for the hook's");
        long logged = ws2.accept(syslog);
        baseSockets.add(logged);
        assertArrayEquals(LOG_LINE, recvExactly(ws2, logged, LOG_LINE.length));
    }

    @Test
    void aHookThatThrowsLeavesTheThreadOutsideSoTheNextCallRunsItsHooksAgain() {
        AtomicInteger connects = new AtomicInteger();
        host = new Host().install();
        long listener = baseListener(host);
        ProviderSelection.register(() -> new LayeredProvider() {
            @Override
            protected int onConnect(LayeredSocket socket, InetSocketAddress peer) {
                if (connects.incrementAndGet() == 1) throw new IllegalStateException("the first connect's hook fails");
                return ALLOW;
            }
        });
        LayeredHostInstall.install(host);
        Ws2 ws2 = host.ws2();
        long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(WsaErrors.SOCKET_ERROR, ws2.connect(s, ws2.getsockname(listener)));
        assertEquals(WsaErrors.WSAENETDOWN, ws2.WSAGetLastError());
        assertEquals(0, ws2.connect(s, ws2.getsockname(listener)));
        assertEquals(2, connects.get(), "the second call was outermost again: its hook ran");
        assertEquals(0, ws2.closesocket(s));
    }

    @Test
    void theHooksDataIsStillTheOuterSendsAfterTheHookSendsOnItsOwnSocket() {
        host = new Host().install();
        long app = baseListener(host);
        long side = baseListener(host);
        InetSocketAddress sideAddress = host.ws2().getsockname(side);
        Host h = host;
        List<String> seen = new CopyOnWriteArrayList<>();
        ProviderSelection.register(() -> new LayeredProvider() {
            @Override
            protected int onSend(LayeredSocket socket, Buffers data) {
                String before = new String(data.read(data.totalLength()), StandardCharsets.US_ASCII);
                Ws2 w = h.ws2();
                long mirror = w.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
                w.connect(mirror, sideAddress);
                byte[] other = "a different payload".getBytes(StandardCharsets.US_ASCII);
                w.send(mirror, other, other.length, 0);
                w.closesocket(mirror);
                seen.add(before + "|" + new String(data.read(data.totalLength()), StandardCharsets.US_ASCII));
                return ALLOW;
            }
        });
        LayeredHostInstall.install(host);
        Ws2 ws2 = host.ws2();
        long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(0, ws2.connect(s, ws2.getsockname(app)));
        byte[] payload = "the application's bytes".getBytes(StandardCharsets.US_ASCII);
        assertEquals(payload.length, ws2.send(s, payload, payload.length, 0));
        assertEquals(List.of("the application's bytes|the application's bytes"), seen, "one onSend, its data untouched by the nested send");
        long mirrored = ws2.accept(side);
        baseSockets.add(mirrored);
        assertEquals("a different payload", new String(recvExactly(ws2, mirrored, 19), StandardCharsets.US_ASCII));
        assertEquals(0, ws2.closesocket(s));
    }

    /**
     * Both ends go through the layer, each on its own thread. The client's onSent blocks in a nested
     * recv for the reply; the server's application receives the request, and its onReceived answers
     * with a nested send while the client's thread is still blocked inside its hook. It completes
     * only if no hook holds anything the other thread's calls need.
     */
    @Test
    void aHookBlockedInANestedCallDoesNotStopAnotherThreadsHooks() throws Exception {
        host = new Host().install();
        Host h = host;
        List<String> hookReads = new CopyOnWriteArrayList<>();
        List<Long> received = new CopyOnWriteArrayList<>();
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        byte[] pong = "pong".getBytes(StandardCharsets.US_ASCII);
        ProviderSelection.register(() -> new LayeredProvider() {
            @Override
            protected void onSent(LayeredSocket socket, Buffers data, long bytes) {
                if (!Arrays.equals(ping, data.read(bytes))) return; // the client's request only
                byte[] reply = recvExactly(h.ws2(), socket.handle(), pong.length); // blocks until the server's hook answers
                hookReads.add("client " + new String(reply, StandardCharsets.US_ASCII));
            }

            @Override
            protected void onReceived(LayeredSocket socket, Buffers data, long bytes) {
                received.add(socket.handle());
                if (Arrays.equals(ping, data.read(bytes))) {
                    hookReads.add("server " + h.ws2().send(socket.handle(), pong, pong.length, 0));
                }
            }
        });
        LayeredHostInstall.install(host);
        Ws2 ws2 = host.ws2();
        long listener = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP); // through the layer
        assertEquals(0, ws2.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertEquals(0, ws2.listen(listener, 4));
        InetSocketAddress address = ws2.getsockname(listener);
        CompletableFuture<Long> server = CompletableFuture.supplyAsync(() -> {
            long accepted = ws2.accept(listener);
            assertArrayEquals(ping, recvExactly(ws2, accepted, ping.length)); // its onReceived answers
            return accepted;
        });

        long client = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertEquals(0, ws2.connect(client, address));
            assertEquals(ping.length, ws2.send(client, ping, ping.length, 0), "the outer send completes after its hook's blocking recv");
        });
        long accepted = server.get(20, TimeUnit.SECONDS);
        assertEquals(Set.of("server " + pong.length, "client pong"), Set.copyOf(hookReads), "each hook ran once; in either order");
        assertEquals(2, hookReads.size(), hookReads.toString());
        assertEquals(List.of(accepted), received, "the client hook's own receive ran no onReceived");

        byte[] done = "done".getBytes(StandardCharsets.US_ASCII);
        assertEquals(done.length, ws2.send(accepted, done, done.length, 0));
        assertArrayEquals(done, recvExactly(ws2, client, done.length));
        assertEquals(List.of(accepted, client), received, "an application's receive still runs onReceived");
        assertEquals(0, ws2.closesocket(client));
        assertEquals(0, ws2.closesocket(accepted));
        assertEquals(0, ws2.closesocket(listener));
    }

    @Test
    void aWinsockCallFromOnStartupIsRefusedAndTheProviderStartsOnce() {
        AtomicInteger created = new AtomicInteger();
        int[] nested = new int[2];
        Host[] h = new Host[1];
        Ws2 ws2 = layer(() -> {
            created.incrementAndGet();
            return new LayeredProvider() {
                @Override
                protected void onStartup() {
                    long s = h[0].ws2().socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
                    nested[0] = s == WsaErrors.INVALID_SOCKET ? 1 : 0;
                    nested[1] = h[0].ws2().WSAGetLastError();
                }
            };
        });
        h[0] = host;
        long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertNotEquals(WsaErrors.INVALID_SOCKET, s, "the application's socket, made by the outer WSPStartup's provider");
        assertEquals(1, created.get(), "one provider, not one per nested WSPStartup");
        assertEquals(1, nested[0], "the nested socket() failed");
        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, nested[1]);
        assertEquals(1, LayeredStartup.references());
        assertEquals(0, ws2.closesocket(s));
    }
}
