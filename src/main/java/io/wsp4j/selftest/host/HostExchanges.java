package io.wsp4j.selftest.host;

import static io.wsp4j.winsock.FdEvents.FD_ACCEPT;
import static io.wsp4j.winsock.FdEvents.FD_CLOSE;
import static io.wsp4j.winsock.FdEvents.FD_CONNECT;
import static io.wsp4j.winsock.FdEvents.FD_READ;
import static io.wsp4j.winsock.FdEvents.FD_WRITE;
import static io.wsp4j.winsock.FdEvents.selectError;
import static io.wsp4j.winsock.FdEvents.selectEvent;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.bindings._OVERLAPPED;
import io.wsp4j.host.Host;
import io.wsp4j.host.Msg;
import io.wsp4j.host.QueuedCompletion;
import io.wsp4j.host.Ws2;
import io.wsp4j.selftest.Exchange;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaError;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The selftest's two loopback exchanges on the Linux SPI host, driven through the host's ws2 the way
 * Windows programs drive Winsock: one with WSAAsyncSelect and a message loop (a GUI program), one with
 * an I/O completion port, AcceptEx, ConnectEx and overlapped WSARecv/WSASend (a server built on IOCP).
 * A client sends a request, the server answers, both close; each returns what both sides sent and got.
 */
final class HostExchanges {
    /** WM_USER + 1. */
    private static final int WM_SOCKET = 0x0400 + 1;
    private static final long TIMEOUT_MILLIS = 15_000;
    /** An AcceptEx address slot: the largest sockaddr (sockaddr_in6) + 16, as Windows documents it. */
    private static final int SLOT = SocketAddresses.IPV6_LENGTH + 16;
    static final byte[] REQUEST = "GET /wsp4j-selftest HTTP/1.0\r\nHost: loopback\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] REPLY = ("HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\n" + "counted by the LSP.\n").getBytes(StandardCharsets.US_ASCII);

    private HostExchanges() {}

    /** WSAAsyncSelect on one window: connect, send the request on FD_WRITE, answer on FD_READ, close on FD_CLOSE. */
    static Exchange asyncSelect(Host host) {
        Ws2 ws2 = host.ws2();
        long hWnd = host.createWindow();
        long listener = check(ws2, ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
        long client = WsaErrors.INVALID_SOCKET;
        long server = WsaErrors.INVALID_SOCKET;
        try {
            check(ws2, ws2.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), "bind");
            check(ws2, ws2.listen(listener, 4), "listen");
            check(ws2, ws2.WSAAsyncSelect(listener, hWnd, WM_SOCKET, FD_ACCEPT), "WSAAsyncSelect");
            InetSocketAddress listening = ws2.getsockname(listener);
            client = check(ws2, ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
            check(ws2, ws2.WSAAsyncSelect(client, hWnd, WM_SOCKET, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), "WSAAsyncSelect");
            if (ws2.connect(client, listening) != 0 && ws2.WSAGetLastError() != WsaErrors.WSAEWOULDBLOCK) {
                throw new IllegalStateException("connect: " + WsaError.describe(ws2.WSAGetLastError()));
            }
            byte[] buf = new byte[4096];
            long clientSent = 0, serverSent = 0, clientGot = 0, serverGot = 0;
            InetSocketAddress seen = null;
            boolean clientDone = false, serverDone = false;
            long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
            while (!(clientDone && serverDone)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the WSAAsyncSelect exchange did not finish in " + TIMEOUT_MILLIS + " ms");
                Msg m = host.getMessage(hWnd, 100);
                if (m == null || m.message() != WM_SOCKET) continue;
                long s = m.wParam();
                int event = selectEvent(m.lParam());
                if (selectError(m.lParam()) != 0) {
                    throw new IllegalStateException("event " + event + " on socket " + s + " failed: " + WsaError.describe(selectError(m.lParam())));
                }
                if (s == listener && event == FD_ACCEPT && server == WsaErrors.INVALID_SOCKET) {
                    server = check(ws2, ws2.accept(listener), "accept");
                    check(ws2, ws2.WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), "WSAAsyncSelect");
                    seen = ws2.getpeername(server);
                } else if (s == client && event == FD_WRITE && clientSent == 0) {
                    clientSent = check(ws2, ws2.send(client, REQUEST, REQUEST.length, 0), "send");
                } else if (s == client && event == FD_READ) {
                    int n = ws2.recv(client, buf, buf.length, 0);
                    if (n > 0) clientGot += n;
                    if (clientGot >= REPLY.length && !clientDone) {
                        check(ws2, ws2.closesocket(client), "closesocket");
                        clientDone = true;
                    }
                } else if (s == server && event == FD_READ) {
                    int n = ws2.recv(server, buf, buf.length, 0);
                    if (n > 0) serverGot += n;
                    if (serverGot == REQUEST.length && serverSent == 0) serverSent = check(ws2, ws2.send(server, REPLY, REPLY.length, 0), "send");
                } else if (s == server && event == FD_CLOSE) {
                    int n;
                    while ((n = ws2.recv(server, buf, buf.length, 0)) > 0) serverGot += n; // what is left, as FD_CLOSE asks
                    check(ws2, ws2.closesocket(server), "closesocket");
                    serverDone = true;
                }
            }
            return new Exchange("WSAAsyncSelect", listening, seen, clientSent, serverSent, clientGot, serverGot);
        } finally {
            ws2.closesocket(listener);
            host.destroyWindow(hWnd);
        }
    }

    /**
     * An I/O completion port: AcceptEx pending on the listener, ConnectEx carrying the request, then
     * overlapped WSARecv/WSASend on both ends; every completion is taken from the port.
     */
    static Exchange iocp(Host host) {
        Ws2 ws2 = host.ws2();
        long port = ws2.CreateIoCompletionPort(Ws2.INVALID_HANDLE_VALUE, 0, 0);
        if (port == 0) throw new IllegalStateException("CreateIoCompletionPort: error " + ws2.WSAGetLastError());
        long listener = check(ws2, ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
        long accepted = check(ws2, ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
        long client = check(ws2, ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP), "socket");
        try (Arena arena = Arena.ofConfined()) {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            check(ws2, ws2.bind(listener, loopback), "bind");
            check(ws2, ws2.listen(listener, 4), "listen");
            InetSocketAddress listening = ws2.getsockname(listener);
            associate(ws2, listener, port);
            associate(ws2, client, port);

            MemorySegment acceptOv = _OVERLAPPED.allocate(arena), connectOv = _OVERLAPPED.allocate(arena);
            MemorySegment acceptOut = arena.allocate(2L * SLOT);
            if (!ws2.AcceptEx(function(ws2, listener, ExtensionFunction.ACCEPT_EX), listener, accepted, acceptOut, 0, SLOT, SLOT,
                    new int[1], acceptOv)) {
                pending(ws2, "AcceptEx");
            }
            check(ws2, ws2.bind(client, loopback), "bind"); // ConnectEx needs a bound socket
            MemorySegment request = arena.allocate(REQUEST.length);
            request.copyFrom(MemorySegment.ofArray(REQUEST));
            if (!ws2.ConnectEx(function(ws2, client, ExtensionFunction.CONNECT_EX), client, listening, request, new int[1], connectOv)) {
                pending(ws2, "ConnectEx");
            }
            Port completions = new Port(ws2, port);
            long clientSent = completions.await(connectOv, "ConnectEx");
            completions.await(acceptOv, "AcceptEx");
            check(ws2, ws2.setsockopt(client, Ws2Def.SOL_SOCKET, WinApi.SO_UPDATE_CONNECT_CONTEXT(), MemorySegment.NULL), "SO_UPDATE_CONNECT_CONTEXT");
            MemorySegment listenHandle = arena.allocate(ValueLayout.JAVA_LONG);
            listenHandle.set(ValueLayout.JAVA_LONG, 0, listener);
            check(ws2, ws2.setsockopt(accepted, Ws2Def.SOL_SOCKET, WinApi.SO_UPDATE_ACCEPT_CONTEXT(), listenHandle), "SO_UPDATE_ACCEPT_CONTEXT");
            associate(ws2, accepted, port);
            InetSocketAddress seen = ws2.getpeername(accepted);

            MemorySegment buf = arena.allocate(4096);
            MemorySegment ov = _OVERLAPPED.allocate(arena);
            long serverGot = 0;
            while (serverGot < REQUEST.length) serverGot += completions.receive(accepted, buf, ov);
            MemorySegment reply = arena.allocate(REPLY.length);
            reply.copyFrom(MemorySegment.ofArray(REPLY));
            long serverSent = completions.send(accepted, reply, ov);
            long clientGot = 0;
            while (clientGot < REPLY.length) clientGot += completions.receive(client, buf, ov);
            return new Exchange("IOCP/AcceptEx", listening, seen, clientSent, serverSent, clientGot, serverGot);
        } finally {
            ws2.closesocket(client);
            ws2.closesocket(accepted);
            ws2.closesocket(listener);
            ws2.CloseHandle(port);
        }
    }

    /** The completions of one port: each request's packet, whichever order they come in. */
    private static final class Port {
        private final Ws2 ws2;
        private final long port;
        /** Packets taken while waiting for another request's. */
        private final Map<Long, QueuedCompletion> early = new HashMap<>();

        Port(Ws2 ws2, long port) {
            this.ws2 = ws2;
            this.port = port;
        }

        /** Waits for {@code ov}'s completion; its bytes. */
        long await(MemorySegment ov, String what) {
            QueuedCompletion c = early.remove(ov.address());
            while (c == null) {
                QueuedCompletion next = ws2.GetQueuedCompletionStatus(port, (int) TIMEOUT_MILLIS);
                if (next == null) {
                    throw new IllegalStateException(what + ": no completion in " + TIMEOUT_MILLIS + " ms (error " + ws2.WSAGetLastError() + ")");
                }
                if (next.overlapped() == ov.address()) c = next;
                else early.put(next.overlapped(), next);
            }
            if (c.error() != 0) throw new IllegalStateException(what + " failed: " + WsaError.describe(c.error()));
            return c.bytes();
        }

        long receive(long s, MemorySegment buf, MemorySegment ov) {
            ov.fill((byte) 0);
            int rc = ws2.WSARecv(s, new MemorySegment[] {buf}, new int[1], new int[1], ov);
            if (rc != 0) pending(ws2, "WSARecv");
            long n = await(ov, "WSARecv");
            if (n == 0) throw new IllegalStateException("WSARecv: the connection closed early");
            return n;
        }

        long send(long s, MemorySegment data, MemorySegment ov) {
            ov.fill((byte) 0);
            int rc = ws2.WSASend(s, new MemorySegment[] {data}, new int[1], 0, ov);
            if (rc != 0) pending(ws2, "WSASend");
            return await(ov, "WSASend");
        }
    }

    private static MemorySegment function(Ws2 ws2, long s, ExtensionFunction f) {
        MemorySegment fn = ws2.extensionFunction(s, f);
        if (fn.address() == 0) throw new IllegalStateException(f + ": " + WsaError.describe(ws2.WSAGetLastError()));
        return fn;
    }

    private static void associate(Ws2 ws2, long s, long port) {
        if (ws2.CreateIoCompletionPort(s, port, s) != port) {
            throw new IllegalStateException("CreateIoCompletionPort: error " + ws2.WSAGetLastError());
        }
    }

    /** A call that returned FALSE or SOCKET_ERROR must be pending; anything else is the exchange's failure. */
    private static void pending(Ws2 ws2, String call) {
        int error = ws2.WSAGetLastError();
        if (error != WsaErrors.WSA_IO_PENDING) throw new IllegalStateException(call + " failed: " + WsaError.describe(error));
    }

    private static long check(Ws2 ws2, long result, String call) {
        if (result == WsaErrors.INVALID_SOCKET || result == WsaErrors.SOCKET_ERROR) {
            throw new IllegalStateException(call + " failed: " + WsaError.describe(ws2.WSAGetLastError()));
        }
        return result;
    }
}
