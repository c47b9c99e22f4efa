package io.wsp4j.host;

import static io.wsp4j.host.ScenarioRun.WM_OTHER;
import static io.wsp4j.host.ScenarioRun.WM_SOCKET;
import static io.wsp4j.host.ScenarioRun.loopback;
import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.select.SelectRules;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaError;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * WSAAsyncSelect through {@link Ws2} over real loopback TCP and UDP: every scenario checks the exact
 * messages, in order, and "no message" within a short bounded wait. Abstract over the stack (the base
 * provider alone, a pass-through layer, wsp4j) and over the {@link SelectRules} it follows: Windows'
 * behaviour (the default; the tests' prefixes B1 to B8 are the numbered behaviours of
 * {@code SelectEngineWindowsRulesTest}) or the SPI page's reading, whose expectations a scenario gives
 * where they differ. A layered stack must see what the base provider alone shows ({@link ScenarioSuite}).
 */
public abstract class AsyncSelectConformanceSuite extends ScenarioSuite {
    /** A loopback address where a listener was a moment ago: nothing listens there now. */
    protected static InetSocketAddress deadAddress(ScenarioRun r) {
        long l = r.listener("gone");
        InetSocketAddress dead = r.ws2.getsockname(l);
        r.close(l);
        return dead;
    }

    // ---- a registration replaces the previous one; lEvent = 0 cancels; non-blocking --------------------

    @Test
    void newRegistrationReplacesThePrevious() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], WM_OTHER, FD_READ | FD_CLOSE);
            r.select(p[1], FD_READ);
            r.send(p[0], "x");
            r.expect(p[1], FD_READ);
            r.quiet();
        });
    }

    @Test
    void zeroEventsCancelsAllNotification() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.ok(r.ws2.WSAAsyncSelect(p[1], r.hWnd, WM_SOCKET, 0), "cancel");
            r.send(p[0], "x");
            r.close(p[0]);
            r.quiet();
        });
    }

    @Test
    void registeringMakesTheSocketNonBlocking() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            r.fails(r.ws2.recv(p[1], new byte[4], 4, 0), WSAEWOULDBLOCK, "recv");
            r.fails(r.ws2.ioctlsocket(p[1], Ioctls.FIONBIO, new int[] {0}), WSAEINVAL, "FIONBIO 0");
        });
    }

    @Test
    void asyncSelectReplacesEventSelect() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long event = r.event();
            r.eventSelect(p[1], event, FD_READ);
            r.select(p[1], FD_READ);
            r.send(p[0], "x");
            r.expect(p[1], FD_READ);
            r.enumerate(p[1], event, 0); // the EventSelect association is gone
        });
    }

    @Test
    void aRegistrationAfterEventSelectPostsWhatHolds_evenWhatTheRecordReported() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long event = r.event();
            r.eventSelect(p[1], event, FD_READ | FD_CLOSE);
            r.send(p[0], "x");
            r.expectRecord(p[1], event, FD_READ); // reported, and consumed, in event mode
            r.select(p[1], FD_READ | FD_CLOSE);
            r.expect(p[1], FD_READ); // message mode posts what holds: the data is still there
            r.quiet();
        });
    }

    // ---- one message per event, one wMsg per registration ------------------------------------------

    @Test
    void oneMessagePerEventEvenForRepeatedArrivals() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            r.send(p[0], "a");
            r.expect(p[1], FD_READ);
            r.send(p[0], "b");
            r.send(p[0], "c");
            r.quiet();
        });
    }

    @Test
    void laterCallWithAnotherMessageReplacesNeverAdds() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            r.select(p[1], WM_OTHER, FD_CLOSE);
            r.send(p[0], "x");
            r.quiet(); // FD_READ is no longer registered
            r.recvAll(p[1], 1);
            r.close(p[0]);
            r.expect(p[1], WM_OTHER, FD_CLOSE, 0);
            r.quiet();
        });
    }

    // ---- persistence ------------------------------------------------------------------------------

    @Test
    void connectionWaitingAtRegistrationPostsAcceptAtOnce() {
        scenario(r -> {
            long l = r.listener("listener");
            long c = r.socket("client", SOCK_STREAM);
            r.ok(r.ws2.connect(c, r.ws2.getsockname(l)), "connect");
            r.select(l, FD_ACCEPT);
            r.expect(l, FD_ACCEPT);
            r.quiet();
        });
    }

    @Test
    void dataWaitingAtRegistrationPostsReadAtOnce() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.send(p[0], "hello");
            r.awaitReadable(p[1], 5);
            r.select(p[1], FD_READ);
            r.expect(p[1], FD_READ);
            r.quiet();
        });
    }

    // ---- re-enabling functions; level-triggered READ and ACCEPT ---------------------------------------

    @Test
    void readIsNotPostedAgainUntilRecv() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            r.send(p[0], "abc");
            r.expect(p[1], FD_READ);
            r.send(p[0], "def");
            r.quiet();
            r.recvAll(p[1], 6);
            r.quiet();
        });
    }

    @Test
    void readIsPostedAgainWhileDataRemains() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            r.send(p[0], "0123456789");
            r.expect(p[1], FD_READ);
            r.awaitReadable(p[1], 10);
            r.recv(p[1], 5);
            r.expect(p[1], FD_READ);
            r.recv(p[1], 5);
            r.quiet();
        });
    }

    @Test
    void acceptIsPostedAgainWhileConnectionsWait() {
        scenario(r -> {
            long l = r.listener("listener");
            r.select(l, FD_ACCEPT);
            long c1 = r.socket("client 1", SOCK_STREAM), c2 = r.socket("client 2", SOCK_STREAM);
            r.ok(r.ws2.connect(c1, r.ws2.getsockname(l)), "connect 1");
            r.ok(r.ws2.connect(c2, r.ws2.getsockname(l)), "connect 2");
            r.expect(l, FD_ACCEPT);
            r.accept("server 1", l);
            r.expect(l, FD_ACCEPT);
            r.accept("server 2", l);
            r.quiet();
        });
    }

    @Test
    void failedRecvReEnablesToo() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            r.fails(r.ws2.recv(p[1], new byte[1], 1, 0), WSAEWOULDBLOCK, "recv");
            r.send(p[0], "x");
            r.expect(p[1], FD_READ);
        });
    }

    // ---- FD_WRITE -------------------------------------------------------------------------------

    @Test
    void registeringOnAWritableSocketPostsWrite() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[0], FD_WRITE);
            r.expect(p[0], FD_WRITE);
            r.quiet();
        });
    }

    @Test
    void writeAfterWouldBlockWhenSpaceReturns() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.ok(r.ws2.setsockopt(p[0], SOL_SOCKET, SO_SNDBUF, 4096), "SO_SNDBUF");
            r.ok(r.ws2.setsockopt(p[1], SOL_SOCKET, SO_RCVBUF, 4096), "SO_RCVBUF");
            r.select(p[0], FD_WRITE);
            r.expect(p[0], FD_WRITE);
            byte[] chunk = new byte[8192];
            long sent = 0;
            int rc;
            while ((rc = r.ws2.send(p[0], chunk, chunk.length, 0)) != SOCKET_ERROR) sent += rc;
            assertEquals(WSAEWOULDBLOCK, r.ws2.WSAGetLastError());
            r.quiet();
            drain(r, p[1], sent);
            r.expect(p[0], FD_WRITE);
            r.quiet();
        });
    }

    /** Reads {@code bytes} from {@code s} (a blocking socket), whatever they are. */
    protected static void drain(ScenarioRun r, long s, long bytes) {
        byte[] sink = new byte[65536];
        long drained = 0;
        while (drained < bytes) {
            int n = r.ws2.recv(s, sink, sink.length, 0);
            assertTrue(n > 0, () -> "recv: " + WsaError.describe(r.ws2.WSAGetLastError()));
            drained += n;
        }
    }

    // ---- FD_OOB and SO_OOBINLINE -------------------------------------------------------------------

    @Test
    void urgentDataPostsOob() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_OOB);
            r.sendOob(p[0], '!');
            r.expect(p[1], FD_OOB);
            r.quiet();
            assertEquals("!", r.recv(p[1], 1, MSG_OOB));
            r.quiet();
        });
    }

    @Test
    void withOobInlineUrgentDataIsRead() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.ok(r.ws2.setsockopt(p[1], SOL_SOCKET, SO_OOBINLINE, 1), "SO_OOBINLINE");
            r.select(p[1], FD_READ | FD_OOB);
            r.sendOob(p[0], '!');
            r.expect(p[1], FD_READ);
            r.quiet();
            assertEquals("!", r.recv(p[1], 1));
            r.quiet();
        });
    }

    // ---- FD_CLOSE ---------------------------------------------------------------------------------

    @Test
    void shutdownSendPostsGracefulClose() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.ok(r.ws2.shutdown(p[0], SD_SEND), "shutdown");
            r.expect(p[1], FD_CLOSE);
            r.quiet();
        });
    }

    @Test
    void noCloseAfterTheLocalSideClosed() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.close(p[1]);
            r.close(p[0]);
            r.quiet();
        });
    }

    @Test
    void connectionlessSocketsGetNoClose() {
        scenario(r -> {
            long u = r.socket("receiver", SOCK_DGRAM);
            r.ok(r.ws2.bind(u, loopback(0)), "bind");
            r.select(u, FD_CLOSE);
            long v = r.socket("sender", SOCK_DGRAM);
            assertEquals(1, r.ws2.sendto(v, new byte[] {1}, 1, 0, r.ws2.getsockname(u)));
            r.close(v);
            r.quiet();
        });
    }

    // ---- FD_CONNECT with the outcome ---------------------------------------------------------------

    @Test
    void refusedConnectPostsConnectWithTheError() {
        scenario(r -> {
            InetSocketAddress dead = deadAddress(r);
            long c = r.socket("client", SOCK_STREAM);
            r.select(c, FD_CONNECT | FD_WRITE | FD_CLOSE);
            int rc = r.ws2.connect(c, dead);
            assertEquals(SOCKET_ERROR, rc, "connect to a closed port succeeded");
            int e = r.ws2.WSAGetLastError();
            assertTrue(e == WSAEWOULDBLOCK || e == WSAECONNREFUSED, WsaError.describe(e));
            r.expect(c, FD_CONNECT, WSAECONNREFUSED);
            r.quiet();
        });
    }

    // ---- accepted sockets inherit the registration ------------------------------------------------------

    @Test
    void acceptedSocketInheritsTheListenersRegistration() {
        scenario(r -> {
            long l = r.listener("listener");
            r.select(l, WM_OTHER, FD_ACCEPT | FD_READ | FD_WRITE | FD_CLOSE);
            long c = r.socket("client", SOCK_STREAM);
            r.ok(r.ws2.connect(c, r.ws2.getsockname(l)), "connect");
            r.expect(l, WM_OTHER, FD_ACCEPT, 0);
            long a = r.accept("server", l);
            r.expect(a, WM_OTHER, FD_WRITE, 0);
            r.send(c, "x");
            r.expect(a, WM_OTHER, FD_READ, 0);
            r.quiet();
        });
    }

    // ---- nothing after closesocket or cancel -------------------------------------------------------------

    @Test
    void nothingIsPostedAfterClosesocket() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.close(p[1]);
            r.send(p[0], "late");
            r.quiet();
        });
    }

    @Test
    void nothingIsPostedAfterCancel() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.send(p[0], "a");
            r.expect(p[1], FD_READ);
            r.ok(r.ws2.WSAAsyncSelect(p[1], r.hWnd, 0, 0), "cancel");
            r.recv(p[1], 1);
            r.send(p[0], "b");
            r.close(p[0]);
            r.quiet();
        });
    }

    // ---- bad arguments ---------------------------------------------------------------------------------

    @Test
    void invalidEventBitsAreRejected() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.fails(r.ws2.WSAAsyncSelect(p[1], r.hWnd, WM_SOCKET, 1 << 12), WSAEINVAL, "WSAAsyncSelect");
            r.send(p[0], "x");
            r.quiet(); // nothing changed: no registration
        });
    }

    @Test
    void unknownSocketIsNotASocket() {
        scenario(r -> r.fails(r.ws2.WSAAsyncSelect(0x7fff_fff0L, r.hWnd, WM_SOCKET, FD_READ), WSAENOTSOCK, "WSAAsyncSelect"));
    }

    // ---- UDP and IPv6 ---------------------------------------------------------------------------------

    @Test
    void udpDatagramPostsReadUntilAllAreRead() {
        scenario(r -> {
            long u = r.socket("receiver", SOCK_DGRAM);
            r.ok(r.ws2.bind(u, loopback(0)), "bind");
            r.select(u, FD_READ);
            long v = r.socket("sender", SOCK_DGRAM);
            byte[] d = {1, 2, 3};
            assertEquals(3, r.ws2.sendto(v, d, 3, 0, r.ws2.getsockname(u)));
            assertEquals(2, r.ws2.sendto(v, d, 2, 0, r.ws2.getsockname(u)));
            r.expect(u, FD_READ);
            InetSocketAddress[] from = new InetSocketAddress[1];
            byte[] b = new byte[16];
            assertEquals(3, r.ws2.recvfrom(u, b, 16, 0, from));
            assertEquals(r.ws2.getsockname(v).getPort(), from[0].getPort());
            r.expect(u, FD_READ);
            assertEquals(2, r.ws2.recvfrom(u, b, 16, 0, from));
            r.quiet();
        });
    }

    @Test
    void ipv6ConnectAndRead() {
        scenario(r -> {
            long l = r.socket("listener", AF_INET6, SOCK_STREAM);
            if (r.ws2.bind(l, new InetSocketAddress("::1", 0)) != 0) return; // no IPv6 loopback on this machine
            r.ok(r.ws2.listen(l, 4), "listen");
            long c = r.socket("client", AF_INET6, SOCK_STREAM);
            r.select(c, FD_CONNECT | FD_READ);
            r.fails(r.ws2.connect(c, r.ws2.getsockname(l)), WSAEWOULDBLOCK, "connect");
            r.expect(c, FD_CONNECT);
            long a = r.accept("server", l);
            r.send(a, "v6");
            r.expect(c, FD_READ);
            assertEquals("v6", r.recv(c, 2));
        });
    }

    // ---- B1: FD_CONNECT only as a connect's outcome ------------------------------------------------

    @Test
    void b1_nonBlockingConnectPostsConnectOnce() {
        scenario(r -> {
            long l = r.listener("listener");
            long c = r.socket("client", SOCK_STREAM);
            r.select(c, FD_CONNECT | FD_WRITE | FD_READ);
            r.fails(r.ws2.connect(c, r.ws2.getsockname(l)), WSAEWOULDBLOCK, "connect");
            r.expect(c, FD_CONNECT);
            r.expect(c, FD_WRITE);
            r.quiet();
        });
    }

    @Test
    void b1_selectAfterABlockingConnectPostsNoConnect() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[0], FD_CONNECT | FD_WRITE | FD_READ);
            if (!r.windows()) r.expect(p[0], FD_CONNECT); // the page: "if there is currently a connection established"
            r.expect(p[0], FD_WRITE);
            r.quiet();
        });
    }

    @Test
    void b1_acceptedSocketPostsNoConnect() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE);
            if (!r.windows()) r.expect(p[1], FD_CONNECT);
            r.expect(p[1], FD_WRITE);
            r.quiet();
        });
    }

    @Test
    void b1_inheritedRegistrationWithConnectPostsNoConnect() {
        scenario(r -> {
            long l = r.listener("listener");
            r.select(l, FD_ACCEPT | FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE);
            long c = r.socket("client", SOCK_STREAM);
            r.ok(r.ws2.connect(c, r.ws2.getsockname(l)), "connect");
            r.expect(l, FD_ACCEPT);
            long a = r.accept("server", l);
            r.expect(a, FD_WRITE);
            r.send(c, "x");
            r.expect(a, FD_READ);
            r.quiet();
        });
    }

    @Test
    void b1_reselectAfterConnectPostsNoConnect_sameMaskOrZeroFirst() {
        scenario(r -> {
            long l = r.listener("listener");
            long c = r.socket("client", SOCK_STREAM);
            r.select(c, FD_CONNECT | FD_WRITE);
            r.fails(r.ws2.connect(c, r.ws2.getsockname(l)), WSAEWOULDBLOCK, "connect");
            r.expect(c, FD_CONNECT);
            r.expect(c, FD_WRITE);
            r.accept("server", l);
            r.select(c, FD_CONNECT | FD_WRITE);
            if (!r.windows()) r.expect(c, FD_CONNECT);
            r.expect(c, FD_WRITE);
            r.ok(r.ws2.WSAAsyncSelect(c, r.hWnd, 0, 0), "cancel");
            r.select(c, FD_CONNECT | FD_WRITE);
            if (!r.windows()) r.expect(c, FD_CONNECT);
            r.expect(c, FD_WRITE);
            r.quiet();
        });
    }

    @Test
    void b1_datagramConnectPostsConnectThenWrite() {
        scenario(r -> {
            long peer = r.socket("peer", SOCK_DGRAM);
            r.ok(r.ws2.bind(peer, loopback(0)), "bind");
            long u = r.socket("datagram", SOCK_DGRAM);
            r.select(u, FD_CONNECT | FD_WRITE);
            if (r.windows()) r.expect(u, FD_WRITE); // writable unbound
            r.quiet();
            r.ok(r.ws2.connect(u, r.ws2.getsockname(peer)), "connect");
            r.expect(u, FD_CONNECT);
            r.expect(u, FD_WRITE);
            r.quiet();
        });
    }

    // ---- B2: FD_CLOSE at once -------------------------------------------------------------------------

    @Test
    void b2_gracefulCloseWithUnreadData() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.send(p[0], "bye");
            r.close(p[0]);
            r.expect(p[1], FD_READ);
            if (r.windows()) r.expect(p[1], FD_CLOSE); // at once, the data still unread
            r.quiet();
            assertEquals("bye", r.recv(p[1], 16));
            if (!r.windows()) r.expect(p[1], FD_CLOSE); // the page: only after all data is read
            r.quiet();
            assertEquals("", r.recv(p[1], 1)); // end of stream
            r.quiet();
        });
    }

    @Test
    void b2_readingOnAfterCloseReportsTheRestAsData() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.send(p[0], "0123456789");
            r.ok(r.ws2.shutdown(p[0], SD_SEND), "shutdown");
            r.expect(p[1], FD_READ);
            if (r.windows()) r.expect(p[1], FD_CLOSE);
            r.awaitReadable(p[1], 10);
            assertEquals("01234", r.recv(p[1], 5));
            r.expect(p[1], FD_READ);
            assertEquals("56789", r.recv(p[1], 5));
            if (!r.windows()) r.expect(p[1], FD_CLOSE);
            r.quiet();
        });
    }

    @Test
    void b2_closeIsNotHeldWhenReadIsNotRegisteredEither() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_CLOSE);
            r.send(p[0], "data");
            r.close(p[0]);
            if (r.windows()) r.expect(p[1], FD_CLOSE);
            r.quiet();
            r.recvAll(p[1], 4);
            if (!r.windows()) r.expect(p[1], FD_CLOSE);
            r.quiet();
        });
    }

    // ---- B3: an abortive close is WSAECONNABORTED ----------------------------------------------------

    @Test
    void b3_resetIsCloseWithTheRulesCode_andAReselectPostsItAgain() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.ok(r.ws2.setLinger(p[0], true, 0), "SO_LINGER");
            r.close(p[0]);
            r.expect(p[1], FD_CLOSE, rules().resetError());
            r.quiet();
            r.select(p[1], FD_READ | FD_CLOSE);
            r.expect(p[1], FD_CLOSE, rules().resetError());
            r.quiet();
        });
    }

    @Test
    void b3_resetWithUnreadDataIsNotHeld() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.send(p[0], "x");
            r.expect(p[1], FD_READ);
            r.ok(r.ws2.setLinger(p[0], true, 0), "SO_LINGER");
            r.close(p[0]);
            r.expect(p[1], FD_CLOSE, rules().resetError());
            r.quiet();
        });
    }

    // ---- B4: a re-select re-posts what holds now -------------------------------------------------------

    @Test
    void b4_reselectRepostsReadOobWriteAndClose() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            int all = FD_READ | FD_OOB | FD_WRITE | FD_CLOSE | FD_CONNECT;
            r.select(p[1], all);
            if (!r.windows()) r.expect(p[1], FD_CONNECT);
            r.expect(p[1], FD_WRITE);
            r.send(p[0], "data");
            r.expect(p[1], FD_READ);
            r.sendOob(p[0], '!');
            r.expect(p[1], FD_OOB);
            r.ok(r.ws2.shutdown(p[0], SD_SEND), "shutdown");
            if (r.windows()) r.expect(p[1], FD_CLOSE);
            r.quiet();
            for (int round = 0; round < 2; round++) { // the same mask again, then 0 and the mask
                if (round == 1) r.ok(r.ws2.WSAAsyncSelect(p[1], r.hWnd, 0, 0), "cancel");
                r.select(p[1], all);
                if (r.windows()) {
                    r.expect(p[1], FD_READ);
                    r.expect(p[1], FD_OOB);
                    r.expect(p[1], FD_WRITE);
                    r.expect(p[1], FD_CLOSE);
                } else {
                    r.expect(p[1], FD_CONNECT);
                    r.expect(p[1], FD_WRITE);
                    r.expect(p[1], FD_READ);
                    r.expect(p[1], FD_OOB);
                }
                r.quiet();
            }
            r.select(p[1], FD_WRITE | FD_READ); // a new mask
            if (r.windows()) {
                r.expect(p[1], FD_READ);
                r.expect(p[1], FD_WRITE);
            } else {
                r.expect(p[1], FD_WRITE);
                r.expect(p[1], FD_READ);
            }
            r.quiet();
        });
    }

    @Test
    void b4_reselectOnAListenerRepostsAccept() {
        scenario(r -> {
            long l = r.listener("listener");
            r.select(l, FD_ACCEPT);
            long c = r.socket("client", SOCK_STREAM);
            r.ok(r.ws2.connect(c, r.ws2.getsockname(l)), "connect");
            r.expect(l, FD_ACCEPT);
            r.select(l, FD_ACCEPT);
            r.expect(l, FD_ACCEPT);
            r.quiet();
            r.accept("server", l);
            r.quiet();
        });
    }

    @Test
    void b4_reselectPostsNothingThatNoLongerHolds() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_WRITE);
            r.expect(p[1], FD_WRITE);
            r.send(p[0], "x");
            r.expect(p[1], FD_READ);
            r.recv(p[1], 1);
            r.quiet();
            r.select(p[1], FD_READ | FD_WRITE);
            r.expect(p[1], FD_WRITE);
            r.quiet();
        });
    }

    // ---- B5: FD_WRITE --------------------------------------------------------------------------------

    @Test
    void b5_noWriteAfterASuccessfulSend() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[0], FD_WRITE);
            r.expect(p[0], FD_WRITE);
            r.send(p[0], "data");
            r.quiet();
            r.send(p[0], "more");
            r.quiet();
        });
    }

    @Test
    void b5_shortSendPostsWriteWhenSpaceFrees() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.ok(r.ws2.setsockopt(p[0], SOL_SOCKET, SO_SNDBUF, 4096), "SO_SNDBUF");
            r.ok(r.ws2.setsockopt(p[1], SOL_SOCKET, SO_RCVBUF, 4096), "SO_RCVBUF");
            r.select(p[0], FD_WRITE);
            r.expect(p[0], FD_WRITE);
            byte[] big = new byte[1 << 20];
            int n = r.ws2.send(p[0], big, big.length, 0);
            assertTrue(n > 0 && n < big.length, () -> "a short send, not " + n + ": " + WsaError.describe(r.ws2.WSAGetLastError()));
            r.note("short send");
            drain(r, p[1], n); // space frees (some of it maybe before the drain: FD_WRITE may come at once)
            if (r.windows()) r.expect(p[0], FD_WRITE); // the send could not take all its data: one FD_WRITE
            r.quiet();
        });
    }

    @Test
    void b5_datagramSocketIsWritableAtRegistrationEvenUnbound() {
        scenario(r -> {
            long u = r.socket("datagram", SOCK_DGRAM);
            r.select(u, FD_WRITE);
            if (r.windows()) r.expect(u, FD_WRITE);
            r.quiet();
            r.ok(r.ws2.bind(u, loopback(0)), "bind");
            if (!r.windows()) r.expect(u, FD_WRITE); // the page: "a connectionless socket is always writable immediately after LPWSPBind"
            r.quiet();
            long v = r.socket("receiver", SOCK_DGRAM);
            r.ok(r.ws2.bind(v, loopback(0)), "bind");
            assertEquals(1, r.ws2.sendto(u, new byte[] {1}, 1, 0, r.ws2.getsockname(v)));
            r.quiet();
        });
    }

    @Test
    void b5_unboundDatagramSocketSendsAndStaysQuiet() {
        scenario(r -> {
            long v = r.socket("receiver", SOCK_DGRAM);
            r.ok(r.ws2.bind(v, loopback(0)), "bind");
            long u = r.socket("datagram", SOCK_DGRAM);
            r.select(u, FD_WRITE | FD_READ);
            if (r.windows()) r.expect(u, FD_WRITE);
            assertEquals(2, r.ws2.sendto(u, new byte[] {1, 2}, 2, 0, r.ws2.getsockname(v))); // binds it implicitly
            if (!r.windows()) r.expect(u, FD_WRITE); // the page: writable once bound
            r.quiet();
        });
    }

    // ---- B6: re-enabling receives ----------------------------------------------------------------------

    @Test
    void b6_peekReEnablesAndTheDataStillHolds() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            r.send(p[0], "peek");
            r.expect(p[1], FD_READ);
            r.awaitReadable(p[1], 4);
            assertEquals("peek", r.recv(p[1], 4, MSG_PEEK));
            r.expect(p[1], FD_READ);
            assertEquals("peek", r.recv(p[1], 4));
            r.quiet();
        });
    }

    @Test
    void b6_aRecvFailingWithABadBufferReenables() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            r.send(p[0], "abc");
            r.expect(p[1], FD_READ);
            r.awaitReadable(p[1], 3);
            r.fails(r.ws2.recv(p[1], new byte[1], 16, 0), WSAEFAULT, "recv into a buffer shorter than its length");
            r.expect(p[1], FD_READ); // the provider saw the call: FD_READ re-enabled, the data still there
            assertEquals("abc", r.recv(p[1], 3));
            r.quiet();
        });
    }

    @Test
    void b6_msgOobReenablesOob_aPlainRecvDoesNot() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_OOB);
            r.send(p[0], "ab");
            r.expect(p[1], FD_READ);
            r.sendOob(p[0], '!');
            r.expect(p[1], FD_OOB);
            r.awaitUrgent(p[1]);
            assertEquals("!", r.recv(p[1], 1, MSG_OOB | MSG_PEEK)); // the urgent byte still waits
            if (!r.windows()) r.expect(p[1], FD_READ); // the page: any receive re-enables FD_READ and FD_OOB
            r.expect(p[1], FD_OOB);
            r.quiet();
            assertEquals("a", r.recv(p[1], 1)); // before the mark: Linux would drop an urgent byte a receive passes
            r.expect(p[1], FD_READ);
            if (!r.windows()) r.expect(p[1], FD_OOB); // on Windows only MSG_OOB re-enables FD_OOB
            r.quiet();
            assertEquals("!", r.recv(p[1], 1, MSG_OOB));
            if (!r.windows()) r.expect(p[1], FD_READ); // "b" waits; on Windows MSG_OOB re-enables FD_OOB only
            r.quiet();
        });
    }

    @Test
    void b6_aPendingOverlappedRecvThatTakesTheDataMeansNoRead() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ);
            long event = r.event();
            MemorySegment buf = r.memory(16);
            MemorySegment ov = r.overlapped(event);
            r.fails(r.ws2.WSARecv(p[1], new MemorySegment[] {buf}, null, new int[] {0}, ov), WSA_IO_PENDING, "WSARecv");
            r.send(p[0], "hi");
            int[] n = {-1}, flags = {0};
            assertTrue(r.ws2.WSAGetOverlappedResult(p[1], ov, n, true, flags), () -> WsaError.describe(r.ws2.WSAGetLastError()));
            assertEquals(2, n[0]);
            r.note("overlapped recv took 2 bytes");
            r.quiet();
            r.send(p[0], "again"); // no receive waits now
            r.expect(p[1], FD_READ);
            r.quiet();
        });
    }

    // ---- B7: a local shutdown is not a close ----------------------------------------------------------

    @Test
    void b7_localShutdownReceiveIsNotAClose_thePeersShutdownIs() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.ok(r.ws2.shutdown(p[1], SD_RECEIVE), "shutdown(SD_RECEIVE)");
            r.quiet();
            r.ok(r.ws2.shutdown(p[0], SD_SEND), "peer's shutdown(SD_SEND)");
            r.expect(p[1], FD_CLOSE);
            r.quiet();
        });
    }

    @Test
    void b7_localShutdownBothIsNotAClose_thePeersCloseIs() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.ok(r.ws2.shutdown(p[1], SD_BOTH), "shutdown(SD_BOTH)");
            r.quiet();
            r.close(p[0]);
            r.expect(p[1], FD_CLOSE);
            r.quiet();
        });
    }

    @Test
    void b7_localShutdownSendThenThePeersClose() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.select(p[1], FD_READ | FD_CLOSE);
            r.ok(r.ws2.shutdown(p[1], SD_SEND), "shutdown(SD_SEND)");
            r.quiet();
            r.ok(r.ws2.shutdown(p[0], SD_SEND), "peer's shutdown(SD_SEND)");
            r.expect(p[1], FD_CLOSE);
            r.quiet();
        });
    }

    // ---- B8: order ---------------------------------------------------------------------------------

    @Test
    void b8_reselectPostsReadBeforeWrite() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.send(p[0], "x");
            r.awaitReadable(p[1], 1);
            r.select(p[1], FD_WRITE | FD_READ);
            if (r.windows()) {
                r.expect(p[1], FD_READ);
                r.expect(p[1], FD_WRITE);
            } else {
                r.expect(p[1], FD_WRITE);
                r.expect(p[1], FD_READ);
            }
            r.quiet();
        });
    }

    @Test
    void b8_datagramWaitingAtReselectReadBeforeWrite() {
        scenario(r -> {
            long u = r.socket("receiver", SOCK_DGRAM);
            r.ok(r.ws2.bind(u, loopback(0)), "bind");
            long v = r.socket("sender", SOCK_DGRAM);
            assertEquals(1, r.ws2.sendto(v, new byte[] {7}, 1, 0, r.ws2.getsockname(u)));
            r.awaitReadable(u, 1);
            r.select(u, FD_WRITE | FD_READ);
            if (r.windows()) {
                r.expect(u, FD_READ);
                r.expect(u, FD_WRITE);
            } else {
                r.expect(u, FD_WRITE);
                r.expect(u, FD_READ);
            }
            r.quiet();
        });
    }

    @Test
    void theRulesAreTheHosts() {
        scenario(r -> assertEquals(rules(), r.host.rules()));
    }

}
