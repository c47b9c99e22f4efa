package io.wsp4j.host.layered;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.host.Host;
import io.wsp4j.host.Msg;
import io.wsp4j.host.Ws2;
import io.wsp4j.provider.LayeredProvider;
import io.wsp4j.provider.LayeredStartup;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaError;
import io.wsp4j.winsock.WsaErrors;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

import java.util.List;

/**
 * A small loopback exchange through whatever provider the host's catalog puts first (with
 * {@link LayeredHostInstall}: wsp4j layered over the host's base provider), driven the way a Windows
 * GUI program drives Winsock: WSAAsyncSelect on one window and a message loop. The client connects,
 * sends a request, reads the reply and closes; the server accepts, answers, and closes on FD_CLOSE.
 * It returns (and prints) every message the window received, decoded, and the accounting snapshot
 * when the layered provider is the sample.
 */
public final class DemoTraffic {
    /** WM_USER + 1: the message the demo's sockets report with. */
    public static final int WM_SOCKET = 0x0400 + 1;
    static final byte[] REQUEST = "GET /wsp4j-demo HTTP/1.0\r\nHost: loopback\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] REPLY = ("HTTP/1.0 200 OK\r\nContent-Length: 26\r\n\r\n" + "hello through a Java LSP!\n").getBytes(StandardCharsets.US_ASCII);
    private static final long TIMEOUT_MILLIS = 10_000;

    /** One message as the window got it: the socket's role, its handle (wParam), the event and error (lParam). */
    public record Message(String role, long socket, int event, int error) {
        @Override
        public String toString() {
            return String.format("%-8s socket 0x%x  %-10s %s", role, socket, FdEvents.describe(event),
                    error == 0 ? "ok" : WsaError.describe(error));
        }
    }

    /** What the demo saw: the messages in order, the bytes each side sent, and the sample's numbers (null for another provider). */
    public record Result(List<Message> messages, long listener, long client, long server, long clientSent, long serverSent,
            AccountingProvider.Snapshot accounting) {}

    private DemoTraffic() {}

    /** Runs the exchange on {@code host} (whose platform is installed), printing to {@code out} (may be null). */
    public static Result run(Host host, PrintStream out) {
        Ws2 ws2 = host.ws2();
        long hWnd = host.createWindow();
        List<Message> messages = new ArrayList<>();
        long listener = check(ws2, ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
        long client = WsaErrors.INVALID_SOCKET;
        long server = WsaErrors.INVALID_SOCKET;
        long clientSent = 0;
        long serverSent = 0;
        try {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            check(ws2, ws2.bind(listener, any), "bind");
            check(ws2, ws2.listen(listener, 4), "listen");
            check(ws2, ws2.WSAAsyncSelect(listener, hWnd, WM_SOCKET, FD_ACCEPT), "WSAAsyncSelect");
            client = check(ws2, ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
            check(ws2, ws2.WSAAsyncSelect(client, hWnd, WM_SOCKET, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), "WSAAsyncSelect");
            if (ws2.connect(client, ws2.getsockname(listener)) != 0 && ws2.WSAGetLastError() != WsaErrors.WSAEWOULDBLOCK) {
                throw new IllegalStateException("connect: " + WsaError.describe(ws2.WSAGetLastError()));
            }
            byte[] buf = new byte[4096];
            int requestRead = 0;
            int replyRead = 0;
            boolean requestSent = false;
            boolean serverDone = false;
            boolean clientDone = false;
            long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
            while (!(serverDone && clientDone) && System.nanoTime() < deadline) {
                Msg m = host.getMessage(hWnd, 100);
                if (m == null || m.message() != WM_SOCKET) continue;
                long s = m.wParam();
                int event = selectEvent(m.lParam());
                int error = selectError(m.lParam());
                Message seen = new Message(s == listener ? "listener" : s == client ? "client" : s == server ? "server" : "?", s, event, error);
                messages.add(seen);
                if (out != null) out.println(seen);
                if (s == listener && event == FD_ACCEPT) {
                    server = check(ws2, ws2.accept(listener), "accept");
                    check(ws2, ws2.WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), "WSAAsyncSelect");
                } else if (s == client && event == FD_WRITE && !requestSent) {
                    clientSent += check(ws2, ws2.send(client, REQUEST, REQUEST.length, 0), "send");
                    requestSent = true;
                } else if (s == client && event == FD_READ) {
                    int n = ws2.recv(client, buf, buf.length, 0);
                    if (n > 0) replyRead += n;
                    if (replyRead >= REPLY.length && !clientDone) {
                        check(ws2, ws2.closesocket(client), "closesocket");
                        clientDone = true;
                    }
                } else if (s == server && event == FD_READ) {
                    int n = ws2.recv(server, buf, buf.length, 0);
                    if (n > 0) requestRead += n;
                    if (requestRead == REQUEST.length) serverSent += check(ws2, ws2.send(server, REPLY, REPLY.length, 0), "send");
                } else if (s == server && event == FD_CLOSE) {
                    while (ws2.recv(server, buf, buf.length, 0) > 0) {} // drain what is left, as FD_CLOSE asks
                    check(ws2, ws2.closesocket(server), "closesocket");
                    serverDone = true;
                }
            }
            if (!(serverDone && clientDone)) throw new IllegalStateException("the exchange did not finish in " + TIMEOUT_MILLIS + " ms; messages: " + messages);
        } finally {
            ws2.closesocket(listener);
            host.destroyWindow(hWnd);
        }
        LayeredProvider provider = LayeredStartup.activeProvider();
        AccountingProvider.Snapshot accounting = provider instanceof AccountingProvider a ? a.snapshot() : null;
        if (out != null) print(out, accounting);
        return new Result(List.copyOf(messages), listener, client, server, clientSent, serverSent, accounting);
    }

    private static void print(PrintStream out, AccountingProvider.Snapshot a) {
        if (a == null) {
            out.println("accounting: the running provider is not the accounting sample");
            return;
        }
        for (AccountingProvider.Connection c : a.closed()) {
            out.printf("connection socket 0x%x peer %s: in %d bytes, out %d bytes, %d ms%n", c.socket(),
                    c.peer() == null ? "-" : AccountingProvider.format(c.peer()), c.bytesIn(), c.bytesOut(), c.durationMillis());
        }
        out.printf("total: %d connections, %d bytes in, %d bytes out%n", a.connections(), a.bytesIn(), a.bytesOut());
    }

    private static long check(Ws2 ws2, long result, String call) {
        if (result == WsaErrors.INVALID_SOCKET || result == WsaErrors.SOCKET_ERROR) {
            throw new IllegalStateException(call + " failed: " + WsaError.describe(ws2.WSAGetLastError()));
        }
        return result;
    }

}
