package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings.LPWSAOVERLAPPED_COMPLETION_ROUTINE;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.WsaError;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Overlapped I/O as an application sees it through {@link Ws2}, over real loopback TCP: requests that
 * complete at once and later, their event, {@code WSAGetOverlappedResult}, completion-port packets, the
 * low-order bit of hEvent, closesocket and a peer's reset, ordering. Abstract over the stack: the base
 * provider alone, or a layered provider on top (which then completes its non-IFS handles' requests
 * with WPUCompleteOverlappedRequest). Waits are bounded and on conditions; "nothing happened" is a
 * short bounded wait.
 */
public abstract class OverlappedConformanceSuite extends HostSuite {

    // ---- helpers --------------------------------------------------------------------------------

    protected MemorySegment buffer(int size) {
        return arena.allocate(size);
    }

    /** An overlapped WSARecv into {@code buf} that must go pending. */
    protected void recvPending(long s, MemorySegment buf, MemorySegment ov) {
        int[] flags = {0};
        assertEquals(SOCKET_ERROR, ws2.WSARecv(s, new MemorySegment[] {buf}, null, flags, ov), "pending");
        assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
    }

    /** Waits until {@code bytes} have arrived at {@code s} (FIONREAD), without taking them. */
    protected void awaitReadable(long s, int bytes) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        int[] n = {0};
        while (System.nanoTime() < deadline) {
            ok(ws2.ioctlsocket(s, Ioctls.FIONREAD, n), "FIONREAD");
            if (n[0] >= bytes) return;
            Thread.onSpinWait();
        }
        throw new AssertionError("only " + n[0] + " of " + bytes + " bytes arrived");
    }

    // ---- receives ------------------------------------------------------------------------------

    @Test
    void pendingReceiveCompletesWhenThePeerWrites() {
        long[] p = connectedPair();
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment buf = buffer(64);
        recvPending(p[0], buf, ov);
        assertNotSignalled(e);
        send(p[1], "hello");
        awaitSignalled(e);
        assertEquals(5, result(p[0], ov));
        assertEquals("hello", text(buf, 5));
    }

    @Test
    void receiveThatCompletesAtOnceReturnsZeroAndStillSignalsAndQueues() {
        long[] p = connectedPair();
        long e = event();
        long port = port();
        associate(p[0], port, 7);
        send(p[1], "ready");
        awaitReadable(p[0], 5);
        MemorySegment ov = overlapped(e);
        MemorySegment buf = buffer(64);
        int[] received = {-1}, flags = {0};
        ok(ws2.WSARecv(p[0], new MemorySegment[] {buf}, received, flags, ov), "WSARecv");
        assertEquals(5, received[0]);
        assertEquals("ready", text(buf, 5));
        awaitSignalled(e);
        QueuedCompletion c = packet(port);
        assertEquals(new QueuedCompletion(7, ov.address(), 5, 0), c);
        assertEquals(5, result(p[0], ov));
    }

    @Test
    void scatteredReceiveFillsTheBuffersInOrder() {
        long[] p = connectedPair();
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment first = buffer(3), second = buffer(8);
        int[] flags = {0};
        assertEquals(SOCKET_ERROR, ws2.WSARecv(p[0], new MemorySegment[] {first, second}, null, flags, ov));
        assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError());
        send(p[1], "abcdefg");
        awaitSignalled(e);
        assertEquals(7, result(p[0], ov));
        assertEquals("abc", text(first, 3));
        assertEquals("defg", text(second, 4));
    }

    // ---- ordinary (non-overlapped) calls over several buffers: gathered and scattered per call ----------

    @Test
    void ordinaryScatteredReceiveFillsTheBuffersInOrder() {
        long[] p = connectedPair();
        send(p[1], "abcdefg");
        awaitReadable(p[0], 7);
        MemorySegment first = buffer(3), second = buffer(8);
        int[] received = {-1}, flags = {0};
        ok(ws2.WSARecv(p[0], new MemorySegment[] {first, second}, received, flags, MemorySegment.NULL), "WSARecv");
        assertEquals(7, received[0]);
        assertEquals("abc", text(first, 3));
        assertEquals("defg", text(second, 4));
    }

    @Test
    void ordinaryGatheredSendSendsTheBuffersInOrder() {
        long[] p = connectedPair();
        MemorySegment first = arena.allocateFrom("abc").asSlice(0, 3), second = arena.allocateFrom("defg").asSlice(0, 4);
        int[] sent = {-1};
        ok(ws2.WSASend(p[0], new MemorySegment[] {first, second}, sent, 0, MemorySegment.NULL), "WSASend");
        assertEquals(7, sent[0]);
        awaitReadable(p[1], 7);
        byte[] got = new byte[16];
        assertEquals(7, ws2.recv(p[1], got, got.length, 0));
        assertEquals("abcdefg", new String(got, 0, 7, StandardCharsets.US_ASCII));
    }

    @Test
    void ordinaryScatteredReceiveFromReportsTheSender() {
        long sender = datagramSocket(), receiver = datagramSocket();
        MemorySegment gram = arena.allocateFrom("gram").asSlice(0, 4);
        int[] sent = {-1};
        ok(ws2.WSASendTo(sender, new MemorySegment[] {gram.asSlice(0, 1), gram.asSlice(1, 3)}, sent, 0,
                ws2.getsockname(receiver), MemorySegment.NULL), "WSASendTo");
        assertEquals(4, sent[0]);
        awaitReadable(receiver, 4);
        MemorySegment first = buffer(2), second = buffer(8);
        MemorySegment from = buffer((int) SocketAddresses.IPV6_LENGTH);
        MemorySegment fromLen = arena.allocateFrom(JAVA_INT, (int) from.byteSize());
        int[] received = {-1}, flags = {0};
        ok(ws2.WSARecvFrom(receiver, new MemorySegment[] {first, second}, received, flags, from, fromLen,
                MemorySegment.NULL), "WSARecvFrom");
        assertEquals(4, received[0]);
        assertEquals("gr", text(first, 2));
        assertEquals("am", text(second, 2));
        assertEquals(ws2.getsockname(sender), SocketAddresses.read(from, fromLen.get(JAVA_INT, 0)).orElseThrow());
    }

    /** Larger than a thread's gather buffer: the call gathers into (and scatters from) memory of its own. */
    private static final int LARGE = 3 * 40_000;

    @Test
    void largeGatheredSendAndScatteredReceiveKeepTheBytesInOrder() throws Exception {
        long[] p = connectedPair();
        MemorySegment out = buffer(LARGE);
        for (int i = 0; i < LARGE; i++) out.set(JAVA_BYTE, i, (byte) (i * 31 + i / 251));
        MemorySegment[] outParts = {out.asSlice(0, 40_000), out.asSlice(40_000, 40_000), out.asSlice(80_000, 40_000)};
        // A blocking send of all of it, while this thread receives.
        CompletableFuture<Integer> sending = CompletableFuture.supplyAsync(() -> {
            int[] sent = {-1};
            return ws2.WSASend(p[0], outParts, sent, 0, MemorySegment.NULL) == 0 ? sent[0] : -ws2.WSAGetLastError();
        });
        MemorySegment in = buffer(LARGE);
        long got = 0;
        while (got < LARGE) {
            MemorySegment rest = in.asSlice(got);
            long half = rest.byteSize() / 2;
            MemorySegment[] inParts = half == 0 ? new MemorySegment[] {rest} : new MemorySegment[] {rest.asSlice(0, half), rest.asSlice(half)};
            int[] received = {-1}, flags = {0};
            ok(ws2.WSARecv(p[1], inParts, received, flags, MemorySegment.NULL), "WSARecv");
            assertTrue(received[0] > 0, "the connection stays open");
            got += received[0];
        }
        assertEquals(LARGE, sending.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(-1, in.mismatch(out), "the bytes arrive as sent, in order");
    }

    @Test
    void twoPendingReceivesCompleteInOrderWithTheBytesInOrder() {
        long[] p = connectedPair();
        long port = port();
        associate(p[0], port, 1);
        MemorySegment ov1 = overlapped(0), ov2 = overlapped(0);
        MemorySegment b1 = buffer(4), b2 = buffer(4);
        recvPending(p[0], b1, ov1);
        recvPending(p[0], b2, ov2);
        send(p[1], "abcdefgh");
        assertEquals(ov1.address(), packet(port).overlapped(), "the first request completes first");
        assertEquals(ov2.address(), packet(port).overlapped());
        assertEquals("abcd", text(b1, result(p[0], ov1)));
        assertEquals("efgh", text(b2, result(p[0], ov2)));
    }

    @Test
    void ordinaryReceiveDoesNotOvertakePendingOverlappedReceives() {
        long[] p = connectedPair();
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment buf = buffer(4);
        recvPending(p[0], buf, ov);
        int[] nonBlocking = {1};
        ok(ws2.ioctlsocket(p[0], Ioctls.FIONBIO, nonBlocking), "FIONBIO");
        byte[] b = new byte[16];
        assertEquals(SOCKET_ERROR, ws2.recv(p[0], b, b.length, 0), "nothing is there for it yet");
        assertEquals(WSAEWOULDBLOCK, ws2.WSAGetLastError());
        send(p[1], "abcdef");
        awaitSignalled(e);
        assertEquals("abcd", text(buf, result(p[0], ov)), "the overlapped receive got the first bytes");
        awaitReadable(p[0], 2);
        assertEquals(2, ws2.recv(p[0], b, b.length, 0));
        assertEquals("ef", new String(b, 0, 2, StandardCharsets.US_ASCII));
    }

    @Test
    void blockingReceiveWaitsBehindPendingOverlappedReceives() throws Exception {
        long[] p = connectedPair();
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment buf = buffer(4);
        recvPending(p[0], buf, ov);
        CompletableFuture<String> blocking = CompletableFuture.supplyAsync(() -> {
            byte[] b = new byte[16];
            int n = ws2.recv(p[0], b, b.length, 0);
            return n < 0 ? "error " + ws2.WSAGetLastError() : new String(b, 0, n, StandardCharsets.US_ASCII);
        });
        send(p[1], "abcdef");
        assertEquals("ef", blocking.get(WAIT_MILLIS, TimeUnit.MILLISECONDS), "the blocking receive gets what is left");
        awaitSignalled(e);
        assertEquals("abcd", text(buf, result(p[0], ov)));
    }

    @Test
    void gracefulCloseCompletesAPendingReceiveWithZeroBytes() {
        long[] p = connectedPair();
        long e = event();
        MemorySegment ov = overlapped(e);
        recvPending(p[0], buffer(16), ov);
        close(p[1]);
        awaitSignalled(e);
        assertEquals(0, result(p[0], ov));
    }

    @Test
    void peerResetCompletesAPendingReceiveWithTheError() {
        long[] p = connectedPair();
        long e = event();
        long port = port();
        associate(p[0], port, 3);
        MemorySegment ov = overlapped(e);
        recvPending(p[0], buffer(16), ov);
        ok(ws2.setLinger(p[1], true, 0), "SO_LINGER 0");
        close(p[1]); // abortive: RST
        awaitSignalled(e);
        int[] n = {-1}, flags = {-1};
        assertFalse(ws2.WSAGetOverlappedResult(p[0], ov, n, false, flags));
        assertEquals(WSAECONNRESET, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
        QueuedCompletion c = packet(port);
        assertEquals(WSAECONNRESET, c.error());
        assertEquals(ov.address(), c.overlapped());
    }

    @Test
    void closesocketAbortsPendingRequestsWithOperationAborted() {
        long[] p = connectedPair();
        long e = event();
        long port = port();
        associate(p[0], port, 9);
        MemorySegment ov = overlapped(e);
        recvPending(p[0], buffer(16), ov);
        close(p[0]);
        awaitSignalled(e);
        assertEquals(new QueuedCompletion(9, ov.address(), 0, WSA_OPERATION_ABORTED), packet(port));
    }

    @Test
    void datagramReceiveFromGetsTheDatagramAndItsSender() {
        long receiver = datagramSocket(), sender = datagramSocket();
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment buf = buffer(32);
        MemorySegment from = arena.allocate(SockAddrs.MAX_SIZE);
        MemorySegment fromLen = arena.allocate(JAVA_INT);
        fromLen.set(JAVA_INT, 0, (int) SockAddrs.MAX_SIZE);
        int[] flags = {0};
        assertEquals(SOCKET_ERROR, ws2.WSARecvFrom(receiver, new MemorySegment[] {buf}, null, flags, from, fromLen, ov));
        assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError());
        long sendEvent = event();
        MemorySegment sendOv = overlapped(sendEvent);
        MemorySegment data = arena.allocateFrom("gram", StandardCharsets.US_ASCII).asSlice(0, 4);
        int[] sent = {-1};
        int rc = ws2.WSASendTo(sender, new MemorySegment[] {data}, sent, 0, ws2.getsockname(receiver), sendOv);
        assertTrue(rc == 0 || ws2.WSAGetLastError() == WSA_IO_PENDING, () -> WsaError.describe(ws2.WSAGetLastError()));
        awaitSignalled(sendEvent);
        assertEquals(4, result(sender, sendOv));
        awaitSignalled(e);
        assertEquals("gram", text(buf, result(receiver, ov)));
        assertEquals(ws2.getsockname(sender), SocketAddresses.read(from, fromLen.get(JAVA_INT, 0)).orElseThrow());
    }

    protected long datagramSocket() {
        long s = adopt(ws2.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), "socket");
        ok(ws2.bind(s, loopback(0)), "bind");
        return s;
    }

    // ---- WSAGetOverlappedResult --------------------------------------------------------------------

    @Test
    void getOverlappedResultWithoutWaitingReportsIoIncomplete() {
        long[] p = connectedPair();
        MemorySegment ov = overlapped(event());
        recvPending(p[0], buffer(16), ov);
        int[] n = {-1}, flags = {-1};
        assertFalse(ws2.WSAGetOverlappedResult(p[0], ov, n, false, flags));
        assertEquals(WSA_IO_INCOMPLETE, ws2.WSAGetLastError());
    }

    @Test
    void getOverlappedResultWithWaitWaitsForTheEvent() throws Exception {
        waitsForCompletion(event());
    }

    @Test
    void getOverlappedResultWithWaitWaitsWithoutAnEvent() throws Exception {
        waitsForCompletion(0);
    }

    private void waitsForCompletion(long hEvent) throws Exception {
        long[] p = connectedPair();
        MemorySegment ov = overlapped(hEvent);
        MemorySegment buf = buffer(16);
        recvPending(p[0], buf, ov);
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
            int[] n = {-1}, flags = {-1};
            return ws2.WSAGetOverlappedResult(p[0], ov, n, true, flags) ? n[0] : -ws2.WSAGetLastError();
        });
        assertThrows(TimeoutException.class, () -> waiter.get(QUIET_MILLIS, TimeUnit.MILLISECONDS), "it waits");
        send(p[1], "late");
        assertEquals(4, waiter.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals("late", text(buf, 4));
    }

    // ---- sends ----------------------------------------------------------------------------------

    @Test
    void overlappedIoctlThatCompletesAtOnceStillSignalsAndQueues() {
        long[] p = connectedPair();
        send(p[1], "abc");
        awaitReadable(p[0], 3);
        long port = port();
        associate(p[0], port, 11);
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment out = buffer(4);
        int[] returned = {-1};
        ok(ws2.WSAIoctl(p[0], Ioctls.FIONREAD, MemorySegment.NULL, out, returned, ov), "WSAIoctl(FIONREAD, overlapped)");
        assertEquals(3, out.get(java.lang.foreign.ValueLayout.JAVA_INT, 0), "FIONREAD's answer");
        awaitSignalled(e);
        assertEquals(4, result(p[0], ov), "the bytes written to the output buffer");
        QueuedCompletion c = packet(port);
        assertEquals(11, c.key());
        assertEquals(ov.address(), c.overlapped());
    }

    @Test
    void sendCompletesAndThePeerGetsTheBytes() {
        long[] p = connectedPair();
        long e = event();
        MemorySegment ov = overlapped(e);
        MemorySegment data = arena.allocateFrom("ping", StandardCharsets.US_ASCII).asSlice(0, 4);
        int[] sent = {-1};
        int rc = ws2.WSASend(p[0], new MemorySegment[] {data}, sent, 0, ov);
        assertTrue(rc == 0 || ws2.WSAGetLastError() == WSA_IO_PENDING, () -> WsaError.describe(ws2.WSAGetLastError()));
        awaitSignalled(e);
        assertEquals(4, result(p[0], ov));
        byte[] b = new byte[8];
        assertEquals(4, ws2.recv(p[1], b, b.length, 0));
        assertEquals("ping", new String(b, 0, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void largeSendPendsUntilThePeerReadsAndCompletesWithAllItsBytes() {
        long[] p = connectedPair();
        long e = event();
        MemorySegment ov = overlapped(e);
        int size = 32 << 20; // more than loopback's socket buffers hold
        MemorySegment data = buffer(size);
        for (int i = 0; i < size; i += 4096) data.set(JAVA_BYTE, i, (byte) (i >>> 12));
        int[] sent = {-1};
        assertEquals(SOCKET_ERROR, ws2.WSASend(p[0], new MemorySegment[] {data}, sent, 0, ov));
        assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError());
        assertNotSignalled(e);
        byte[] b = new byte[1 << 16];
        byte[] got = new byte[size / 4096];
        int total = 0;
        while (total < size) {
            int n = ws2.recv(p[1], b, b.length, 0);
            assertTrue(n > 0, () -> "recv: " + WsaError.describe(ws2.WSAGetLastError()));
            for (int i = 0; i < n; i++) if ((total + i) % 4096 == 0) got[(total + i) / 4096] = b[i];
            total += n;
        }
        awaitSignalled(e);
        assertEquals(size, result(p[0], ov));
        byte[] want = new byte[size / 4096];
        for (int i = 0; i < want.length; i++) want[i] = (byte) i;
        assertArrayEquals(want, got, "the bytes arrive in order");
    }

    // ---- completion ports ------------------------------------------------------------------------

    @Test
    void completionPortDeliversTheKeyAndTheOverlappedAddress() {
        long[] p = connectedPair();
        long port = port();
        associate(p[0], port, 0x1234_5678_9AL);
        MemorySegment ov = overlapped(0);
        recvPending(p[0], buffer(16), ov);
        send(p[1], "data");
        assertEquals(new QueuedCompletion(0x1234_5678_9AL, ov.address(), 4, 0), packet(port));
    }

    @Test
    void lowOrderBitOfHEventSuppressesThePacket() {
        long[] p = connectedPair();
        long port = port();
        associate(p[0], port, 5);
        long e = event();
        MemorySegment ov = overlapped(e | 1);
        recvPending(p[0], buffer(16), ov);
        send(p[1], "quiet");
        awaitSignalled(e); // the packet, had there been one, was queued before the event was set
        assertNull(ws2.GetQueuedCompletionStatus(port, 0), "no packet");
        assertEquals(WinApi.WAIT_TIMEOUT(), ws2.WSAGetLastError());
        assertEquals(5, result(p[0], ov));
    }

    @Test
    void aSocketIsAssociatedWithOnePortOnly() {
        long[] p = connectedPair();
        long first = port(), second = port();
        associate(p[0], first, 1);
        assertEquals(0, ws2.CreateIoCompletionPort(p[0], second, 2));
        assertEquals(WinApi.ERROR_INVALID_PARAMETER(), ws2.WSAGetLastError());
    }

    @Test
    void postedPacketsAndTimeouts() {
        long port = port();
        assertNull(ws2.GetQueuedCompletionStatus(port, 0));
        assertEquals(WinApi.WAIT_TIMEOUT(), ws2.WSAGetLastError());
        assertTrue(ws2.PostQueuedCompletionStatus(port, 12, 34, 56));
        assertEquals(new QueuedCompletion(34, 56, 12, 0), packet(port));
    }

    @Test
    void closingThePortReleasesAWaiter() throws Exception {
        long port = port();
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() ->
                ws2.GetQueuedCompletionStatus(port, Ws2.WSA_INFINITE) == null ? ws2.WSAGetLastError() : 0);
        assertThrows(TimeoutException.class, () -> waiter.get(QUIET_MILLIS, TimeUnit.MILLISECONDS), "it waits");
        assertTrue(closePort(port));
        assertEquals(WinApi.ERROR_ABANDONED_WAIT_0(), waiter.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
    }

    // ---- completion routines (APCs) ------------------------------------------------------------------

    /** One call of the test's completion routine: its arguments, and the thread it ran on. */
    protected record RoutineCall(int error, int bytes, long overlapped, int flags, Thread thread) {}

    protected final ConcurrentLinkedQueue<RoutineCall> routineCalls = new ConcurrentLinkedQueue<>();

    /** An LPWSAOVERLAPPED_COMPLETION_ROUTINE recording its calls in {@link #routineCalls}. */
    protected MemorySegment completionRoutine() {
        return LPWSAOVERLAPPED_COMPLETION_ROUTINE.allocate((error, bytes, ov, flags) -> {
            try {
                routineCalls.add(new RoutineCall(error, bytes, ov.address(), flags, Thread.currentThread()));
            } catch (Throwable t) {
                // an upcall must not throw; the test sees the missing call
            }
        }, arena);
    }

    @Test
    void completionRoutineRunsOnTheCallingThreadInAnAlertableWaitOnly() {
        long[] p = connectedPair();
        MemorySegment ov = overlapped(0);
        MemorySegment buf = buffer(16);
        int[] flags = {0};
        assertEquals(SOCKET_ERROR, ws2.WSARecv(p[0], new MemorySegment[] {buf}, null, flags, ov, completionRoutine()));
        assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError());
        send(p[1], "apc!");
        assertEquals(0, ws2.SleepEx(QUIET_MILLIS, false));
        assertTrue(routineCalls.isEmpty(), "no APC runs in a non-alertable wait");
        assertEquals(Ws2.WSA_WAIT_IO_COMPLETION, ws2.SleepEx(WAIT_MILLIS, true));
        assertEquals(new RoutineCall(0, 4, ov.address(), 0, Thread.currentThread()), routineCalls.poll());
        assertEquals("apc!", text(buf, 4));
        assertEquals(4, result(p[0], ov));
    }

    @Test
    void completionRoutineOfARequestThatCompletesAtOnceIsStillQueuedAndNoPacketIs() {
        long[] p = connectedPair();
        long port = port();
        associate(p[0], port, 1);
        send(p[1], "now");
        awaitReadable(p[0], 3);
        MemorySegment ov = overlapped(0);
        int[] received = {-1}, flags = {0};
        ok(ws2.WSARecv(p[0], new MemorySegment[] {buffer(8)}, received, flags, ov, completionRoutine()), "WSARecv");
        assertEquals(3, received[0]);
        assertTrue(routineCalls.isEmpty(), "the routine waits for an alertable wait");
        assertEquals(Ws2.WSA_WAIT_IO_COMPLETION, ws2.SleepEx(WAIT_MILLIS, true));
        assertEquals(new RoutineCall(0, 3, ov.address(), 0, Thread.currentThread()), routineCalls.poll());
        assertNull(ws2.GetQueuedCompletionStatus(port, 0), "a completion routine replaces the packet");
    }

    @Test
    void sendWithACompletionRoutine() {
        long[] p = connectedPair();
        MemorySegment ov = overlapped(0);
        MemorySegment data = arena.allocateFrom("pong", StandardCharsets.US_ASCII).asSlice(0, 4);
        int[] sent = {-1};
        int rc = ws2.WSASend(p[0], new MemorySegment[] {data}, sent, 0, ov, completionRoutine());
        assertTrue(rc == 0 || ws2.WSAGetLastError() == WSA_IO_PENDING, () -> WsaError.describe(ws2.WSAGetLastError()));
        assertEquals(Ws2.WSA_WAIT_IO_COMPLETION, ws2.SleepEx(WAIT_MILLIS, true));
        assertEquals(new RoutineCall(0, 4, ov.address(), 0, Thread.currentThread()), routineCalls.poll());
    }

    @Test
    void alertableSleepWithoutApcsTimesOut() {
        assertEquals(0, ws2.SleepEx(QUIET_MILLIS, true));
    }
}
