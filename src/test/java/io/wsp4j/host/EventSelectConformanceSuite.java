package io.wsp4j.host;

import static io.wsp4j.host.ScenarioRun.loopback;
import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.winsock.WsaError;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * WSAEventSelect and WSAEnumNetworkEvents as Windows behaves, through {@link Ws2} over real loopback TCP
 * and UDP: the records each scenario must see (with every iErrorCode slot of an unreported event left
 * as the application had it), and "nothing recorded" within a short bounded wait. Abstract over the
 * stack; a layered stack must record exactly what the base provider alone records ({@link ScenarioSuite}).
 * Event mode follows Windows whatever the host's {@link io.wsp4j.select.SelectRules}.
 */
public abstract class EventSelectConformanceSuite extends ScenarioSuite {
    /**
     * Waits for the event and enumerates until {@code events} were all reported (a peer's data and its
     * close may come as one record or two), and requires nothing else: in the transcript as one record.
     */
    protected static void expectRecords(ScenarioRun r, long s, long event, int events, int... errors) {
        NetworkEvents ne = new NetworkEvents();
        int seen = 0;
        int[] slots = new int[FD_MAX_EVENTS];
        long deadline = System.nanoTime() + ScenarioRun.MESSAGE_MILLIS * 1_000_000;
        while (seen != events && System.nanoTime() < deadline) {
            if (r.ws2.WSAWaitForMultipleEvents(new long[] {event}, false, 50, false) != Ws2.WSA_WAIT_EVENT_0) continue;
            r.ok(r.ws2.WSAEnumNetworkEvents(s, event, ne), "WSAEnumNetworkEvents");
            for (int bit = 0; bit < FD_MAX_EVENTS; bit++) if ((ne.lNetworkEvents & (1 << bit)) != 0) slots[bit] = ne.iErrorCode[bit];
            seen |= ne.lNetworkEvents;
        }
        StringBuilder got = new StringBuilder("records " + r.name(s) + " ");
        StringBuilder want = new StringBuilder("records " + r.name(s) + " ");
        int[] expected = new int[FD_MAX_EVENTS];
        for (int i = 0; i + 1 < errors.length; i += 2) expected[bitOf(errors[i])] = errors[i + 1];
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
            if ((seen & (1 << bit)) != 0) got.append(describe(1 << bit)).append('(').append(slots[bit]).append(") ");
            if ((events & (1 << bit)) != 0) want.append(describe(1 << bit)).append('(').append(expected[bit]).append(") ");
        }
        r.note(got.toString());
        assertEquals(want.toString(), got.toString());
    }

    // ---- FD_CONNECT -------------------------------------------------------------------------------

    @Test
    void theConnectingSideRecordsConnectAndWrite_evenAfterTheConnectFinished() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[0], e, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE);
            r.expectRecord(p[0], e, FD_CONNECT | FD_WRITE);
            r.noRecord(p[0], e);
        });
    }

    @Test
    void anAcceptedSocketRecordsWriteOnly() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_ALL_EVENTS);
            r.expectRecord(p[1], e, FD_WRITE);
            r.noRecord(p[1], e);
        });
    }

    @Test
    void aNonBlockingConnectRecordsConnectAndWrite() {
        scenario(r -> {
            long l = r.listener("listener");
            long c = r.socket("client", SOCK_STREAM);
            long e = r.event();
            r.eventSelect(c, e, FD_CONNECT | FD_WRITE);
            r.fails(r.ws2.connect(c, r.ws2.getsockname(l)), WSAEWOULDBLOCK, "connect");
            expectRecords(r, c, e, FD_CONNECT | FD_WRITE);
            r.noRecord(c, e);
        });
    }

    @Test
    void aRefusedConnectRecordsConnectWithTheError() {
        scenario(r -> {
            long l = r.listener("gone");
            InetSocketAddress dead = r.ws2.getsockname(l);
            r.close(l);
            long c = r.socket("client", SOCK_STREAM);
            long e = r.event();
            r.eventSelect(c, e, FD_CONNECT | FD_WRITE | FD_CLOSE);
            assertEquals(SOCKET_ERROR, r.ws2.connect(c, dead));
            int err = r.ws2.WSAGetLastError();
            assertTrue(err == WSAEWOULDBLOCK || err == WSAECONNREFUSED, WsaError.describe(err));
            r.expectRecord(c, e, FD_CONNECT, FD_CONNECT, WSAECONNREFUSED);
            r.noRecord(c, e);
        });
    }

    // ---- no re-signalling on re-select -------------------------------------------------------------

    @Test
    void aReselectSignalsNothingAlreadyReported() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[0], e, FD_CONNECT | FD_WRITE | FD_READ);
            r.expectRecord(p[0], e, FD_CONNECT | FD_WRITE);
            r.send(p[1], "x");
            r.expectRecord(p[0], e, FD_READ);
            r.eventSelect(p[0], e, FD_CONNECT | FD_WRITE | FD_READ);
            r.noRecord(p[0], e);
            long e2 = r.event();
            r.eventSelect(p[0], e2, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE); // another event object, another mask
            r.noRecord(p[0], e2);
        });
    }

    @Test
    void aReselectOnAListenerWithAConnectionWaitingSignalsNothingMore() {
        scenario(r -> {
            long l = r.listener("listener");
            long e = r.event();
            r.eventSelect(l, e, FD_ACCEPT);
            long c = r.socket("client", SOCK_STREAM);
            r.ok(r.ws2.connect(c, r.ws2.getsockname(l)), "connect");
            r.expectRecord(l, e, FD_ACCEPT);
            r.eventSelect(l, e, FD_ACCEPT);
            r.noRecord(l, e);
            r.accept("server", l);
            r.noRecord(l, e);
        });
    }

    // ---- new arrivals do signal -------------------------------------------------------------------

    @Test
    void newDataRecordsReadAgainWithoutARecv() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ);
            r.send(p[0], "a");
            r.expectRecord(p[1], e, FD_READ);
            r.awaitReadable(p[1], 1);
            r.send(p[0], "b");
            r.expectRecord(p[1], e, FD_READ);
            r.recvAll(p[1], 2);
            r.noRecord(p[1], e);
        });
    }

    @Test
    void aReceiveLeavingDataRecordsReadAgain() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ);
            r.send(p[0], "abcdef");
            r.expectRecord(p[1], e, FD_READ);
            r.awaitReadable(p[1], 6);
            r.recv(p[1], 3);
            r.expectRecord(p[1], e, FD_READ);
            r.recv(p[1], 3);
            r.noRecord(p[1], e);
        });
    }

    @Test
    void aSecondConnectionRecordsAcceptAgain() {
        scenario(r -> {
            long l = r.listener("listener");
            long e = r.event();
            r.eventSelect(l, e, FD_ACCEPT);
            long c1 = r.socket("client 1", SOCK_STREAM);
            r.ok(r.ws2.connect(c1, r.ws2.getsockname(l)), "connect 1");
            r.expectRecord(l, e, FD_ACCEPT);
            long c2 = r.socket("client 2", SOCK_STREAM);
            r.ok(r.ws2.connect(c2, r.ws2.getsockname(l)), "connect 2");
            r.expectRecord(l, e, FD_ACCEPT);
        });
    }

    @Test
    void newUrgentDataRecordsOob() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_OOB | FD_READ);
            r.sendOob(p[0], '!');
            r.expectRecord(p[1], e, FD_OOB);
            assertEquals("!", r.recv(p[1], 1, MSG_OOB));
            r.noRecord(p[1], e);
            r.sendOob(p[0], '#');
            r.expectRecord(p[1], e, FD_OOB);
        });
    }

    // ---- FD_WRITE once ------------------------------------------------------------------------------

    @Test
    void writeIsReportedOnce_withOrWithoutTheEventHandle() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[0], e, FD_WRITE);
            r.expectRecord(p[0], e, FD_WRITE);
            r.enumerate(p[0], e, 0);
            r.enumerate(p[0], 0, 0);
            r.send(p[0], "sent");
            r.noRecord(p[0], e);
            r.enumerate(p[0], 0, 0);
        });
    }

    @Test
    void aBoundDatagramSocketRecordsWriteOnce() {
        scenario(r -> {
            long u = r.socket("datagram", SOCK_DGRAM);
            r.ok(r.ws2.bind(u, loopback(0)), "bind");
            long e = r.event();
            r.eventSelect(u, e, FD_WRITE | FD_READ);
            r.expectRecord(u, e, FD_WRITE);
            r.enumerate(u, 0, 0);
            r.noRecord(u, e);
        });
    }

    @Test
    void aWouldBlockSendRecordsWriteWhenSpaceFrees() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            r.ok(r.ws2.setsockopt(p[0], SOL_SOCKET, SO_SNDBUF, 4096), "SO_SNDBUF");
            r.ok(r.ws2.setsockopt(p[1], SOL_SOCKET, SO_RCVBUF, 4096), "SO_RCVBUF");
            long e = r.event();
            r.eventSelect(p[0], e, FD_WRITE);
            r.expectRecord(p[0], e, FD_WRITE);
            byte[] chunk = new byte[8192];
            long sent = 0;
            int rc;
            while ((rc = r.ws2.send(p[0], chunk, chunk.length, 0)) != SOCKET_ERROR) sent += rc;
            assertEquals(WSAEWOULDBLOCK, r.ws2.WSAGetLastError());
            r.noRecord(p[0], e);
            AsyncSelectConformanceSuite.drain(r, p[1], sent);
            r.expectRecord(p[0], e, FD_WRITE);
            r.noRecord(p[0], e);
        });
    }

    // ---- WSAEnumNetworkEvents -----------------------------------------------------------------------

    @Test
    void enumerationLeavesEventsNotSelectedInTheRecord() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ); // the accepted socket's FD_WRITE is recorded, not selected
            r.noRecord(p[1], e);
            r.eventSelect(p[1], e, FD_WRITE);
            r.expectRecord(p[1], e, FD_WRITE); // it stayed in the record
            r.send(p[0], "x");
            r.awaitReadable(p[1], 1);
            r.noRecord(p[1], e); // recorded, not selected: no signal
            r.eventSelect(p[1], e, FD_READ);
            r.expectRecord(p[1], e, FD_READ);
        });
    }

    // ---- FD_CLOSE ---------------------------------------------------------------------------------

    @Test
    void aGracefulCloseIsRecordedAtOnceWithUnreadData() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ | FD_CLOSE);
            r.send(p[0], "bye");
            r.close(p[0]);
            expectRecords(r, p[1], e, FD_READ | FD_CLOSE);
            r.noRecord(p[1], e);
            assertEquals("bye", r.recv(p[1], 16));
            r.noRecord(p[1], e);
        });
    }

    @Test
    void aResetIsCloseWithConnAborted() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ | FD_CLOSE);
            r.ok(r.ws2.setLinger(p[0], true, 0), "SO_LINGER");
            r.close(p[0]);
            r.expectRecord(p[1], e, FD_CLOSE, FD_CLOSE, WSAECONNABORTED);
            r.noRecord(p[1], e);
        });
    }

    @Test
    void aLocalShutdownIsNotAClose_thePeersShutdownIs() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ | FD_CLOSE);
            r.ok(r.ws2.shutdown(p[1], SD_RECEIVE), "shutdown(SD_RECEIVE)");
            r.noRecord(p[1], e);
            r.ok(r.ws2.shutdown(p[0], SD_SEND), "peer's shutdown(SD_SEND)");
            r.expectRecord(p[1], e, FD_CLOSE);
            r.noRecord(p[1], e);
        });
    }

    @Test
    void aLocalShutdownOfBothIsNotAClose() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ | FD_CLOSE);
            r.ok(r.ws2.shutdown(p[1], SD_BOTH), "shutdown(SD_BOTH)");
            r.noRecord(p[1], e);
            r.close(p[0]);
            r.expectRecord(p[1], e, FD_CLOSE);
        });
    }

    // ---- UDP ----------------------------------------------------------------------------------------

    @Test
    void anUnboundDatagramSocketRecordsNothing_aConnectRecordsConnectAndWrite() {
        scenario(r -> {
            long peer = r.socket("peer", SOCK_DGRAM);
            r.ok(r.ws2.bind(peer, loopback(0)), "bind");
            long u = r.socket("datagram", SOCK_DGRAM);
            long e = r.event();
            r.eventSelect(u, e, FD_READ | FD_WRITE | FD_CONNECT);
            r.noRecord(u, e);
            r.ok(r.ws2.connect(u, r.ws2.getsockname(peer)), "connect");
            r.expectRecord(u, e, FD_CONNECT | FD_WRITE);
            r.noRecord(u, e);
        });
    }

    @Test
    void eachDatagramRecordsRead() {
        scenario(r -> {
            long u = r.socket("receiver", SOCK_DGRAM);
            r.ok(r.ws2.bind(u, loopback(0)), "bind");
            long e = r.event();
            r.eventSelect(u, e, FD_READ);
            long v = r.socket("sender", SOCK_DGRAM);
            assertEquals(1, r.ws2.sendto(v, new byte[] {1}, 1, 0, r.ws2.getsockname(u)));
            r.expectRecord(u, e, FD_READ);
            r.awaitReadable(u, 1);
            assertEquals(2, r.ws2.sendto(v, new byte[] {2, 3}, 2, 0, r.ws2.getsockname(u)));
            r.expectRecord(u, e, FD_READ);
        });
    }

    @Test
    void aMessageRegistrationEndsTheRecordsSignalling() {
        scenario(r -> {
            long[] p = r.pair("client", "server");
            long e = r.event();
            r.eventSelect(p[1], e, FD_READ);
            r.select(p[1], FD_READ);
            r.send(p[0], "x");
            r.expect(p[1], FD_READ);
            r.noRecord(p[1], e);
        });
    }
}
