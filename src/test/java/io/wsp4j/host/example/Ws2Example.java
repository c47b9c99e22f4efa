package io.wsp4j.host.example;

import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static io.wsp4j.winsock.WsaErrors.SOCKET_ERROR;

import io.wsp4j.host.Host;
import io.wsp4j.host.Msg;
import io.wsp4j.host.Ws2;
import io.wsp4j.winsock.FdEvents;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A tiny Winsock program on the Linux host: an echo over loopback TCP, driven by WSAAsyncSelect
 * messages the way a Windows GUI program's message loop would be.
 */
public final class Ws2Example {
    static final int WM_SOCKET = 0x0400 + 1;

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        try (Host host = new Host()) {
            Ws2 ws2 = host.ws2();
            long hWnd = host.createWindow();

            long server = ws2.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            ws2.bind(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ws2.listen(server, SOMAXCONN);
            ws2.WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_ACCEPT | FD_READ | FD_CLOSE);

            long client = ws2.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            ws2.WSAAsyncSelect(client, hWnd, WM_SOCKET, FD_CONNECT | FD_READ | FD_CLOSE);
            if (ws2.connect(client, ws2.getsockname(server)) == SOCKET_ERROR) {
                out.println("connect: " + ws2.WSAGetLastError() + " (WSAEWOULDBLOCK: completes later)");
            }

            byte[] buf = new byte[64];
            boolean done = false;
            while (!done) {
                Msg m = host.getMessage(hWnd, 5_000);
                if (m == null) throw new IllegalStateException("no message within 5 s");
                long s = m.wParam();
                int event = FdEvents.selectEvent(m.lParam());
                int error = FdEvents.selectError(m.lParam());
                String who = s == client ? "client" : s == server ? "listener" : "server";
                out.println(who + ": " + FdEvents.describe(event) + (error != 0 ? " error " + error : ""));
                switch (event) {
                    case FD_ACCEPT -> ws2.accept(s); // inherits FD_ACCEPT|FD_READ|FD_CLOSE
                    case FD_CONNECT -> ws2.send(client, "hello".getBytes(), 5, 0);
                    case FD_READ -> {
                        int n = ws2.recv(s, buf, buf.length, 0);
                        String text = new String(buf, 0, n);
                        out.println(who + " received \"" + text + "\"");
                        if (s == client) {
                            ws2.closesocket(client);
                        } else {
                            ws2.send(s, text.toUpperCase().getBytes(), n, 0);
                        }
                    }
                    case FD_CLOSE -> {
                        ws2.closesocket(s);
                        done = true;
                    }
                    default -> { }
                }
            }
            ws2.closesocket(server);
        }
    }
}
