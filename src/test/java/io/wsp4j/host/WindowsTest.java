package io.wsp4j.host;

import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class WindowsTest {

    @Test
    void queueIsBoundedAndMessagesKeepTheirOrder() {
        Windows w = new Windows(3);
        long h = w.createWindow();
        for (int i = 0; i < 3; i++) assertTrue(w.postMessage(h, 0x400, i, 0));
        assertFalse(w.postMessage(h, 0x400, 3, 0), "full");
        for (int i = 0; i < 3; i++) assertEquals(i, w.peekMessage(h).wParam());
        assertNull(w.peekMessage(h));
    }

    @Test
    void postToAMissingWindowFails() {
        Windows w = new Windows();
        assertFalse(w.postMessage(0x1234, 0x400, 0, 0));
        long h = w.createWindow();
        assertTrue(w.destroyWindow(h));
        assertFalse(w.postMessage(h, 0x400, 0, 0));
        assertNull(w.getMessage(h, 10));
    }

    @Test
    void getMessageWaitsForAPost() throws Exception {
        Windows w = new Windows();
        long h = w.createWindow();
        Thread poster = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            w.postMessage(h, 0x401, 7, 9);
        });
        assertEquals(new Msg(h, 0x401, 7, 9), w.getMessage(h, 5_000));
        poster.join();
    }

    @Test
    void aRefusedPostDoesNotLoseTheEvent() {
        try (Host host = new Host(1)) {
            Ws2 ws2 = host.ws2();
            long hWnd = host.createWindow();
            long u1 = ws2.socket(AF_INET, SOCK_DGRAM, 0), u2 = ws2.socket(AF_INET, SOCK_DGRAM, 0);
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            assertEquals(0, ws2.bind(u1, any));
            assertEquals(0, ws2.bind(u2, any));
            assertEquals(0, ws2.WSAAsyncSelect(u1, hWnd, 0x401, FD_WRITE)); // fills the queue
            assertEquals(0, ws2.WSAAsyncSelect(u2, hWnd, 0x402, FD_WRITE)); // refused: kept
            assertEquals(1, host.queuedMessages(hWnd));
            Msg first = host.getMessage(hWnd, 1_000);
            assertEquals(u1, first.wParam());
            Msg second = host.getMessage(hWnd, 5_000);
            assertNotNull(second, "the refused FD_WRITE is posted when the queue has room");
            assertEquals(u2, second.wParam());
            assertEquals(0x402, second.message());
            assertEquals(FD_WRITE, selectEvent(second.lParam()));
            assertNull(host.getMessage(hWnd, 100), "exactly once");
            ws2.closesocket(u1);
            ws2.closesocket(u2);
        }
    }
}
