package io.wsp4j.host;

import static io.wsp4j.host.ScenarioRun.loopback;
import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.winsock.WsaError;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The racy cases of the conformance suites, repeated until a race would show: the outcome of a connect
 * against the dispatcher and a concurrent SO_ERROR read, datagrams and receives, a peer's close or reset
 * racing its data, a registration racing the report of what holds, an overlapped receive racing the
 * data's report. Every socket stays open until the end, so a late (wrong or extra) message of one round
 * is caught by a later round's expectation or by the final "no message" wait instead of being dropped
 * by closesocket. Abstract over the stack, as the conformance suites; a layered stack must see, round
 * for round, what the base provider alone shows.
 */
public abstract class AsyncSelectStressSuite extends ScenarioSuite {
    protected static final int ROUNDS = 200;
    protected static final int UDP_ROUNDS = 500;

    /** A refused connect reports FD_CONNECT with WSAECONNREFUSED, never success, and nothing else. */
    @Test
    void refusedConnectIsReportedAsRefusedEveryTime() {
        scenario(r -> {
            for (int round = 0; round < ROUNDS; round++) {
                InetSocketAddress dead = AsyncSelectConformanceSuite.deadAddress(r);
                long c = r.socket("client " + round, SOCK_STREAM);
                r.select(c, FD_CONNECT | FD_WRITE | FD_CLOSE);
                assertEquals(SOCKET_ERROR, r.ws2.connect(c, dead), "round " + round + ": connect to a closed port succeeded");
                int e = r.ws2.WSAGetLastError();
                assertTrue(e == WSAEWOULDBLOCK || e == WSAECONNREFUSED, WsaError.describe(e));
                r.expect(c, FD_CONNECT, WSAECONNREFUSED);
            }
            r.quiet();
        });
    }

    /**
     * The application reads SO_ERROR while its refused connect finishes (Linux clears SO_ERROR when it
     * is read): it sees no error or the refusal, and FD_CONNECT still carries the refusal.
     */
    @Test
    void readingSoErrorDoesNotTakeTheOutcomeFromConnect() {
        scenario(r -> {
            int[] value = {0};
            for (int round = 0; round < ROUNDS; round++) {
                InetSocketAddress dead = AsyncSelectConformanceSuite.deadAddress(r);
                long c = r.socket("client " + round, SOCK_STREAM);
                r.select(c, FD_CONNECT | FD_WRITE | FD_CLOSE);
                assertEquals(SOCKET_ERROR, r.ws2.connect(c, dead), "round " + round + ": connect to a closed port succeeded");
                r.ok(r.ws2.getsockopt(c, SOL_SOCKET, SO_ERROR, value), "getsockopt(SO_ERROR)");
                int seen = value[0];
                assertTrue(seen == 0 || seen == WSAECONNREFUSED, "round " + round + ": SO_ERROR " + WsaError.describe(seen));
                r.expect(c, FD_CONNECT, WSAECONNREFUSED);
            }
            r.quiet();
        });
    }

    /** Two datagrams: FD_READ, recv, FD_READ (one still waits), recv, and then no more FD_READ. */
    @Test
    void udpReadIsPostedOnlyWhileDatagramsWait() {
        scenario(r -> {
            byte[] d = {1, 2, 3};
            byte[] b = new byte[16];
            InetSocketAddress[] from = new InetSocketAddress[1];
            for (int round = 0; round < UDP_ROUNDS; round++) {
                long u = r.socket("receiver " + round, SOCK_DGRAM);
                r.ok(r.ws2.bind(u, loopback(0)), "bind");
                r.select(u, FD_READ);
                long v = r.socket("sender " + round, SOCK_DGRAM);
                assertEquals(3, r.ws2.sendto(v, d, 3, 0, r.ws2.getsockname(u)));
                assertEquals(2, r.ws2.sendto(v, d, 2, 0, r.ws2.getsockname(u)));
                r.expect(u, FD_READ);
                assertEquals(3, r.ws2.recvfrom(u, b, 16, 0, from));
                r.expect(u, FD_READ);
                assertEquals(2, r.ws2.recvfrom(u, b, 16, 0, from));
                r.close(v);
            }
            r.quiet();
        });
    }

    /** A non-blocking connect: FD_CONNECT, then FD_WRITE, once each. */
    @Test
    void aConnectPostsConnectThenWriteEveryTime() {
        scenario(r -> {
            long l = r.listener("listener");
            for (int round = 0; round < ROUNDS; round++) {
                long c = r.socket("client " + round, SOCK_STREAM);
                r.select(c, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE);
                r.fails(r.ws2.connect(c, r.ws2.getsockname(l)), WSAEWOULDBLOCK, "connect");
                r.expect(c, FD_CONNECT);
                r.expect(c, FD_WRITE);
                r.accept("server " + round, l);
            }
            r.quiet();
        });
    }

    /** A socket accepted from a listener registered for FD_CONNECT too: FD_WRITE only, every time. */
    @Test
    void anAcceptedSocketGetsWriteAndNeverConnect() {
        scenario(r -> {
            long l = r.listener("listener");
            r.select(l, FD_ACCEPT | FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE);
            for (int round = 0; round < ROUNDS; round++) {
                long c = r.socket("client " + round, SOCK_STREAM);
                r.ok(r.ws2.connect(c, r.ws2.getsockname(l)), "connect");
                r.expect(l, FD_ACCEPT);
                long a = r.accept("server " + round, l);
                r.expect(a, FD_WRITE);
            }
            r.quiet();
        });
    }

    /** A registration after a blocking connect: FD_WRITE (and by the page FD_CONNECT), every time. */
    @Test
    void aRegistrationAfterABlockingConnectPostsWhatHolds() {
        scenario(r -> {
            for (int round = 0; round < ROUNDS; round++) {
                long[] p = r.pair("client " + round, "server " + round);
                r.select(p[0], FD_CONNECT | FD_WRITE | FD_READ);
                if (!r.windows()) r.expect(p[0], FD_CONNECT);
                r.expect(p[0], FD_WRITE);
            }
            r.quiet();
        });
    }

    /** Data, then the peer's close: FD_READ then FD_CLOSE (on Windows at once), however they arrive. */
    @Test
    void dataThenCloseIsReadThenClose() {
        scenario(r -> {
            for (int round = 0; round < ROUNDS; round++) {
                long[] p = r.pair("client " + round, "server " + round);
                r.select(p[1], FD_READ | FD_CLOSE);
                r.send(p[0], "bye");
                r.close(p[0]);
                r.expect(p[1], FD_READ);
                if (r.windows()) r.expect(p[1], FD_CLOSE);
                assertEquals("bye", r.recv(p[1], 16));
                if (!r.windows()) r.expect(p[1], FD_CLOSE);
            }
            r.quiet();
        });
    }

    /** The peer's reset: FD_CLOSE with the rules' code, every time. */
    @Test
    void aResetIsCloseWithTheRulesCodeEveryTime() {
        scenario(r -> {
            for (int round = 0; round < ROUNDS; round++) {
                long[] p = r.pair("client " + round, "server " + round);
                r.select(p[1], FD_READ | FD_CLOSE);
                r.ok(r.ws2.setLinger(p[0], true, 0), "SO_LINGER");
                r.close(p[0]);
                r.expect(p[1], FD_CLOSE, rules().resetError());
            }
            r.quiet();
        });
    }

    /** Data waits when the socket is registered: what holds is posted in the rules' order, every time. */
    @Test
    void aRegistrationPostsTheDataThatWaitsInOrder() {
        scenario(r -> {
            for (int round = 0; round < ROUNDS; round++) {
                long[] p = r.pair("client " + round, "server " + round);
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
            }
            r.quiet();
        });
    }

    /** In event mode each arrival of data is recorded, however it races the look the record is read with. */
    @Test
    void eachArrivalIsRecordedEveryTime() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ);
            for (int round = 0; round < ROUNDS; round++) {
                r.send(p[0], "x");
                r.expectRecord(p[1], e, FD_READ);
                assertEquals("x", r.recv(p[1], 1));
            }
            r.noRecord(p[1], e);
        });
    }

    /** An overlapped receive waiting when data arrives takes it: no FD_READ for it, every time. */
    @Test
    void anOverlappedReceiveThatTakesTheDataMeansNoRead() {
        scenario(r -> {
            for (int round = 0; round < ROUNDS; round++) {
                long[] p = r.pair("client " + round, "server " + round);
                r.select(p[1], FD_READ);
                MemorySegment buf = r.memory(16);
                MemorySegment ov = r.overlapped(0);
                r.fails(r.ws2.WSARecv(p[1], new MemorySegment[] {buf}, null, new int[] {0}, ov), WSA_IO_PENDING, "WSARecv");
                r.send(p[0], "hi");
                int[] n = {-1}, flags = {0};
                assertTrue(r.ws2.WSAGetOverlappedResult(p[1], ov, n, true, flags), () -> WsaError.describe(r.ws2.WSAGetLastError()));
                assertEquals(2, n[0]);
                r.send(p[0], "again");
                r.expect(p[1], FD_READ);
            }
            r.quiet();
        });
    }
}
