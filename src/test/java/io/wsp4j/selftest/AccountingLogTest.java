package io.wsp4j.selftest;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the sample provider's log back and finding a child's exchanges in it, connection by connection. */
class AccountingLogTest {
    static final InetSocketAddress LISTENER = address("127.0.0.1", 40000);
    static final InetSocketAddress CLIENT = address("127.0.0.1", 50000);
    static final Exchange EXCHANGE = new Exchange("WSAAsyncSelect", LISTENER, CLIENT, 48, 59, 59, 48);

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static String conn(long pid, String peer, long in, long out) {
        return "2026-12-08T04:56:58.408Z pid=" + pid + " conn socket=0x40000004 peer=" + peer + " in=" + in + " out=" + out + " durationMs=5";
    }

    @Test
    void bothConnectionsOfAnExchangeAreFoundWithTheirBytes() {
        AccountingLog log = AccountingLog.parse(List.of(
                conn(7, "127.0.0.1:40000", 59, 48),
                conn(7, "127.0.0.1:50000", 48, 59),
                "2026-12-08T04:56:59Z pid=7 summary connections=2 open=0 in=107 out=107"));
        AccountingLog.Verdict v = log.check(7, List.of(EXCHANGE));
        assertTrue(v.ok(), v.problems().toString());
        assertEquals(2, v.matched().size());
    }

    @Test
    void wrongBytesAMissingConnectionOrAnotherProcessFail() {
        AccountingLog.Verdict wrongBytes = AccountingLog.parse(List.of(conn(7, "127.0.0.1:40000", 59, 47), conn(7, "127.0.0.1:50000", 48, 59)))
                .check(7, List.of(EXCHANGE));
        assertEquals(1, wrongBytes.problems().size(), wrongBytes.problems().toString());
        assertTrue(wrongBytes.problems().getFirst().contains("expected in=59 out=48"), wrongBytes.problems().toString());

        AccountingLog.Verdict missing = AccountingLog.parse(List.of(conn(7, "127.0.0.1:40000", 59, 48))).check(7, List.of(EXCHANGE));
        assertEquals(List.of("WSAAsyncSelect server: no connection with peer 127.0.0.1:50000"), missing.problems());

        AccountingLog.Verdict otherPid = AccountingLog.parse(List.of(conn(8, "127.0.0.1:40000", 59, 48), conn(8, "127.0.0.1:50000", 48, 59)))
                .check(7, List.of(EXCHANGE));
        assertFalse(otherPid.ok());
        assertTrue(otherPid.problems().contains("the log has no connection of pid 7 at all"), otherPid.problems().toString());
    }

    @Test
    void anIpv4MappedPeerOfADualStackSocketIsTheIpv4Address() {
        AccountingLog log = AccountingLog.parse(List.of(conn(7, "[0:0:0:0:0:ffff:7f00:1]:40000", 59, 48), conn(7, "127.0.0.1:50000", 48, 59)));
        assertTrue(log.check(7, List.of(EXCHANGE)).ok());
    }

    @Test
    void linesOfAnotherFormatAreNotCounted() {
        AccountingLog log = AccountingLog.parse(List.of("garbage", "pid=x conn peer=nowhere in=a out=b", conn(7, "127.0.0.1:40000", 1, 2)));
        assertEquals(1, log.of(7).size());
    }

    @Test
    void exchangesRoundTripThroughTheChildsReportLines() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Exchange iocp = new Exchange("IOCP/AcceptEx", address("::1", 1), address("0:0:0:0:0:0:0:1", 2), 1, 2, 2, 1);
        Exchange.print(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), List.of(EXCHANGE, iocp));
        ChildReport report = ChildReport.of("child", 1, 0, bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList(), List.of());
        assertEquals(List.of(EXCHANGE, iocp), Exchange.parse(report));
        assertTrue(EXCHANGE.complete());
        assertFalse(new Exchange("x", LISTENER, CLIENT, 48, 59, 58, 48).complete(), "the client missed a byte");
        assertThrows(IllegalArgumentException.class, () -> Exchange.parseAddress("localhost:80"), "numeric addresses only");
    }
}
