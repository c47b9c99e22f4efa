package io.wsp4j.selftest.windows;

import static io.wsp4j.winsock.FdEvents.FD_ACCEPT;
import static io.wsp4j.winsock.FdEvents.FD_CLOSE;
import static io.wsp4j.winsock.FdEvents.FD_CONNECT;
import static io.wsp4j.winsock.FdEvents.FD_READ;
import static io.wsp4j.winsock.FdEvents.FD_WRITE;
import static io.wsp4j.winsock.FdEvents.selectError;
import static io.wsp4j.winsock.FdEvents.selectEvent;

import io.wsp4j.selftest.Exchange;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A loopback exchange the way a Windows GUI program does it, against the real ws2_32: WSAAsyncSelect
 * on a message-only window, and a message loop on the thread that made it (PeekMessageW, waiting with
 * MsgWaitForMultipleObjects). The client connects, sends a request on FD_WRITE and closes once the
 * answer is in; the server accepts on FD_ACCEPT, answers on FD_READ, closes on FD_CLOSE. With
 * wsp4j installed and this process allowed, every socket is the provider's and every message is
 * posted by its WSPAsyncSelect (WPUPostMessage).
 */
final class AsyncSelectExchange {
    /** WM_USER + 1. */
    private static final int WM_SOCKET = 0x0400 + 1;
    private static final long TIMEOUT_MILLIS = 15_000;
    private static final byte[] REQUEST = "GET /wsp4j-selftest HTTP/1.0\r\nHost: loopback\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY = ("HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\n" + "counted by the LSP.\n").getBytes(StandardCharsets.US_ASCII);

    private AsyncSelectExchange() {}

    static Exchange run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wsaData = arena.allocate(Winsock.WSADATA);
            int started = Winsock.WSAStartup((short) 0x0202, wsaData);
            if (started != 0) throw new IllegalStateException("WSAStartup(2.2) failed: " + WsaError.describe(started));
            try {
                return exchange(arena);
            } finally {
                Winsock.WSACleanup();
            }
        }
    }

    private static Exchange exchange(Arena arena) {
        MemorySegment hWnd = Winsock.createMessageWindow(arena);
        if (hWnd.address() == 0) throw new IllegalStateException("CreateWindowExW (message-only) failed: error " + Winsock.lastError());
        long listener = check(Winsock.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
        long client = Winsock.INVALID_SOCKET;
        long server = Winsock.INVALID_SOCKET;
        MemorySegment address = arena.allocate(SocketAddresses.IPV6_LENGTH, 8);
        MemorySegment addressLength = arena.allocate(ValueLayout.JAVA_INT);
        try {
            int n = SocketAddresses.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), address);
            check(Winsock.bind(listener, address, n), "bind");
            check(Winsock.listen(listener, 4), "listen");
            check(Winsock.WSAAsyncSelect(listener, hWnd, WM_SOCKET, FD_ACCEPT), "WSAAsyncSelect");
            InetSocketAddress listening = name(listener, address, addressLength, false);
            client = check(Winsock.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
            check(Winsock.WSAAsyncSelect(client, hWnd, WM_SOCKET, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), "WSAAsyncSelect");
            n = SocketAddresses.write(listening, address);
            if (Winsock.connect(client, address, n) != 0 && Winsock.wsaLastError() != Winsock.WSAEWOULDBLOCK) {
                throw new IllegalStateException("connect: " + WsaError.describe(Winsock.wsaLastError()));
            }
            MemorySegment request = arena.allocate(REQUEST.length);
            request.copyFrom(MemorySegment.ofArray(REQUEST));
            MemorySegment reply = arena.allocate(REPLY.length);
            reply.copyFrom(MemorySegment.ofArray(REPLY));
            MemorySegment buf = arena.allocate(4096);
            MemorySegment msg = arena.allocate(Winsock.MSG);
            long clientSent = 0, serverSent = 0, clientGot = 0, serverGot = 0;
            InetSocketAddress seen = null;
            boolean clientDone = false, serverDone = false;
            long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
            while (!(clientDone && serverDone)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the WSAAsyncSelect exchange did not finish in " + TIMEOUT_MILLIS + " ms");
                }
                if (!Winsock.peekMessage(msg, hWnd, WM_SOCKET, WM_SOCKET, Winsock.PM_REMOVE)) {
                    Winsock.waitForPostedMessage(100);
                    continue;
                }
                long s = (long) Winsock.MSG_WPARAM.get(msg, 0L);
                long lParam = (long) Winsock.MSG_LPARAM.get(msg, 0L);
                int event = selectEvent(lParam);
                if (selectError(lParam) != 0) {
                    throw new IllegalStateException("event " + event + " on socket " + s + " failed: " + WsaError.describe(selectError(lParam)));
                }
                if (s == listener && event == FD_ACCEPT && server == Winsock.INVALID_SOCKET) {
                    server = check(Winsock.accept(listener, MemorySegment.NULL, MemorySegment.NULL), "accept");
                    check(Winsock.WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), "WSAAsyncSelect");
                    seen = name(server, address, addressLength, true);
                } else if (s == client && event == FD_WRITE && clientSent == 0) {
                    clientSent = check(Winsock.send(client, request, REQUEST.length, 0), "send");
                } else if (s == client && event == FD_READ) {
                    int got = Winsock.recv(client, buf, (int) buf.byteSize(), 0);
                    if (got > 0) clientGot += got;
                    if (clientGot >= REPLY.length && !clientDone) {
                        check(Winsock.closesocket(client), "closesocket");
                        clientDone = true;
                    }
                } else if (s == server && event == FD_READ) {
                    int got = Winsock.recv(server, buf, (int) buf.byteSize(), 0);
                    if (got > 0) serverGot += got;
                    if (serverGot == REQUEST.length && serverSent == 0) serverSent = check(Winsock.send(server, reply, REPLY.length, 0), "send");
                } else if (s == server && event == FD_CLOSE) {
                    int got;
                    while ((got = Winsock.recv(server, buf, (int) buf.byteSize(), 0)) > 0) serverGot += got; // what is left, as FD_CLOSE asks
                    check(Winsock.closesocket(server), "closesocket");
                    serverDone = true;
                }
            }
            return new Exchange("WSAAsyncSelect", listening, seen, clientSent, serverSent, clientGot, serverGot);
        } finally {
            Winsock.closesocket(listener);
            Winsock.destroyWindow(hWnd);
        }
    }

    /** getsockname (or getpeername) as an address. */
    private static InetSocketAddress name(long s, MemorySegment address, MemorySegment length, boolean peer) {
        length.set(ValueLayout.JAVA_INT, 0, (int) address.byteSize());
        int rc = peer ? Winsock.getpeername(s, address, length) : Winsock.getsockname(s, address, length);
        check(rc, peer ? "getpeername" : "getsockname");
        return SocketAddresses.read(address, length.get(ValueLayout.JAVA_INT, 0))
                .orElseThrow(() -> new IllegalStateException("not an IPv4 or IPv6 address"));
    }

    private static long check(long result, String call) {
        if (result == Winsock.INVALID_SOCKET || result == Winsock.SOCKET_ERROR) {
            throw new IllegalStateException(call + " failed: " + WsaError.describe(Winsock.wsaLastError()));
        }
        return result;
    }
}
