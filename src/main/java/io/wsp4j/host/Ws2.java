package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.wsp4j.bindings.LPFN_ACCEPTEX;
import io.wsp4j.bindings.LPFN_CONNECTEX;
import io.wsp4j.bindings.LPFN_DISCONNECTEX;
import io.wsp4j.bindings.LPFN_GETACCEPTEXSOCKADDRS;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.bindings._WSATHREADID;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ws2_32 as an application sees it, on the Linux host. Names, argument order, results and error
 * reporting mirror Winsock: failures return {@code SOCKET_ERROR} (or {@code INVALID_SOCKET}) and
 * {@link #WSAGetLastError()} tells why, per thread. Underneath it plays ws2_32's role: each socket goes
 * to the first catalog entry matching (af, type, protocol); that entry's provider is started once by a
 * downcall to its {@code WSPStartup}, and every call is a downcall through the WSPPROC_TABLE it returned.
 *
 * <p>Constants come from {@link Ws2Def}, {@link FdEvents}, {@link Ioctls} and {@code WsaErrors}, with their
 * Windows values. Overlapped I/O: {@link #WSARecv}, {@link #WSASend} and their -From/-To forms take an
 * OVERLAPPED, completed through its hEvent, {@link #WSAGetOverlappedResult} and I/O completion ports
 * ({@link #CreateIoCompletionPort}, {@link #GetQueuedCompletionStatus}), or a completion routine run in an
 * alertable wait ({@link #SleepEx}). The Microsoft extension functions (AcceptEx, ConnectEx, ...) are
 * pointers a provider hands out ({@link #extensionFunction}), called directly.
 */
public final class Ws2 {
    /** WSA_FLAG_OVERLAPPED: what socket() asks WSPSocket for, as ws2_32 does. */
    private static final int WSA_FLAG_OVERLAPPED = 0x01;
    private static final short WINSOCK_2_2 = 0x0202;

    private final Catalog catalog;
    private final HostPlatform platform;
    private final HostUpcalls upcalls;
    private final HostEvents events;
    private final SocketHandles handles;
    private final Windows windows;
    private final IoCompletionPorts ports;
    private final ApcQueues apcs;
    private final Map<UUID, ProviderTable> started = new ConcurrentHashMap<>();
    /** Which provider each application socket belongs to. */
    private final Map<Long, ProviderTable> routes = new ConcurrentHashMap<>();
    private final LastError lastError;

    Ws2(Catalog catalog, HostPlatform platform, HostUpcalls upcalls, HostEvents events, SocketHandles handles,
        Windows windows, IoCompletionPorts ports, ApcQueues apcs, LastError lastError) {
        this.lastError = lastError;
        this.ports = ports;
        this.apcs = apcs;
        this.catalog = catalog;
        this.platform = platform;
        this.upcalls = upcalls;
        this.events = events;
        this.handles = handles;
        this.windows = windows;
    }

    // ---- errors ------------------------------------------------------------------------------------

    public int WSAGetLastError() {
        return lastError.get();
    }

    public void WSASetLastError(int error) {
        lastError.set(error);
    }

    private int fail(int error) {
        WSASetLastError(error);
        return SOCKET_ERROR;
    }

    private ProviderTable route(long s) {
        ProviderTable p = routes.get(s);
        if (p == null) WSASetLastError(WSAENOTSOCK);
        return p;
    }

    /**
     * A downcall to socket {@code s}'s provider, made by {@code call} with a confined arena and the
     * lpErrno it passes: its result, and on SOCKET_ERROR *lpErrno becomes the thread's last error.
     */
    private int call(long s, ProviderCall call) {
        ProviderTable p = route(s);
        if (p == null) return SOCKET_ERROR;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            int rc = call.invoke(p, arena, err);
            if (rc == SOCKET_ERROR) WSASetLastError(err.get(JAVA_INT, 0));
            return rc;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    @FunctionalInterface
    private interface ProviderCall {
        int invoke(ProviderTable p, Arena arena, MemorySegment lpErrno) throws Throwable;
    }

    /** Refuses a call before the provider sees it, as ws2_32 does: SOCKET_ERROR with *lpErrno = error. */
    private static int refuse(MemorySegment lpErrno, int error) {
        lpErrno.set(JAVA_INT, 0, error);
        return SOCKET_ERROR;
    }

    /** Downcall failures are bugs of the host, not outcomes: surface them. */
    private static RuntimeException bug(Throwable t) {
        if (t instanceof Error e) throw e;
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    // ---- providers -----------------------------------------------------------------------------------

    private ProviderTable start(Catalog.Entry entry) {
        ProviderTable table = started.get(entry.providerId());
        if (table != null) return table;
        synchronized (started) {
            table = started.get(entry.providerId());
            if (table != null) return table;
            SymbolLookup library = platform.loadProvider(platform.expandEnvironment(entry.path()));
            MemorySegment wspStartup = library.find("WSPStartup")
                    .orElseThrow(() -> new IllegalStateException("no WSPStartup in " + entry.path()));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment data = a.allocate(Spi.WSPDATA);
                MemorySegment procTable = Arena.global().allocate(Spi.WSPPROC_TABLE);
                MethodHandle startup = Native.downcall(wspStartup, Spi.WSPSTARTUP);
                int rc = (int) startup.invokeExact(WINSOCK_2_2, data, entry.info(), upcalls.table(), procTable);
                if (rc != 0) {
                    WSASetLastError(rc);
                    return null;
                }
                table = ProviderTable.of(entry.providerId(), procTable);
                if (table == null) {
                    WSASetLastError(WSAEINVALIDPROCTABLE);
                    return null;
                }
            } catch (Throwable t) {
                throw bug(t);
            }
            started.put(entry.providerId(), table);
            return table;
        }
    }

    /** WSACleanup's provider side: WSPCleanup for every started provider. */
    void cleanup() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            for (ProviderTable p : started.values()) {
                int rc = (int) p.cleanup.invokeExact(err);
                if (rc != 0) WSASetLastError(err.get(JAVA_INT, 0));
            }
        } catch (Throwable t) {
            throw bug(t);
        }
        started.clear();
        routes.clear();
    }

    // ---- sockets ------------------------------------------------------------------------------------

    /** socket(af, type, protocol): INVALID_SOCKET and WSAGetLastError() on failure. */
    public long socket(int af, int type, int protocol) {
        Catalog.Entry entry = catalog.find(af, type, protocol);
        if (entry == null) {
            fail(noEntryError(af, type));
            return INVALID_SOCKET;
        }
        ProviderTable p = start(entry);
        if (p == null) return INVALID_SOCKET;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            long s = (long) p.socket.invokeExact(af, type, protocol, entry.info(), 0, WSA_FLAG_OVERLAPPED, err);
            if (s == INVALID_SOCKET) {
                WSASetLastError(err.get(JAVA_INT, 0));
                return INVALID_SOCKET;
            }
            routes.put(s, p);
            return s;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    private int noEntryError(int af, int type) {
        boolean family = false;
        for (Catalog.Entry e : catalog.view()) {
            if (e.addressFamily() != af) continue;
            family = true;
            if (e.socketType() == type) return WSAEPROTONOSUPPORT;
        }
        return family ? WSAESOCKTNOSUPPORT : WSAEAFNOSUPPORT;
    }

    public int bind(long s, InetSocketAddress a) {
        return call(s, (p, arena, err) -> {
            MemorySegment name = sockaddr(a, arena);
            return (int) p.bind.invokeExact(s, name, (int) name.byteSize(), err);
        });
    }

    public int listen(long s, int backlog) {
        return call(s, (p, arena, err) -> (int) p.listen.invokeExact(s, backlog, err));
    }

    /** accept(s, NULL, NULL): INVALID_SOCKET and WSAGetLastError() on failure. */
    public long accept(long s) {
        ProviderTable p = route(s);
        if (p == null) return INVALID_SOCKET;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            long c = (long) p.accept.invokeExact(s, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0L, err);
            if (c == INVALID_SOCKET) {
                WSASetLastError(err.get(JAVA_INT, 0));
                return INVALID_SOCKET;
            }
            routes.put(c, p);
            return c;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    public int connect(long s, InetSocketAddress a) {
        return call(s, (p, arena, err) -> {
            MemorySegment name = sockaddr(a, arena);
            MemorySegment none = MemorySegment.NULL;
            return (int) p.connect.invokeExact(s, name, (int) name.byteSize(), none, none, none, none, err);
        });
    }

    /** send: the number of bytes sent, or SOCKET_ERROR. */
    public int send(long s, byte[] buf, int len, int flags) {
        return sendto(s, buf, len, flags, null);
    }

    /** sendto (to = null: the connected peer): the number of bytes sent, or SOCKET_ERROR. */
    public int sendto(long s, byte[] buf, int len, int flags, InetSocketAddress to) {
        return call(s, (p, arena, err) -> {
            if (len < 0 || len > buf.length) return refuse(err, WSAEFAULT);
            MemorySegment data = arena.allocate(Math.max(len, 1));
            MemorySegment.copy(buf, 0, data, JAVA_BYTE, 0, len);
            MemorySegment wsabuf = wsabuf(arena, data, len);
            MemorySegment sent = arena.allocate(JAVA_INT);
            MemorySegment none = MemorySegment.NULL;
            int rc;
            if (to == null) {
                rc = (int) p.send.invokeExact(s, wsabuf, 1, sent, flags, none, none, none, err);
            } else {
                MemorySegment name = sockaddr(to, arena);
                rc = (int) p.sendTo.invokeExact(s, wsabuf, 1, sent, flags, name, (int) name.byteSize(), none, none, none, err);
            }
            return rc == SOCKET_ERROR ? rc : sent.get(JAVA_INT, 0);
        });
    }

    /** recv: the number of bytes received (0: the peer closed gracefully), or SOCKET_ERROR. */
    public int recv(long s, byte[] buf, int len, int flags) {
        return recvfrom(s, buf, len, flags, null);
    }

    /**
     * recvfrom: as recv; when {@code from} is non-null, from[0] receives the sender. A {@code len} that
     * {@code buf} does not have is the provider's to refuse, as ws2_32 passes a bad buffer down: it gets
     * no memory for it, and fails the call (WSAEFAULT) having seen it.
     */
    public int recvfrom(long s, byte[] buf, int len, int flags, InetSocketAddress[] from) {
        return call(s, (p, arena, err) -> {
            boolean bad = len < 0 || len > buf.length;
            MemorySegment data = bad ? MemorySegment.NULL : arena.allocate(Math.max(len, 1));
            MemorySegment wsabuf = wsabuf(arena, data, len);
            MemorySegment received = arena.allocate(JAVA_INT);
            MemorySegment flagsInOut = arena.allocateFrom(JAVA_INT, flags);
            MemorySegment none = MemorySegment.NULL;
            int rc;
            if (from == null) {
                rc = (int) p.recv.invokeExact(s, wsabuf, 1, received, flagsInOut, none, none, none, err);
            } else {
                MemorySegment name = arena.allocate(SockAddrs.MAX_SIZE);
                MemorySegment nameLen = arena.allocateFrom(JAVA_INT, (int) SockAddrs.MAX_SIZE);
                rc = (int) p.recvFrom.invokeExact(s, wsabuf, 1, received, flagsInOut, name, nameLen, none, none, none, err);
                if (rc != SOCKET_ERROR) from[0] = SocketAddresses.read(name, nameLen.get(JAVA_INT, 0)).orElse(null);
            }
            if (rc == SOCKET_ERROR) return rc;
            if (bad) return refuse(err, WSAEFAULT); // a provider that took it anyway: nothing to copy from
            int n = received.get(JAVA_INT, 0);
            MemorySegment.copy(data, JAVA_BYTE, 0, buf, 0, n);
            return n;
        });
    }

    /** A Windows sockaddr for {@code a}. */
    private static MemorySegment sockaddr(InetSocketAddress a, Arena arena) {
        MemorySegment name = arena.allocate(SocketAddresses.length(a));
        SocketAddresses.write(a, name);
        return name;
    }

    private static MemorySegment wsabuf(Arena arena, MemorySegment data, int len) {
        MemorySegment b = arena.allocate(Spi.WSABUF);
        b.set(JAVA_INT, Spi.offset(Spi.WSABUF, "len"), len);
        b.set(ADDRESS, Spi.offset(Spi.WSABUF, "buf"), data);
        return b;
    }

    public int shutdown(long s, int how) {
        return call(s, (p, arena, err) -> (int) p.shutdown.invokeExact(s, how, err));
    }

    public int closesocket(long s) {
        return call(s, (p, arena, err) -> {
            int rc = (int) p.closeSocket.invokeExact(s, err);
            if (rc == SOCKET_ERROR) return rc;
            routes.remove(s);
            SocketHandles.Handle h = handles.get(s);
            if (h != null && h.ifs()) handles.remove(s); // created handles are the provider's to close
            return 0;
        });
    }

    /** setsockopt with an int (or BOOL) value. */
    public int setsockopt(long s, int level, int optname, int value) {
        return call(s, (p, arena, err) -> {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            return (int) p.setSockOpt.invokeExact(s, level, optname, v, 4, err);
        });
    }

    /**
     * setsockopt with the option's bytes as they are: {@code optval} (its size is optlen), e.g. a SOCKET
     * for SO_UPDATE_ACCEPT_CONTEXT.
     */
    public int setsockopt(long s, int level, int optname, MemorySegment optval) {
        return call(s, (p, arena, err) ->
                (int) p.setSockOpt.invokeExact(s, level, optname, optval, Math.toIntExact(optval.byteSize()), err));
    }

    /** setsockopt(SOL_SOCKET, SO_LINGER, {on, seconds}). */
    public int setLinger(long s, boolean on, int seconds) {
        return call(s, (p, arena, err) -> {
            MemorySegment linger = arena.allocate(Spi.LINGER);
            linger.set(JAVA_SHORT, Spi.offset(Spi.LINGER, "l_onoff"), (short) (on ? 1 : 0));
            linger.set(JAVA_SHORT, Spi.offset(Spi.LINGER, "l_linger"), (short) seconds);
            return (int) p.setSockOpt.invokeExact(s, Ws2Def.SOL_SOCKET, Ws2Def.SO_LINGER, linger,
                    (int) Spi.LINGER.byteSize(), err);
        });
    }

    /** getsockopt of an int-valued option into value[0]. */
    public int getsockopt(long s, int level, int optname, int[] value) {
        return call(s, (p, arena, err) -> {
            MemorySegment v = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocateFrom(JAVA_INT, 4);
            int rc = (int) p.getSockOpt.invokeExact(s, level, optname, v, len, err);
            if (rc == SOCKET_ERROR) return rc;
            value[0] = v.get(JAVA_INT, 0);
            return 0;
        });
    }

    /** ioctlsocket(s, cmd, argp): FIONBIO reads argp[0]; FIONREAD and SIOCATMARK write it. */
    public int ioctlsocket(long s, int cmd, int[] argp) {
        return call(s, (p, arena, err) -> {
            MemorySegment arg = arena.allocateFrom(JAVA_INT, argp[0]);
            MemorySegment returned = arena.allocate(JAVA_INT);
            MemorySegment none = MemorySegment.NULL;
            boolean in = (cmd & Ioctls.IOC_IN) != 0;
            MemorySegment inBuffer = in ? arg : none;
            MemorySegment outBuffer = in ? none : arg;
            int rc = (int) p.ioctl.invokeExact(s, cmd, inBuffer, in ? 4 : 0, outBuffer, in ? 0 : 4,
                    returned, none, none, none, err);
            if (rc == SOCKET_ERROR) return rc;
            if (!in) argp[0] = arg.get(JAVA_INT, 0);
            return 0;
        });
    }

    /** getsockname: the local address, or null (with WSAGetLastError()). */
    public InetSocketAddress getsockname(long s) {
        return name(s, false);
    }

    /** getpeername: the peer's address, or null (with WSAGetLastError()). */
    public InetSocketAddress getpeername(long s) {
        return name(s, true);
    }

    private InetSocketAddress name(long s, boolean peer) {
        ProviderTable p = route(s);
        if (p == null) return null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment name = arena.allocate(SockAddrs.MAX_SIZE);
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) SockAddrs.MAX_SIZE);
            int rc = peer ? (int) p.getPeerName.invokeExact(s, name, len, err)
                    : (int) p.getSockName.invokeExact(s, name, len, err);
            if (rc == SOCKET_ERROR) {
                WSASetLastError(err.get(JAVA_INT, 0));
                return null;
            }
            return SocketAddresses.read(name, len.get(JAVA_INT, 0)).orElse(null);
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    // ---- notification -------------------------------------------------------------------------------

    /** WSAAsyncSelect: WSAEINVAL for a window that does not exist (when lEvent != 0), as Winsock documents. */
    public int WSAAsyncSelect(long s, long hWnd, int wMsg, int lEvent) {
        return call(s, (p, arena, err) -> {
            if (lEvent != 0 && !windows.isWindow(hWnd)) return refuse(err, WSAEINVAL);
            return (int) p.asyncSelect.invokeExact(s, hWnd, wMsg, lEvent, err);
        });
    }

    /** WSACreateEvent: a manual-reset event object, not signalled (a {@link HostEvents} handle); 0 on failure. */
    public long WSACreateEvent() {
        try {
            return events.create();
        } catch (RuntimeException e) {
            WSASetLastError(WSA_NOT_ENOUGH_MEMORY);
            return 0;
        }
    }

    /** WSACloseEvent: false (WSA_INVALID_HANDLE) if it is not an event of this host. */
    public boolean WSACloseEvent(long hEvent) {
        if (events.close(hEvent)) return true;
        WSASetLastError(WSA_INVALID_HANDLE);
        return false;
    }

    /** WSASetEvent: false (WSA_INVALID_HANDLE) if it is not an event of this host. */
    public boolean WSASetEvent(long hEvent) {
        if (events.set(hEvent)) return true;
        WSASetLastError(WSA_INVALID_HANDLE);
        return false;
    }

    /** WSAResetEvent: false (WSA_INVALID_HANDLE) if it is not an event of this host. */
    public boolean WSAResetEvent(long hEvent) {
        if (events.reset(hEvent)) return true;
        WSASetLastError(WSA_INVALID_HANDLE);
        return false;
    }

    /** WSAEventSelect: WSAEINVAL for an event object this host did not make (when lEvent != 0). */
    public int WSAEventSelect(long s, long hEvent, int lEvent) {
        return call(s, (p, arena, err) -> {
            if (lEvent != 0 && !events.isEvent(hEvent)) return refuse(err, WSAEINVAL);
            return (int) p.eventSelect.invokeExact(s, hEvent, lEvent, err);
        });
    }

    /**
     * WSAEnumNetworkEvents: fills {@code out}, resets {@code hEvent} (if not 0). {@code out} is the
     * application's WSANETWORKEVENTS: the provider sees its contents, and what the provider leaves
     * alone (the iErrorCode slots of events it does not report) comes back as it was.
     */
    public int WSAEnumNetworkEvents(long s, long hEvent, NetworkEvents out) {
        return call(s, (p, arena, err) -> {
            if (hEvent != 0 && !events.isEvent(hEvent)) return refuse(err, WSA_INVALID_HANDLE);
            MemorySegment ne = arena.allocate(Spi.WSANETWORKEVENTS);
            long eventsAt = Spi.offset(Spi.WSANETWORKEVENTS, "lNetworkEvents");
            long errors = Spi.offset(Spi.WSANETWORKEVENTS, "iErrorCode");
            ne.set(JAVA_INT, eventsAt, out.lNetworkEvents);
            for (int i = 0; i < FdEvents.FD_MAX_EVENTS; i++) ne.set(JAVA_INT, errors + 4L * i, out.iErrorCode[i]);
            int rc = (int) p.enumNetworkEvents.invokeExact(s, hEvent, ne, err);
            if (rc == SOCKET_ERROR) return rc;
            out.lNetworkEvents = ne.get(JAVA_INT, eventsAt);
            for (int i = 0; i < FdEvents.FD_MAX_EVENTS; i++) out.iErrorCode[i] = ne.get(JAVA_INT, errors + 4L * i);
            return 0;
        });
    }

    // ---- overlapped I/O -----------------------------------------------------------------------------

    /**
     * WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped, NULL). Each of
     * {@code buffers} becomes one WSABUF (for an overlapped call they are the application's native memory and
     * must stay valid until the request completes; the WSABUF array itself need not). {@code flags[0]} is
     * read and, when the call completes at once, replaced; {@code received[0]} (may be null when
     * overlapped) gets the bytes. {@code overlapped}: {@link MemorySegment#NULL} for an ordinary call,
     * else the application's OVERLAPPED: 0 when the request completed at once (hEvent is signalled and a
     * packet queued all the same), SOCKET_ERROR with WSA_IO_PENDING when it completes later.
     */
    public int WSARecv(long s, MemorySegment[] buffers, int[] received, int[] flags, MemorySegment overlapped) {
        return WSARecv(s, buffers, received, flags, overlapped, MemorySegment.NULL);
    }

    /**
     * WSARecv with a completion routine (an LPWSAOVERLAPPED_COMPLETION_ROUTINE, or NULL): when the request
     * completes, the routine runs on this thread during one of its alertable waits ({@link #SleepEx});
     * hEvent is then the application's, neither signalled nor reset, and no packet is queued.
     */
    public int WSARecv(long s, MemorySegment[] buffers, int[] received, int[] flags, MemorySegment overlapped,
                       MemorySegment completionRoutine) {
        return WSARecvFrom(s, buffers, received, flags, MemorySegment.NULL, MemorySegment.NULL, overlapped,
                completionRoutine);
    }

    /**
     * WSARecvFrom: as {@link #WSARecv}; when {@code from} is not NULL the sender's Windows sockaddr is written
     * there and its length to the int at {@code fromLen} (in: the room). Both are the application's memory
     * and, for an overlapped call, must stay valid until the request completes, as Winsock documents.
     */
    public int WSARecvFrom(long s, MemorySegment[] buffers, int[] received, int[] flags, MemorySegment from,
                           MemorySegment fromLen, MemorySegment overlapped) {
        return WSARecvFrom(s, buffers, received, flags, from, fromLen, overlapped, MemorySegment.NULL);
    }

    /** WSARecvFrom with a completion routine: see {@link #WSARecv(long, MemorySegment[], int[], int[], MemorySegment, MemorySegment)}. */
    public int WSARecvFrom(long s, MemorySegment[] buffers, int[] received, int[] flags, MemorySegment from,
                           MemorySegment fromLen, MemorySegment overlapped, MemorySegment completionRoutine) {
        return call(s, (p, arena, err) -> {
            boolean ovl = !Native.isNull(overlapped);
            if (buffers.length == 0 || flags.length < 1 || (!ovl && (received == null || received.length < 1))) {
                return refuse(err, WSAEFAULT);
            }
            MemorySegment wsabufs = wsabufs(arena, buffers);
            MemorySegment n = arena.allocate(JAVA_INT);
            MemorySegment f = arena.allocateFrom(JAVA_INT, flags[0]);
            MemorySegment routine = ovl ? completionRoutine : MemorySegment.NULL;
            MemorySegment thread = threadId(arena, routine);
            int rc = Native.isNull(from)
                    ? (int) p.recv.invokeExact(s, wsabufs, buffers.length, n, f, overlapped, routine, thread, err)
                    : (int) p.recvFrom.invokeExact(s, wsabufs, buffers.length, n, f, from, fromLen, overlapped, routine,
                            thread, err);
            if (rc == SOCKET_ERROR) return rc;
            if (received != null && received.length > 0) received[0] = n.get(JAVA_INT, 0);
            flags[0] = f.get(JAVA_INT, 0);
            return 0;
        });
    }

    /**
     * WSAIoctl(s, code, in, out, lpcbBytesReturned, lpOverlapped, NULL): {@code in}/{@code out} are the
     * application's buffers (NULL for none; for an overlapped call they must stay valid until it
     * completes); {@code returned[0]} gets the bytes written to {@code out} when the call completes at once.
     */
    public int WSAIoctl(long s, int code, MemorySegment in, MemorySegment out, int[] returned, MemorySegment overlapped) {
        return call(s, (p, arena, err) -> {
            MemorySegment n = arena.allocate(JAVA_INT);
            MemorySegment none = MemorySegment.NULL;
            int rc = (int) p.ioctl.invokeExact(s, code, in, (int) in.byteSize(), out, (int) out.byteSize(), n, overlapped,
                    none, none, err);
            if (rc == SOCKET_ERROR) return rc;
            if (returned != null && returned.length > 0) returned[0] = n.get(JAVA_INT, 0);
            return 0;
        });
    }

    /** WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped, NULL): as {@link #WSARecv}. */
    public int WSASend(long s, MemorySegment[] buffers, int[] sent, int flags, MemorySegment overlapped) {
        return WSASendTo(s, buffers, sent, flags, null, overlapped, MemorySegment.NULL);
    }

    /** WSASend with a completion routine: see {@link #WSARecv(long, MemorySegment[], int[], int[], MemorySegment, MemorySegment)}. */
    public int WSASend(long s, MemorySegment[] buffers, int[] sent, int flags, MemorySegment overlapped,
                       MemorySegment completionRoutine) {
        return WSASendTo(s, buffers, sent, flags, null, overlapped, completionRoutine);
    }

    /** WSASendTo: as {@link #WSASend}, to {@code to} (null: the connected peer); the address is copied by the call. */
    public int WSASendTo(long s, MemorySegment[] buffers, int[] sent, int flags, InetSocketAddress to, MemorySegment overlapped) {
        return WSASendTo(s, buffers, sent, flags, to, overlapped, MemorySegment.NULL);
    }

    /** WSASendTo with a completion routine. */
    public int WSASendTo(long s, MemorySegment[] buffers, int[] sent, int flags, InetSocketAddress to, MemorySegment overlapped,
                         MemorySegment completionRoutine) {
        return call(s, (p, arena, err) -> {
            boolean ovl = !Native.isNull(overlapped);
            if (buffers.length == 0 || (!ovl && (sent == null || sent.length < 1))) return refuse(err, WSAEFAULT);
            MemorySegment wsabufs = wsabufs(arena, buffers);
            MemorySegment n = arena.allocate(JAVA_INT);
            MemorySegment routine = ovl ? completionRoutine : MemorySegment.NULL;
            MemorySegment thread = threadId(arena, routine);
            int rc;
            if (to == null) {
                rc = (int) p.send.invokeExact(s, wsabufs, buffers.length, n, flags, overlapped, routine, thread, err);
            } else {
                MemorySegment name = sockaddr(to, arena);
                rc = (int) p.sendTo.invokeExact(s, wsabufs, buffers.length, n, flags, name, (int) name.byteSize(),
                        overlapped, routine, thread, err);
            }
            if (rc == SOCKET_ERROR) return rc;
            if (sent != null && sent.length > 0) sent[0] = n.get(JAVA_INT, 0);
            return 0;
        });
    }

    /**
     * The calling thread's WSATHREADID, which ws2_32 fills and passes down with a completion routine
     * (the provider queues the routine's APC to it); NULL without a routine.
     */
    private MemorySegment threadId(Arena arena, MemorySegment completionRoutine) {
        if (Native.isNull(completionRoutine)) return MemorySegment.NULL;
        MemorySegment id = arena.allocate(_WSATHREADID.layout());
        id.set(JAVA_LONG, _WSATHREADID.ThreadHandle$offset(), apcs.currentThread());
        id.set(JAVA_LONG, _WSATHREADID.Reserved$offset(), 0);
        return id;
    }

    /**
     * SleepEx(dwMilliseconds, bAlertable): waits {@code millis} ({@link #WSA_INFINITE}: forever); alertable,
     * it returns WSA_WAIT_IO_COMPLETION as soon as this thread's queued APCs (completion routines) have run.
     * 0 when the time is up.
     */
    public int SleepEx(int millis, boolean alertable) {
        try {
            return apcs.sleep(millis, alertable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** WSA_WAIT_IO_COMPLETION: an alertable wait ended because completion routines ran. */
    public static final int WSA_WAIT_IO_COMPLETION = ApcQueues.WAIT_IO_COMPLETION;

    /** A WSABUF array over {@code buffers}, in the call's arena (providers copy what they keep). */
    private static MemorySegment wsabufs(Arena arena, MemorySegment[] buffers) {
        MemorySegment array = arena.allocate(Spi.WSABUF, buffers.length);
        for (int i = 0; i < buffers.length; i++) {
            MemorySegment b = array.asSlice(i * Spi.WSABUF.byteSize(), Spi.WSABUF);
            b.set(JAVA_INT, Spi.offset(Spi.WSABUF, "len"), Math.toIntExact(buffers[i].byteSize()));
            b.set(ADDRESS, Spi.offset(Spi.WSABUF, "buf"), buffers[i]);
        }
        return array;
    }

    /**
     * WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags): true with the bytes in
     * {@code transferred[0]} and the flags in {@code flags[0]}; false with WSAGetLastError(): the request's
     * error, or WSA_IO_INCOMPLETE if it is still pending and {@code wait} is false.
     */
    public boolean WSAGetOverlappedResult(long s, MemorySegment overlapped, int[] transferred, boolean wait, int[] flags) {
        ProviderTable p = route(s);
        if (p == null) return false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment n = arena.allocate(JAVA_INT);
            MemorySegment f = arena.allocate(JAVA_INT);
            int ok = (int) p.getOverlappedResult.invokeExact(s, overlapped, n, wait ? 1 : 0, f, err);
            transferred[0] = n.get(JAVA_INT, 0);
            flags[0] = f.get(JAVA_INT, 0);
            if (ok != 0) return true;
            WSASetLastError(err.get(JAVA_INT, 0));
            return false;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    /** WSA_WAIT_EVENT_0: WSAWaitForMultipleEvents' result for the first event (add the index). */
    public static final int WSA_WAIT_EVENT_0 = WinApi.WAIT_OBJECT_0();
    /** WSA_WAIT_TIMEOUT (= WAIT_TIMEOUT). */
    public static final int WSA_WAIT_TIMEOUT = WinApi.WAIT_TIMEOUT();
    /** WSA_WAIT_FAILED: see WSAGetLastError(). */
    public static final int WSA_WAIT_FAILED = -1;
    /** WSA_INFINITE: wait without a timeout. */
    public static final int WSA_INFINITE = -1;
    /** WSA_MAXIMUM_WAIT_EVENTS. */
    public static final int WSA_MAXIMUM_WAIT_EVENTS = 64;

    /**
     * WSAWaitForMultipleEvents(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable) over events of this
     * host, as WaitForMultipleObjectsEx ({@link EventWait}): WSA_WAIT_EVENT_0 + the index of the
     * lowest-indexed signalled event (waitAll: WSA_WAIT_EVENT_0 once all were signalled at the same time),
     * WSA_WAIT_TIMEOUT, WSA_WAIT_IO_COMPLETION ({@code alertable}: this thread's queued APCs ran, also one
     * queued during the wait), or WSA_WAIT_FAILED with WSAGetLastError(): WSA_INVALID_PARAMETER (no
     * events, more than WSA_MAXIMUM_WAIT_EVENTS, an event twice in a waitAll), WSA_INVALID_HANDLE (not an
     * event of this host, or closed during the wait, which Windows leaves undefined). An auto-reset event
     * that satisfies the wait is reset: the one returned, or with waitAll all of them together.
     */
    public int WSAWaitForMultipleEvents(long[] hEvents, boolean waitAll, int timeoutMillis, boolean alertable) {
        if (hEvents.length == 0 || hEvents.length > WSA_MAXIMUM_WAIT_EVENTS) {
            WSASetLastError(WSA_INVALID_PARAMETER);
            return WSA_WAIT_FAILED;
        }
        HostEvent[] waited = new HostEvent[hEvents.length];
        for (int i = 0; i < hEvents.length; i++) {
            waited[i] = events.find(hEvents[i]);
            if (waited[i] == null) {
                WSASetLastError(WSA_INVALID_HANDLE);
                return WSA_WAIT_FAILED;
            }
        }
        // Windows refuses copies of a handle; with waitAll they would make "consumed together" ambiguous.
        if (waitAll && Arrays.stream(hEvents).distinct().count() < hEvents.length) {
            WSASetLastError(WSA_INVALID_PARAMETER);
            return WSA_WAIT_FAILED;
        }
        ApcQueues alerts = alertable ? apcs : null;
        int r = waitAll ? EventWait.awaitAll(waited, timeoutMillis, alerts) : EventWait.awaitAny(waited, timeoutMillis, alerts);
        return switch (r) {
            case EventWait.TIMEOUT -> WSA_WAIT_TIMEOUT;
            case EventWait.ALERTED -> WSA_WAIT_IO_COMPLETION;
            case EventWait.CLOSED -> {
                WSASetLastError(WSA_INVALID_HANDLE);
                yield WSA_WAIT_FAILED;
            }
            default -> WSA_WAIT_EVENT_0 + r;
        };
    }

    // ---- Microsoft extension functions ---------------------------------------------------------------

    /**
     * WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &WSAID_..., &fn): the pointer socket {@code s}'s
     * provider answers with, which the application calls directly, not through ws2_32; NULL with
     * WSAGetLastError() on failure (WSAEINVAL: the provider does not offer it). The callers below call
     * through such a pointer, as an application does; the function reports failure as FALSE and the
     * thread's last error.
     */
    public MemorySegment extensionFunction(long s, ExtensionFunction f) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment guid = arena.allocate(Spi.GUID);
            Guids.write(guid, f.guid());
            MemorySegment fn = arena.allocate(ADDRESS);
            if (WSAIoctl(s, Ioctls.SIO_GET_EXTENSION_FUNCTION_POINTER, guid, fn, null, MemorySegment.NULL) == SOCKET_ERROR) {
                return MemorySegment.NULL;
            }
            return fn.get(ADDRESS, 0);
        }
    }

    /**
     * AcceptEx through {@code acceptEx} (an LPFN_ACCEPTEX): true if it completed at once (with the bytes
     * received in {@code received[0]}; the completion is notified all the same), else false with
     * WSAGetLastError() WSA_IO_PENDING (completes later) or the error. {@code output} and
     * {@code overlapped} are the application's and must outlive the request.
     */
    public boolean AcceptEx(MemorySegment acceptEx, long listen, long accept, MemorySegment output, int receiveLength,
                            int localLength, int remoteLength, int[] received, MemorySegment overlapped) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            MethodHandle fn = Native.downcall(acceptEx, LPFN_ACCEPTEX.descriptor());
            int ok = (int) fn.invokeExact(listen, accept, output, receiveLength, localLength, remoteLength, n, overlapped);
            if (ok != 0 && received != null && received.length > 0) received[0] = n.get(JAVA_INT, 0);
            return ok != 0;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    /**
     * GetAcceptExSockaddrs through {@code getAcceptExSockaddrs} over an AcceptEx's {@code output}, with the
     * same lengths: {local, remote} (an entry is null if its slot holds no address the host reads).
     */
    public InetSocketAddress[] GetAcceptExSockaddrs(MemorySegment getAcceptExSockaddrs, MemorySegment output,
                                                    int receiveLength, int localLength, int remoteLength) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment local = arena.allocate(ADDRESS);
            MemorySegment remote = arena.allocate(ADDRESS);
            MemorySegment localLen = arena.allocate(JAVA_INT);
            MemorySegment remoteLen = arena.allocate(JAVA_INT);
            MethodHandle fn = Native.downcall(getAcceptExSockaddrs, LPFN_GETACCEPTEXSOCKADDRS.descriptor());
            fn.invokeExact(output, receiveLength, localLength, remoteLength, local, localLen, remote, remoteLen);
            return new InetSocketAddress[] {address(local, localLen), address(remote, remoteLen)};
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    private static InetSocketAddress address(MemorySegment pointer, MemorySegment length) {
        MemorySegment at = pointer.get(ADDRESS, 0);
        int len = length.get(JAVA_INT, 0);
        if (at.address() == 0 || len <= 0) return null;
        return SocketAddresses.read(at.reinterpret(len), len).orElse(null);
    }

    /**
     * ConnectEx through {@code connectEx} (an LPFN_CONNECTEX): {@code s} must be bound. {@code sendBuffer}:
     * NULL, or the application's bytes to send once connected (they must outlive the request). True if
     * done at once ({@code sent[0]}: the bytes sent), else false with WSAGetLastError() WSA_IO_PENDING
     * or the error.
     */
    public boolean ConnectEx(MemorySegment connectEx, long s, InetSocketAddress to, MemorySegment sendBuffer, int[] sent,
                             MemorySegment overlapped) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = sockaddr(to, arena);
            MemorySegment n = arena.allocate(JAVA_INT);
            MethodHandle fn = Native.downcall(connectEx, LPFN_CONNECTEX.descriptor());
            int ok = (int) fn.invokeExact(s, name, (int) name.byteSize(), sendBuffer,
                    Math.toIntExact(sendBuffer.byteSize()), n, overlapped);
            if (ok != 0 && sent != null && sent.length > 0) sent[0] = n.get(JAVA_INT, 0);
            return ok != 0;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    /** DisconnectEx through {@code disconnectEx} (an LPFN_DISCONNECTEX): true, or false with WSAGetLastError(). */
    public boolean DisconnectEx(MemorySegment disconnectEx, long s, MemorySegment overlapped, int flags) {
        try {
            MethodHandle fn = Native.downcall(disconnectEx, LPFN_DISCONNECTEX.descriptor());
            return (int) fn.invokeExact(s, overlapped, flags, 0) != 0;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    // ---- I/O completion ports ------------------------------------------------------------------------

    /** INVALID_HANDLE_VALUE: CreateIoCompletionPort's "no handle: just make a port". */
    public static final long INVALID_HANDLE_VALUE = WinApi.INVALID_HANDLE_VALUE().address();

    /**
     * CreateIoCompletionPort(FileHandle, ExistingCompletionPort, CompletionKey, 0). With
     * {@link #INVALID_HANDLE_VALUE}: a new port. With a socket: associates it with {@code existingPort}
     * (0: a new one) so its overlapped completions queue packets carrying {@code key}; the port's handle.
     * 0 on failure, with the error (ERROR_INVALID_HANDLE, or ERROR_INVALID_PARAMETER for a socket
     * associated already) in WSAGetLastError(), the one per-thread error slot GetLastError also reads.
     */
    public long CreateIoCompletionPort(long fileHandle, long existingPort, long key) {
        if (fileHandle == INVALID_HANDLE_VALUE) {
            if (existingPort != 0) return failHandle(WinApi.ERROR_INVALID_PARAMETER());
            return ports.create();
        }
        if (handles.get(fileHandle) == null) return failHandle(WinApi.ERROR_INVALID_HANDLE());
        long portHandle = existingPort != 0 ? existingPort : ports.create();
        IoCompletionPort port = ports.get(portHandle);
        if (port == null) return failHandle(WinApi.ERROR_INVALID_HANDLE());
        SocketHandles.Association outcome = handles.associate(fileHandle, port, key);
        if (outcome == SocketHandles.Association.ASSOCIATED) return portHandle;
        if (existingPort == 0) ports.close(portHandle);
        return failHandle(outcome == SocketHandles.Association.ALREADY_ASSOCIATED
                ? WinApi.ERROR_INVALID_PARAMETER() : WinApi.ERROR_INVALID_HANDLE());
    }

    private long failHandle(int error) {
        WSASetLastError(error);
        return 0;
    }

    /**
     * GetQueuedCompletionStatus(port, ..., dwMilliseconds): the oldest packet, waiting up to
     * {@code timeoutMillis} ({@link #WSA_INFINITE}: forever). A failed request's packet carries its Winsock
     * error. Null with WSAGetLastError() WAIT_TIMEOUT on timeout, ERROR_ABANDONED_WAIT_0 if the port was
     * closed while waiting, ERROR_INVALID_HANDLE if it is not a port.
     */
    public QueuedCompletion GetQueuedCompletionStatus(long port, int timeoutMillis) {
        IoCompletionPort p = ports.get(port);
        if (p == null) {
            failHandle(WinApi.ERROR_INVALID_HANDLE());
            return null;
        }
        try {
            QueuedCompletion packet = p.take(timeoutMillis);
            if (packet == null) failHandle(p.isClosed() ? WinApi.ERROR_ABANDONED_WAIT_0() : WinApi.WAIT_TIMEOUT());
            return packet;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failHandle(WSAEINTR);
            return null;
        }
    }

    /** PostQueuedCompletionStatus(port, bytes, key, lpOverlapped): false (ERROR_INVALID_HANDLE) if not an open port. */
    public boolean PostQueuedCompletionStatus(long port, int bytes, long key, long overlapped) {
        IoCompletionPort p = ports.get(port);
        if (p != null && p.post(new QueuedCompletion(key, overlapped, bytes, 0))) return true;
        failHandle(WinApi.ERROR_INVALID_HANDLE());
        return false;
    }

    /**
     * CloseHandle for a completion port (the host's only non-socket, non-event handles): waiters in
     * GetQueuedCompletionStatus return (ERROR_ABANDONED_WAIT_0). False (ERROR_INVALID_HANDLE) otherwise.
     */
    public boolean CloseHandle(long handle) {
        if (ports.close(handle)) return true;
        failHandle(WinApi.ERROR_INVALID_HANDLE());
        return false;
    }

    /** Sockets this ws2 routes (open application sockets). */
    public int openSockets() {
        return routes.size();
    }
}
