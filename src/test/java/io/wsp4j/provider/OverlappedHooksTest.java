package io.wsp4j.provider;

import static io.wsp4j.winsock.WsaErrors.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings._OVERLAPPED;
import io.wsp4j.host.Host;
import io.wsp4j.host.HostSuite;
import io.wsp4j.host.Ws2;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.winsock.WsaError;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The author's hooks see overlapped traffic as they see the rest: onSend before the request goes down
 * (a veto fails the call and nothing completes), onSent and onReceived at completion with the bytes
 * really moved, before the application is told, through the WSABUF array the application passed
 * (copied by the layer: the application's array need not outlive its call), also past the buffers
 * the layer copies in place.
 */
@EnabledOnOs(OS.LINUX)
class OverlappedHooksTest extends HostSuite {
    /** Records what the hooks saw, with whether the application's event was already signalled. */
    static final class Recording extends LayeredProvider {
        final List<String> seen = new CopyOnWriteArrayList<>();
        volatile long watchedEvent;
        volatile Ws2 ws2;
        volatile String veto;
        /** The one socket whose traffic is recorded (the peer's goes through the layer too). */
        volatile long only;

        @Override
        protected int onSend(LayeredSocket socket, Buffers data) {
            String text = new String(data.read(data.totalLength()), StandardCharsets.US_ASCII);
            return text.equals(veto) ? WSAEACCES : ALLOW;
        }

        @Override
        protected void onSent(LayeredSocket socket, Buffers data, long bytes) {
            if (socket.handle() == only) seen.add("sent " + bytes + " " + new String(data.read(bytes), StandardCharsets.US_ASCII) + told());
        }

        @Override
        protected void onReceived(LayeredSocket socket, Buffers data, long bytes) {
            if (socket.handle() == only) seen.add("received " + bytes + " " + new String(data.read(bytes), StandardCharsets.US_ASCII) + told());
        }

        private String told() {
            long e = watchedEvent;
            if (e == 0) return "";
            return ws2.WSAWaitForMultipleEvents(new long[] {e}, false, 0, false) == Ws2.WSA_WAIT_EVENT_0 ? " (app told)" : "";
        }
    }

    private final Recording provider = new Recording();

    @Override
    protected Host newHost() {
        ProviderSelection.register(() -> provider);
        Host h = new Host().install();
        LayeredHostInstall.install(h);
        provider.ws2 = h.ws2();
        return h;
    }

    @AfterEach
    void forgetProvider() {
        ProviderSelection.reset();
    }

    @Test
    void aPendingReceiveIsObservedAtCompletionWithItsBytesBeforeTheApplicationIsTold() {
        long[] p = connectedPair();
        provider.only = p[0];
        long e = event();
        MemorySegment ov = overlapped(e);
        // Ten one-byte buffers: more than the layer copies in place.
        MemorySegment[] buffers = new MemorySegment[10];
        for (int i = 0; i < buffers.length; i++) buffers[i] = arena.allocate(1);
        provider.watchedEvent = e;
        assertEquals(SOCKET_ERROR, ws2.WSARecv(p[0], buffers, null, new int[] {0}, ov));
        assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError(), () -> WsaError.describe(ws2.WSAGetLastError()));
        assertEquals(List.of(), provider.seen, "nothing observed while pending");
        byte[] hello = "hello, peer".getBytes(StandardCharsets.US_ASCII);
        assertEquals(hello.length, ws2.send(p[1], hello, hello.length, 0));
        awaitSignalled(e);
        assertEquals(List.of("received 10 hello, pee"), provider.seen, "the ten bytes the buffers took, seen before the event");
        int[] n = {-1}, flags = {-1};
        assertTrue(ws2.WSAGetOverlappedResult(p[0], ov, n, false, flags));
        assertEquals(10, n[0]);
        assertEquals('h', (char) buffers[0].get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void anOverlappedSendIsVetoedBeforeItGoesDownOrObservedWhenItCompletes() {
        long[] p = connectedPair();
        provider.only = p[0];
        long e = event();
        provider.veto = "secret";
        MemorySegment ov = overlapped(e);
        assertEquals(SOCKET_ERROR, ws2.WSASend(p[0], new MemorySegment[] {arena.allocateFrom("secret", StandardCharsets.US_ASCII).asSlice(0, 6)}, null, 0, ov));
        assertEquals(WSAEACCES, ws2.WSAGetLastError(), "the veto's code");
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, ws2.WSAWaitForMultipleEvents(new long[] {e}, false, 150, false), "a refused request completes nothing");

        MemorySegment ov2 = overlapped(e);
        MemorySegment data = arena.allocateFrom("fine", StandardCharsets.US_ASCII).asSlice(0, 4);
        int rc = ws2.WSASend(p[0], new MemorySegment[] {data}, null, 0, ov2);
        assertTrue(rc == 0 || ws2.WSAGetLastError() == WSA_IO_PENDING, () -> WsaError.describe(ws2.WSAGetLastError()));
        awaitSignalled(e);
        byte[] got = new byte[4];
        assertEquals(4, ws2.recv(p[1], got, 4, 0));
        assertEquals("fine", new String(got, StandardCharsets.US_ASCII));
        assertEquals(List.of("sent 4 fine"), provider.seen);
    }

    /** Repeated: the dispatcher may be completing the aborted request while WSPCloseSocket runs; either way the application is told. */
    @RepeatedTest(25)
    void aReceiveAbortedByCloseIsNotObserved() {
        long[] p = connectedPair();
        provider.only = p[0];
        long e = event();
        MemorySegment ov = overlapped(e);
        assertEquals(SOCKET_ERROR, ws2.WSARecv(p[0], new MemorySegment[] {arena.allocate(8)}, null, new int[] {0}, ov));
        assertEquals(WSA_IO_PENDING, ws2.WSAGetLastError());
        assertEquals(0, ws2.closesocket(p[0]));
        awaitSignalled(e);
        assertEquals(WSA_OPERATION_ABORTED, _OVERLAPPED.OffsetHigh(ov), "aborted, as Windows completes it");
        assertEquals(List.of(), provider.seen);
    }
}
