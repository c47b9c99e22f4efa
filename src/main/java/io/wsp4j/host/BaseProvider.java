package io.wsp4j.host;

import static io.wsp4j.winsock.FdEvents.*;
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
import io.wsp4j.bindings.LPWSAOVERLAPPED_COMPLETION_ROUTINE;
import io.wsp4j.bindings.LPWSAUSERAPC;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.linux.Epoll;
import io.wsp4j.core.linux.EpollCompletionPort;
import io.wsp4j.core.linux.Errno;
import io.wsp4j.core.linux.Libc;
import io.wsp4j.core.linux.LinuxSockets;
import io.wsp4j.core.linux.Poll;
import io.wsp4j.select.RegisterOutcome;
import io.wsp4j.select.SelectEngine;
import io.wsp4j.select.SendOutcome;
import io.wsp4j.select.SelectRules;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The base provider of the Linux host (the role msafd/mswsock plays on Windows): a WSPPROC_TABLE of
 * upcall stubs over Linux sockets. Sockets are non-blocking underneath; Winsock's blocking mode is
 * emulated by waiting with poll(2). Readiness comes from an {@link EpollCompletionPort} watching every
 * socket (edge-triggered). It drives a {@link SelectEngine} for WSPAsyncSelect (messages through
 * WPUPostMessage of the upcall table, by the host's {@link SelectRules}), which takes what holds (levels),
 * and each socket's {@link EventRecord} for WSPEventSelect, which takes what happens (an arrival of data,
 * of a connection, of urgent data; a connection made or closed), as Windows' AFD records them. Where
 * Linux says more than Windows would (hung up after a local shutdown, one urgent byte), the provider
 * decides what Windows would have seen: see README.md, "The Linux SPI host".
 *
 * <p>Handles are IFS handles: the fd, registered with ws2 through WPUModifyIFSHandle. Overlapped
 * WSPRecv/WSPRecvFrom/WSPSend/WSPSendTo are tried at once; a request that would block waits in its
 * socket's queue (one per direction, oldest first) until the dispatcher finds the socket ready, and
 * completes through {@link OverlappedCompletion}. A non-overlapped call of the same direction waits
 * behind queued requests (WSAEWOULDBLOCK if non-blocking), so bytes never overtake them. A completion
 * routine is called by an APC queued (WPUQueueApc) to the thread the caller's WSATHREADID names.
 * The IOCTLs it supports finish at once, overlapped or not. WSPJoinLeaf, QOS and WSPDuplicateSocket
 * are not supported (WSAEOPNOTSUPP); see each entry.
 *
 * <p>SIO_GET_EXTENSION_FUNCTION_POINTER gives mswsock's AcceptEx, ConnectEx, DisconnectEx and
 * GetAcceptExSockaddrs (upcall stubs of this provider; no other extension function is offered:
 * WSAEINVAL). They report failure as FALSE and the thread's last error, as on Windows. An AcceptEx
 * waits in its listener's queue; the accepted connection becomes the accept socket's own handle (the
 * accepted fd is dup'ed onto the accept socket's fd), and if data was asked for, the request then waits
 * as a receive on the accept socket, still completing as a request of the listener. A ConnectEx waits
 * in the socket's send queue until connected, then sends its data. DisconnectEx finishes at once.
 */
public final class BaseProvider {
    private static final Logger LOG = Logger.getLogger(BaseProvider.class.getName());
    private static final int SOCKET_WATCH =
            Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLPRI | Epoll.EPOLLRDHUP | Epoll.EPOLLET;

    private final ConcurrentHashMap<Long, BaseSocket> sockets = new ConcurrentHashMap<>();
    private final SelectRules rules;
    /** WSPAsyncSelect; WSPEventSelect keeps each socket's {@link EventRecord}. */
    private final SelectEngine asyncEngine;
    private final AtomicLongArray upcalls = new AtomicLongArray(Spi.PROC_ENTRIES.size());
    private final Object lifecycle = new Object();
    private volatile boolean loggedFailure;

    private MemorySegment procTable; // the filled WSPPROC_TABLE (global arena)
    private MethodHandle wpuModifyIfsHandle;
    private MethodHandle wpuPostMessage;
    private MethodHandle wpuQueueApc;
    private int startups;
    private volatile EpollCompletionPort port;
    private Thread dispatcher;

    // Completion routines waiting for their APC, by the APC's context.
    private final ConcurrentHashMap<Long, RoutineCall> routines = new ConcurrentHashMap<>();
    private final AtomicLong nextRoutine = new AtomicLong();
    /** The LPWSAUSERAPC the base provider queues: calls the completion routine its context names. */
    private final MemorySegment completionApc = Native.upcall(
            Native.bound(this, "completionApc", LPWSAUSERAPC.descriptor().toMethodType()), LPWSAUSERAPC.descriptor());

    /** The WSPStartup upcall stub of this provider: what a loader finds under the symbol "WSPStartup". */
    private final MemorySegment startupStub;

    private final HostEvents events;
    private final OverlappedCompletion completion;
    /** Where the extension functions, called directly by the application, report their errors. */
    private final LastError lastError;
    /** The extension functions SIO_GET_EXTENSION_FUNCTION_POINTER hands out: upcall stubs, made once. */
    private final Map<ExtensionFunction, MemorySegment> extensionFunctions = new EnumMap<>(ExtensionFunction.class);
    /** AcceptEx requests waiting for their first data on the accepted socket, by OVERLAPPED address. */
    private final ConcurrentHashMap<Long, BaseSocket> handedOff = new ConcurrentHashMap<>();

    BaseProvider(HostEvents events, OverlappedCompletion completion, LastError lastError, SelectRules rules) {
        this.rules = rules;
        this.asyncEngine = new SelectEngine(this::postMessage, rules);
        this.events = events;
        this.completion = completion;
        this.lastError = lastError;
        MethodHandle startup = Native.bound(this, "WSPStartup", Spi.WSPSTARTUP.toMethodType());
        this.startupStub = Native.upcall(startup, Spi.WSPSTARTUP);
        extensionFunction(ExtensionFunction.ACCEPT_EX, "AcceptEx", LPFN_ACCEPTEX.descriptor());
        extensionFunction(ExtensionFunction.CONNECT_EX, "ConnectEx", LPFN_CONNECTEX.descriptor());
        extensionFunction(ExtensionFunction.DISCONNECT_EX, "DisconnectEx", LPFN_DISCONNECTEX.descriptor());
        extensionFunction(ExtensionFunction.GET_ACCEPT_EX_SOCKADDRS, "GetAcceptExSockaddrs",
                LPFN_GETACCEPTEXSOCKADDRS.descriptor());
    }

    private void extensionFunction(ExtensionFunction f, String method, FunctionDescriptor descriptor) {
        extensionFunctions.put(f, Native.upcall(Native.bound(this, method, descriptor.toMethodType()), descriptor));
    }

    public MemorySegment startupSymbol() {
        return startupStub;
    }

    /** The pointer this provider hands out for {@code f} (for tests: whose function an application got), or 0. */
    public long extensionFunctionAddress(ExtensionFunction f) {
        MemorySegment fn = extensionFunctions.get(f);
        return fn == null ? 0 : fn.address();
    }

    /** How often ws2 entered the table entry {@code name} (e.g. "lpWSPRecv") through its stub. */
    public long upcallCount(String name) {
        for (int i = 0; i < Spi.PROC_ENTRIES.size(); i++) if (Spi.PROC_ENTRIES.get(i).equals(name)) return upcalls.get(i);
        throw new IllegalArgumentException("no WSPPROC_TABLE entry " + name);
    }

    /** Sockets this provider has open. */
    public int openSockets() {
        return sockets.size();
    }

    private void failed(String entry, Throwable t) {
        if (!loggedFailure) {
            loggedFailure = true; // once: an upcall must neither throw nor flood the log
            LOG.log(Level.SEVERE, "base provider: " + entry + " failed", t);
        }
    }

    // ---- WSPStartup -----------------------------------------------------------------------------

    /** int WSPStartup(WORD, LPWSPDATA, LPWSAPROTOCOL_INFOW, WSPUPCALLTABLE, LPWSPPROC_TABLE). */
    int WSPStartup(short version, MemorySegment lpWSPData, MemorySegment lpProtocolInfo,
                   MemorySegment upcallTable, MemorySegment lpProcTable) {
        try {
            int major = version & 0xff, minor = (version >> 8) & 0xff;
            if (major < 2) return WSAVERNOTSUPPORTED;
            synchronized (lifecycle) {
                if (startups == 0) start(upcallTable);
                startups++;
            }
            MemorySegment data = lpWSPData.reinterpret(Spi.WSPDATA.byteSize());
            data.set(JAVA_SHORT, Spi.offset(Spi.WSPDATA, "wVersion"), (short) 0x0202);
            data.set(JAVA_SHORT, Spi.offset(Spi.WSPDATA, "wHighVersion"), (short) 0x0202);
            Native.setWideString(data.asSlice(Spi.offset(Spi.WSPDATA, "szDescription")),
                    "wsp4j host base provider (Linux sockets)", Spi.DESCRIPTION_CHARS);
            MemorySegment.copy(procTable, 0, lpProcTable.reinterpret(Spi.WSPPROC_TABLE.byteSize()), 0,
                    Spi.WSPPROC_TABLE.byteSize());
            return 0;
        } catch (Throwable t) {
            failed("WSPStartup", t);
            return WSAEPROVIDERFAILEDINIT;
        }
    }

    private void start(MemorySegment upcallTable) {
        MemorySegment up = upcallTable.reinterpret(Spi.WSPUPCALLTABLE.byteSize());
        wpuModifyIfsHandle = wpu(up, "lpWPUModifyIFSHandle");
        wpuPostMessage = wpu(up, "lpWPUPostMessage");
        wpuQueueApc = wpu(up, "lpWPUQueueApc");
        if (procTable == null) procTable = buildProcTable();
        EpollCompletionPort p = new EpollCompletionPort();
        port = p;
        dispatcher = Thread.ofPlatform().daemon().name("wsp4j-host-base-dispatcher").start(() -> dispatch(p));
    }

    private static MethodHandle wpu(MemorySegment table, String name) {
        MemorySegment fn = table.get(ADDRESS, Spi.offset(Spi.WSPUPCALLTABLE, name));
        return Native.downcall(fn, Spi.upcallDescriptor(name));
    }

    private MemorySegment buildProcTable() {
        MemorySegment table = Arena.global().allocate(Spi.WSPPROC_TABLE);
        MethodHandle count;
        try {
            count = MethodHandles.lookup().findVirtual(AtomicLongArray.class, "incrementAndGet",
                    MethodType.methodType(long.class, int.class)).bindTo(upcalls);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < Spi.PROC_ENTRIES.size(); i++) {
            String name = Spi.PROC_ENTRIES.get(i);
            var descriptor = Spi.procJavaDescriptor(name);
            MethodHandle target = Native.bound(this, name.substring(2), descriptor.toMethodType());
            // Count each entry: the proof that ws2 calls come through the function pointers.
            MethodHandle counter = MethodHandles.dropReturn(MethodHandles.insertArguments(count, 0, i));
            MethodHandle counted = MethodHandles.foldArguments(target, counter);
            table.set(ADDRESS, Spi.offset(Spi.WSPPROC_TABLE, name), Native.upcall(counted, descriptor));
        }
        return table;
    }

    /** int WSPCleanup(LPINT): the last one closes every socket and stops the dispatcher. */
    int WSPCleanup(MemorySegment lpErrno) {
        try {
            Thread stopped;
            EpollCompletionPort closing;
            synchronized (lifecycle) {
                if (startups == 0) {
                    Native.setError(lpErrno, WSANOTINITIALISED);
                    return SOCKET_ERROR;
                }
                if (--startups > 0) return 0;
                for (BaseSocket so : sockets.values()) closeSocket(so);
                stopped = dispatcher;
                closing = port;
                dispatcher = null;
                port = null;
            }
            closing.post(STOP);
            stopped.join();
            closing.close();
            return 0;
        } catch (Throwable t) {
            return fail("WSPCleanup", t, lpErrno);
        }
    }

    /** Keys the dispatcher's own port carries besides socket handles (never valid handles). */
    private static final long STOP = -1L;
    private static final long RETRY = -2L;
    private static final int RETRY_MILLIS = 20;
    private static final long RETRY_WINDOW_NANOS = 1_000_000_000L;
    private volatile long lastRefusal = System.nanoTime() - RETRY_WINDOW_NANOS;

    private int fail(String entry, Throwable t, long lpErrno) {
        failed(entry, t);
        try {
            RawMemory.setError(lpErrno, WSASYSCALLFAILURE);
        } catch (Throwable ignored) {
            // a bad lpErrno: nothing more to report through
        }
        return SOCKET_ERROR;
    }

    private int fail(String entry, Throwable t, MemorySegment lpErrno) {
        failed(entry, t);
        try {
            Native.setError(lpErrno, WSASYSCALLFAILURE);
        } catch (Throwable ignored) {
            // a bad lpErrno: nothing more to report through
        }
        return SOCKET_ERROR;
    }

    // ---- the event path: epoll readiness to the engines -----------------------------------------------

    private void dispatch(EpollCompletionPort p) {
        CompletionBatch batch = new CompletionBatch(256);
        while (true) {
            try {
                // While posts are being refused, retry on a short timer (the provider cannot know when
                // a window's queue has room); the refusal itself may still be on its way into the engine.
                boolean retrying = asyncEngine.hasRefused() || System.nanoTime() - lastRefusal < RETRY_WINDOW_NANOS;
                p.poll(batch, retrying ? RETRY_MILLIS : -1);
                for (int i = 0; i < batch.size(); i++) {
                    long key = batch.key(i);
                    if (key == STOP) return;
                    BaseSocket so = sockets.get(key);
                    if (so != null) ready(so);
                }
                if (asyncEngine.hasRefused()) asyncEngine.retryRefused();
            } catch (IllegalStateException closed) {
                return; // the port was closed under us: WSPCleanup
            } catch (Throwable t) {
                failed("dispatcher", t); // one socket's trouble must not stop the others' events
            }
        }
    }

    /**
     * An epoll completion for the socket, translated to FD_* signals. Its mask is only the trigger:
     * it may be stale, so what is signalled is read from the socket now.
     */
    private void ready(BaseSocket so) {
        // Under the socket's monitor: closesocket cannot run meanwhile, so a handle (an fd) that is
        // closed and reused by a new socket never receives the old socket's conditions.
        synchronized (so) {
            if (so.closed) return;
            performPending(so); // first: a failed connection's error is for the requests, read once
            readyLocked(so);
        }
    }

    private void readyLocked(BaseSocket so) {
        long s = so.handle;
        BaseSocket.Phase phase = so.phase;
        // The epoll mask may be stale: queued before connect/accept changed the socket (a fresh TCP
        // socket reports HUP), or before a recv took the data it announced. Conditions are levels to
        // the engines, so decide on what holds now; a receive re-checks under this same monitor.
        if (!so.connectionOriented) {
            if (!so.bound) return; // nothing to send or receive before the socket is bound
            int now = Poll.once(so.fd, (short) (Poll.POLLIN | Poll.POLLOUT), 0);
            if (now <= 0) return;
            if ((now & Poll.POLLERR) != 0) soError(so.fd); // e.g. ICMP port unreachable: reported by recv
            if ((now & Poll.POLLIN) != 0) {
                asyncEngine.signal(s, FD_READ, 0);
                if (arrived(so)) happened(so, FD_READ, 0);
            }
            if ((now & Poll.POLLOUT) != 0) {
                asyncEngine.signal(s, FD_WRITE, 0);
                happened(so, FD_WRITE, 0);
            }
            return;
        }
        int now = Poll.once(so.fd, (short) (Poll.POLLIN | Poll.POLLPRI | Poll.POLLOUT | Poll.POLLRDHUP), 0);
        if (now <= 0) return;
        switch (phase) {
            case FRESH, FAILED -> { } // unconnected: nothing to report
            case LISTENING -> {
                if ((now & Poll.POLLIN) != 0) {
                    asyncEngine.signal(s, FD_ACCEPT, 0);
                    if (arrived(so)) happened(so, FD_ACCEPT, 0); // a connection more than at the last look
                }
            }
            case CONNECTING -> { if (finishConnect(so, now) == 0) connectedReady(so, now); }
            case CONNECTED -> connectedReady(so, now);
        }
    }

    private void connectedReady(BaseSocket so, int mask) {
        long s = so.handle;
        // POLLIN alone is data to read. With the peer gone (RDHUP, HUP, ERR) it is also the end of the
        // stream, which is FD_CLOSE's, not FD_READ's: only then ask whether bytes remain before it.
        boolean ended = (mask & (Poll.POLLRDHUP | Poll.POLLHUP | Poll.POLLERR)) != 0;
        boolean data = (mask & Poll.POLLIN) != 0 && (!ended || readable(so.fd) > 0);
        if (data) asyncEngine.signal(s, FD_READ, 0);
        boolean urgent = (mask & Poll.POLLPRI) != 0;
        if (urgent && !so.oobInline) asyncEngine.signal(s, FD_OOB, 0);
        // WSPEventSelect records arrivals: more bytes than at the last look, and new urgent data (Linux keeps
        // one urgent byte and says nothing of its arrival: urgent data now and not before, or with new bytes).
        // Counted only with POLLIN: bytes that came after the poll are the next look's arrival, not lost.
        boolean arrived = data && arrived(so);
        boolean urgentArrived = urgent && (!so.urgentSeen || arrived);
        so.urgentSeen = urgent;
        if (urgentArrived) happened(so, so.oobInline ? FD_READ : FD_OOB, 0); // SO_OOBINLINE: urgent data is data
        if (arrived && data) happened(so, FD_READ, 0); // an urgent byte alone is no data to read
        if ((mask & Poll.POLLOUT) != 0) {
            asyncEngine.signal(s, FD_WRITE, 0);
            happened(so, FD_WRITE, 0);
        }
        if ((mask & Poll.POLLERR) != 0) {
            int error = Errno.toWsa(soError(so.fd));
            if (error != 0) closed(so, error); // abortive: RST
        }
        if ((mask & (Poll.POLLRDHUP | Poll.POLLHUP)) != 0 && peerClosed(so)) closed(so, so.receiveError);
    }

    /**
     * Linux's hang-up says the receive side is shut: by the peer's close or shutdown(SD_SEND), or by a
     * shutdown(SD_RECEIVE or SD_BOTH) of ours, which Windows does not report. After one of ours, the
     * peer's close is the connection's state.
     */
    private static boolean peerClosed(BaseSocket so) {
        if (!so.receiveShutdown) return true;
        return switch (tcpState(so.fd)) {
            case LinuxSockets.TCP_CLOSE_WAIT, LinuxSockets.TCP_LAST_ACK, LinuxSockets.TCP_CLOSING,
                 LinuxSockets.TCP_TIME_WAIT, LinuxSockets.TCP_CLOSE -> true;
            default -> false;
        };
    }

    /** The peer closed (error 0) or reset the connection: FD_CLOSE, once; a reset carries the rules' code. */
    private void closed(BaseSocket so, int error) {
        synchronized (so) {
            if (so.peerClosedSignalled) return;
            so.peerClosedSignalled = true;
        }
        int reported = error == WSAECONNRESET ? rules.resetError() : error;
        asyncEngine.signal(so.handle, FD_CLOSE, reported);
        // AFD records an abort as a chance to send too (a send then fails at once instead of waiting).
        happened(so, reported == 0 ? FD_CLOSE : FD_CLOSE | FD_WRITE, reported);
    }

    /**
     * Whether data arrived since the last look (WSPEventSelect's FD_READ is an arrival, not a level), and
     * marks what waits now. A stream counts bytes; a datagram socket the memory its queue holds (Linux
     * keeps the queue's memory until the queue is empty, so a read datagram never looks like less).
     */
    private static boolean arrived(BaseSocket so) {
        long waiting = waiting(so);
        boolean arrived = waiting > so.arrivalMark;
        so.arrivalMark = waiting;
        return arrived;
    }

    /** After the application's receive or accept: what waits now is not new. */
    private static void markRead(BaseSocket so) {
        so.arrivalMark = waiting(so);
    }

    /** What waits to be taken: connections for a listener, bytes for a stream, queue memory for datagrams. */
    private static long waiting(BaseSocket so) {
        if (!so.connectionOriented) return receiveQueueMemory(so.fd);
        return so.phase == BaseSocket.Phase.LISTENING ? acceptQueue(so.fd) : readable(so.fd);
    }

    /** {@code events} happened on the socket (under its monitor): recorded for WSPEventSelect, its event signalled if selected. */
    private void happened(BaseSocket so, int events, int error) {
        EventRecord record = so.record;
        if (record.happened(events, error)) this.events.set(record.event);
    }

    /** {@link #finishConnect}: the connect issued by WSPConnect has not finished yet. */
    private static final int STILL_CONNECTING = -1;

    /**
     * The outcome of the connect in progress (0 or a WSAE* code), decided once, by whoever sees it
     * finish, and signalled as FD_CONNECT; {@link #STILL_CONNECTING} while it goes on. Decided on the
     * socket's state now, under its monitor, which WSPConnect holds until connect() has returned.
     */
    private int finishConnect(BaseSocket so) {
        synchronized (so) {
            if (so.phase != BaseSocket.Phase.CONNECTING) return so.connectError;
            return finishConnect(so, Poll.once(so.fd, Poll.POLLOUT, 0));
        }
    }

    /**
     * {@link #finishConnect(BaseSocket)} decided on {@code revents}, a look at the socket taken under its
     * monitor (the dispatcher's, which asks for POLLOUT among others): no second poll per wake-up.
     */
    private int finishConnect(BaseSocket so, int revents) {
        synchronized (so) {
            if (so.phase != BaseSocket.Phase.CONNECTING) return so.connectError;
            // SYN_SENT: none of OUT, ERR, HUP
            if ((revents & (Poll.POLLOUT | Poll.POLLERR | Poll.POLLHUP)) == 0) return STILL_CONNECTING;
            int error = Errno.toWsa(soError(so.fd));
            // SO_ERROR 0 only says no error is pending: a TCP socket that never connected (or whose error
            // was read already) looks the same. Success needs a peer; without one the attempt ended
            // with its error lost, and Linux's own connect() reports that as ECONNABORTED.
            if (error == 0 && !hasPeer(so.fd)) error = WSAECONNABORTED;
            so.connectError = error;
            so.phase = error == 0 ? BaseSocket.Phase.CONNECTED : BaseSocket.Phase.FAILED;
            connectOutcome(so, error);
            return error;
        }
    }

    /** getpeername succeeds: the socket is connected. */
    private static boolean hasPeer(int fd) {
        Scratch scratch = Scratch.get();
        scratch.peerLength.set(JAVA_INT, 0, (int) SockAddrs.MAX_SIZE);
        return Libc.getpeername(fd, scratch.peer, scratch.peerLength) == 0;
    }

    /** A connect ended (under the socket's monitor): FD_CONNECT with its outcome, and on success a chance to send. */
    private void connectOutcome(BaseSocket so, int error) {
        asyncEngine.signal(so.handle, FD_CONNECT, error);
        if (error == 0) so.record.connected();
        happened(so, error == 0 ? FD_CONNECT | FD_WRITE : FD_CONNECT, error);
    }

    private boolean postMessage(long hWnd, int wMsg, long wParam, long lParam) {
        try {
            if ((int) wpuPostMessage.invokeExact(hWnd, wMsg, wParam, lParam) != 0) return true;
            // Refused (a full queue): the engine keeps the event; wake the dispatcher to retry it.
            lastRefusal = System.nanoTime();
            EpollCompletionPort p = port;
            if (p != null) p.post(RETRY);
            return false;
        } catch (Throwable t) {
            failed("WPUPostMessage", t);
            return false;
        }
    }

    // ---- socket helpers --------------------------------------------------------------------------

    private BaseSocket socket(long s, MemorySegment lpErrno) {
        BaseSocket so = sockets.get(s);
        if (so == null) Native.setError(lpErrno, WSAENOTSOCK);
        return so;
    }

    private BaseSocket socket(long s, long lpErrno) {
        BaseSocket so = sockets.get(s);
        if (so == null) RawMemory.setError(lpErrno, WSAENOTSOCK);
        return so;
    }

    private static int error(MemorySegment lpErrno, int code) {
        Native.setError(lpErrno, code);
        return SOCKET_ERROR;
    }

    private static int error(long lpErrno, int code) {
        RawMemory.setError(lpErrno, code);
        return SOCKET_ERROR;
    }

    private static int soError(int fd) {
        Scratch scratch = Scratch.get();
        scratch.valueLength.set(JAVA_INT, 0, (int) JAVA_INT.byteSize());
        if (Libc.getsockopt(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_ERROR, scratch.value, scratch.valueLength) < 0) {
            return Libc.errno();
        }
        return scratch.value.get(JAVA_INT, 0);
    }

    /** FIONREAD: bytes waiting (the size of the next datagram for UDP); 0 on failure. */
    private static int readable(int fd) {
        MemorySegment n = Scratch.get().value;
        return Libc.ioctl(fd, LinuxSockets.FIONREAD, n) < 0 ? 0 : n.get(JAVA_INT, 0);
    }

    /** SO_MEMINFO's receive-queue memory: it grows with every datagram that arrives; 0 on failure. */
    private static long receiveQueueMemory(int fd) {
        Scratch scratch = Scratch.get();
        scratch.infoLength.set(JAVA_INT, 0, (int) scratch.info.byteSize());
        if (Libc.getsockopt(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_MEMINFO, scratch.info, scratch.infoLength) < 0) return 0;
        return Integer.toUnsignedLong(scratch.info.get(JAVA_INT, 4L * LinuxSockets.SK_MEMINFO_RMEM_ALLOC));
    }

    /** TCP_INFO of a listener: tcpi_unacked is the number of connections waiting to be accepted; 0 on failure. */
    private static long acceptQueue(int fd) {
        Scratch scratch = Scratch.get();
        scratch.infoLength.set(JAVA_INT, 0, (int) scratch.info.byteSize());
        if (Libc.getsockopt(fd, LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_INFO, scratch.info, scratch.infoLength) < 0) return 0;
        return Integer.toUnsignedLong(scratch.info.get(JAVA_INT, LinuxSockets.TCP_INFO_UNACKED_OFFSET));
    }

    /** TCP_INFO's tcpi_state (a LinuxSockets.TCP_* state), or -1. */
    private static int tcpState(int fd) {
        Scratch scratch = Scratch.get();
        scratch.infoLength.set(JAVA_INT, 0, (int) scratch.info.byteSize());
        if (Libc.getsockopt(fd, LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_INFO, scratch.info, scratch.infoLength) < 0) return -1;
        return Byte.toUnsignedInt(scratch.info.get(JAVA_BYTE, 0));
    }

    /** Urgent data is waiting (out of line). */
    private static boolean oobPending(int fd) {
        return Libc.recv(fd, Scratch.get().oneByte, 1, LinuxSockets.MSG_OOB | LinuxSockets.MSG_PEEK) >= 0;
    }

    /**
     * After a receive called with {@code flags}: READ and OOB are level conditions; clear what no longer
     * holds, then re-enable. Under the socket's monitor, which the dispatcher holds while it looks at the
     * socket and signals: its look and our clear are ordered, so data the recv took is never announced
     * after the clear, and data arriving after the clear is announced by the edge it brings. For the
     * application's own receive ({@code byApplication}) WSPEventSelect's record does as AFD: the event
     * the receive re-enables leaves the record and is recorded again if more waits. (An overlapped
     * receive completed by the dispatcher took data that arrived; what it left is the dispatcher's
     * arrival to record.)
     */
    private void recheckReceive(BaseSocket so, int flags, boolean byApplication) {
        long s = so.handle;
        synchronized (so) {
            boolean data, urgent;
            if (so.connectionOriented) {
                data = readable(so.fd) > 0;
                urgent = !so.oobInline && oobPending(so.fd);
                if (!urgent) asyncEngine.clear(s, FD_OOB);
            } else {
                data = (Poll.once(so.fd, Poll.POLLIN, 0) & Poll.POLLIN) != 0;
                urgent = false;
            }
            if (!data) asyncEngine.clear(s, FD_READ);
            if (!byApplication) return; // a request completing: the call that re-enabled was its WSPRecv
            asyncEngine.afterRecv(s, flags);
            boolean outOfBand = (flags & Ws2Def.MSG_OOB) != 0;
            so.record.reenable(outOfBand ? FD_OOB : FD_READ);
            if (outOfBand ? urgent : data) happened(so, outOfBand ? FD_OOB : FD_READ, 0);
            markRead(so);
            so.urgentSeen = urgent;
        }
    }

    private void afterSend(BaseSocket so, SendOutcome outcome) {
        synchronized (so) {
            asyncEngine.afterSend(so.handle, outcome);
            if (outcome == SendOutcome.COMPLETE) return;
            so.record.sendBlocked();
            // Space may have come back before the engine heard of the full buffer: look again.
            if ((Poll.once(so.fd, Poll.POLLOUT, 0) & Poll.POLLOUT) != 0) {
                asyncEngine.signal(so.handle, FD_WRITE, 0);
                happened(so, FD_WRITE, 0);
            }
        }
    }

    /** Waits for a blocking call: false (with *lpErrno) if the socket is non-blocking or the wait failed. */
    private static boolean await(BaseSocket so, short events, MemorySegment lpErrno) {
        int error = awaitReady(so, events);
        if (error != 0) Native.setError(lpErrno, error);
        return error == 0;
    }

    /** Waits for a blocking call: 0, or the error if the socket is non-blocking or the wait failed. */
    private static int awaitReady(BaseSocket so, short events) {
        if (so.nonBlocking) return WSAEWOULDBLOCK;
        return Poll.once(so.fd, events, -1) < 0 ? Errno.toWsa(Libc.errno()) : 0;
    }

    private static int linuxFlags(int flags) {
        int f = LinuxSockets.MSG_NOSIGNAL;
        if ((flags & Ws2Def.MSG_OOB) != 0) f |= LinuxSockets.MSG_OOB;
        if ((flags & Ws2Def.MSG_PEEK) != 0) f |= LinuxSockets.MSG_PEEK;
        if ((flags & Ws2Def.MSG_DONTROUTE) != 0) f |= LinuxSockets.MSG_DONTROUTE;
        if ((flags & Ws2Def.MSG_WAITALL) != 0) f |= LinuxSockets.MSG_WAITALL;
        return f;
    }

    private static final int KNOWN_FLAGS = Ws2Def.MSG_OOB | Ws2Def.MSG_PEEK | Ws2Def.MSG_DONTROUTE | Ws2Def.MSG_WAITALL;

    /** The WSAE* code of a failed send/recv errno, refined by what Winsock distinguishes. */
    private static int ioError(BaseSocket so, int errno) {
        if (errno == Errno.EPIPE) return so.sendShutdown ? WSAESHUTDOWN : WSAECONNRESET;
        return Errno.toWsa(errno);
    }

    /** The buffers as one: the only buffer itself, or a gathered copy allocated in {@code arena}. */
    private static MemorySegment single(MemorySegment[] buffers, Arena arena) {
        if (buffers.length == 1) return buffers[0];
        long total = 0;
        for (MemorySegment b : buffers) total += b.byteSize();
        MemorySegment all = arena.allocate(Math.max(total, 1)).asSlice(0, total);
        long at = 0;
        for (MemorySegment b : buffers) {
            MemorySegment.copy(b, 0, all, at, b.byteSize());
            at += b.byteSize();
        }
        return all;
    }

    /** Copies {@code n} received bytes from {@code from} into the buffers (when they were gathered). */
    private static void scatter(MemorySegment from, long n, MemorySegment[] buffers) {
        if (buffers.length == 1) return;
        long at = 0;
        for (int i = 0; i < buffers.length && at < n; i++) {
            long len = Math.min(buffers[i].byteSize(), n - at);
            MemorySegment.copy(from, at, buffers[i], 0, len);
            at += len;
        }
    }

    private void register(long handle, int fd, int catalogId, boolean connectionOriented) {
        BaseSocket so = new BaseSocket(handle, fd, catalogId, connectionOriented);
        sockets.put(handle, so);
        asyncEngine.open(handle, connectionOriented);
        port.watchSocket(fd, SOCKET_WATCH, handle);
    }

    /** False if another thread closed it first. */
    private boolean closeSocket(BaseSocket so) {
        synchronized (so) {
            if (so.closed || !sockets.remove(so.handle, so)) return false;
            so.closed = true;
            abort(so, so.pendingReceives, WSA_OPERATION_ABORTED);
            abort(so, so.pendingSends, WSA_OPERATION_ABORTED);
            for (OverlappedRequest r : so.pendingAccepts) {
                synchronized (r.acceptTarget) {
                    r.acceptTarget.namedByAcceptEx = false; // free to be named by another AcceptEx
                }
            }
            abort(so, so.pendingAccepts, WSA_OPERATION_ABORTED);
            so.notifyAll();
            asyncEngine.closed(so.handle);
            port.unwatchSocket(so.fd);
            Libc.close(so.fd);
            return true;
        }
    }

    /** The handle ws2 knows the fd by (WPUModifyIFSHandle); INVALID_SOCKET with *lpErrno on failure. */
    private long ifsHandle(int catalogEntryId, int fd, MemorySegment lpErrno) throws Throwable {
        return (long) wpuModifyIfsHandle.invokeExact(catalogEntryId, (long) fd, lpErrno);
    }

    // ---- the WSPPROC_TABLE entries ---------------------------------------------------------------

    /** SOCKET WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW, GROUP, DWORD, LPINT). */
    long WSPSocket(int af, int type, int protocol, MemorySegment lpProtocolInfo, int g, int dwFlags, MemorySegment lpErrno) {
        try {
            MemorySegment info = lpProtocolInfo.reinterpret(Spi.WSAPROTOCOL_INFOW.byteSize());
            int fromInfo = -1; // FROM_PROTOCOL_INFO
            if (af == fromInfo || af == 0) af = info.get(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, "iAddressFamily"));
            if (type == fromInfo || type == 0) type = info.get(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, "iSocketType"));
            if (protocol == fromInfo) protocol = info.get(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, "iProtocol"));
            int linuxAf = af == Ws2Def.AF_INET ? LinuxSockets.AF_INET : af == Ws2Def.AF_INET6 ? LinuxSockets.AF_INET6 : -1;
            if (linuxAf < 0) {
                Native.setError(lpErrno, WSAEAFNOSUPPORT);
                return INVALID_SOCKET;
            }
            if (type != Ws2Def.SOCK_STREAM && type != Ws2Def.SOCK_DGRAM && type != Ws2Def.SOCK_RAW) {
                Native.setError(lpErrno, WSAESOCKTNOSUPPORT);
                return INVALID_SOCKET;
            }
            int fd = Libc.socket(linuxAf, type | LinuxSockets.SOCK_NONBLOCK | LinuxSockets.SOCK_CLOEXEC, protocol);
            if (fd < 0) {
                Native.setError(lpErrno, Errno.toWsa(Libc.errno()));
                return INVALID_SOCKET;
            }
            int catalogId = info.get(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, "dwCatalogEntryId"));
            long handle = ifsHandle(catalogId, fd, lpErrno);
            if (handle == INVALID_SOCKET) {
                Libc.close(fd);
                return INVALID_SOCKET;
            }
            register(handle, fd, catalogId, type == Ws2Def.SOCK_STREAM);
            return handle;
        } catch (Throwable t) {
            fail("WSPSocket", t, lpErrno);
            return INVALID_SOCKET;
        }
    }

    /** int WSPBind(SOCKET, const sockaddr*, int, LPINT). */
    int WSPBind(long s, MemorySegment name, int namelen, MemorySegment lpErrno) {
        try {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            MemorySegment linux = Scratch.get().address;
            int len = SockAddrs.windowsToLinux(name, namelen, linux);
            if (len < 0) return error(lpErrno, -len);
            if (Libc.bind(so.fd, linux, len) < 0) {
                int errno = Libc.errno();
                return error(lpErrno, errno == Errno.EINVAL ? WSAEINVAL : Errno.toWsa(errno));
            }
            if (!so.connectionOriented) {
                synchronized (so) {
                    so.bound = true;
                    happened(so, FD_WRITE, 0); // a bound datagram socket can send
                }
                asyncEngine.bound(s);
            }
            return 0;
        } catch (Throwable t) {
            return fail("WSPBind", t, lpErrno);
        }
    }

    /** int WSPListen(SOCKET, int, LPINT). */
    int WSPListen(long s, int backlog, MemorySegment lpErrno) {
        try {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            if (!so.connectionOriented) return error(lpErrno, WSAEOPNOTSUPP);
            synchronized (so) {
                if (so.phase == BaseSocket.Phase.CONNECTED || so.phase == BaseSocket.Phase.CONNECTING) {
                    return error(lpErrno, WSAEISCONN);
                }
            }
            if (Libc.listen(so.fd, backlog == Ws2Def.SOMAXCONN ? 4096 : Math.max(backlog, 0)) < 0) {
                return error(lpErrno, Errno.toWsa(Libc.errno()));
            }
            synchronized (so) {
                so.phase = BaseSocket.Phase.LISTENING;
            }
            // A connection that arrived before listen was called is impossible, but one may arrive before
            // the watch sees the phase change: look now.
            if ((Poll.once(so.fd, Poll.POLLIN, 0) & Poll.POLLIN) != 0) {
                asyncEngine.signal(s, FD_ACCEPT, 0);
                synchronized (so) {
                    if (arrived(so)) happened(so, FD_ACCEPT, 0);
                }
            }
            return 0;
        } catch (Throwable t) {
            return fail("WSPListen", t, lpErrno);
        }
    }

    /** SOCKET WSPAccept(SOCKET, sockaddr*, LPINT, LPCONDITIONPROC, DWORD_PTR, LPINT). */
    long WSPAccept(long s, MemorySegment addr, MemorySegment addrlen, MemorySegment lpfnCondition,
                   long dwCallbackData, MemorySegment lpErrno) {
        try (Arena a = Arena.ofConfined()) {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return INVALID_SOCKET;
            synchronized (so) {
                if (so.phase != BaseSocket.Phase.LISTENING) {
                    Native.setError(lpErrno, WSAEINVAL);
                    return INVALID_SOCKET;
                }
            }
            if (!Native.isNull(lpfnCondition)) {
                // Condition functions (and CF_DEFER) are not supported by the host's base provider.
                Native.setError(lpErrno, WSAEOPNOTSUPP);
                reenableAccept(so, WSAEOPNOTSUPP);
                return INVALID_SOCKET;
            }
            MemorySegment peer = a.allocate(SockAddrs.MAX_SIZE);
            MemorySegment peerLen = a.allocate(JAVA_INT);
            int fd;
            while (true) {
                peerLen.set(JAVA_INT, 0, (int) SockAddrs.MAX_SIZE);
                fd = Libc.accept4(so.fd, peer, peerLen, LinuxSockets.SOCK_NONBLOCK | LinuxSockets.SOCK_CLOEXEC);
                if (fd >= 0) break;
                int errno = Libc.errno();
                if (errno == Errno.EINTR || errno == Errno.ECONNABORTED) continue;
                if (errno == Errno.EAGAIN && await(so, Poll.POLLIN, lpErrno)) continue;
                if (errno != Errno.EAGAIN) Native.setError(lpErrno, Errno.toWsa(errno));
                reenableAccept(so, WSAEWOULDBLOCK);
                return INVALID_SOCKET;
            }
            long handle = ifsHandle(so.catalogId, fd, lpErrno);
            if (handle == INVALID_SOCKET) {
                Libc.close(fd);
                reenableAccept(so, WSAENOBUFS);
                return INVALID_SOCKET;
            }
            BaseSocket child = new BaseSocket(handle, fd, so.catalogId, true);
            child.phase = BaseSocket.Phase.CONNECTED;
            child.nonBlocking = so.nonBlocking;
            child.registered = so.registered;
            child.oobInline = so.oobInline;
            sockets.put(handle, child);
            asyncEngine.accepted(s, handle);
            synchronized (so) {
                // It has the listener's WSPEventSelect, and a connection to send on.
                child.record.select(so.record.event, so.record.selected);
                synchronized (child) {
                    happened(child, FD_WRITE, 0);
                }
            }
            port.watchSocket(fd, SOCKET_WATCH, handle);
            reenableAccept(so, 0);
            if (!Native.isNull(addr) && !Native.isNull(addrlen)) {
                int room = Native.getInt(addrlen);
                int len = SockAddrs.linuxToWindowsInPlace(peer, peerLen.get(JAVA_INT, 0));
                if (room >= len) {
                    MemorySegment.copy(peer, 0, addr.reinterpret(len), 0, len);
                    Native.setInt(addrlen, len);
                }
            }
            return handle;
        } catch (Throwable t) {
            fail("WSPAccept", t, lpErrno);
            return INVALID_SOCKET;
        }
    }

    /** After an accept: as {@link #recheckReceive}, for FD_ACCEPT. */
    private void reenableAccept(BaseSocket so, int error) {
        synchronized (so) {
            boolean waiting = (Poll.once(so.fd, Poll.POLLIN, 0) & Poll.POLLIN) != 0;
            if (!waiting) asyncEngine.clear(so.handle, FD_ACCEPT);
            asyncEngine.afterAccept(so.handle, error);
            if (error == WSATRY_AGAIN) return;
            so.record.reenable(FD_ACCEPT);
            if (waiting) happened(so, FD_ACCEPT, 0);
            markRead(so);
        }
    }

    /** int WSPConnect(SOCKET, const sockaddr*, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS, LPINT). */
    int WSPConnect(long s, MemorySegment name, int namelen, MemorySegment lpCallerData, MemorySegment lpCalleeData,
                   MemorySegment lpSQOS, MemorySegment lpGQOS, MemorySegment lpErrno) {
        try {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            MemorySegment linux = Scratch.get().address; // used by connect() alone, before any wait
            int len = SockAddrs.windowsToLinux(name, namelen, linux);
            if (len < 0) return error(lpErrno, -len);
            if (!so.connectionOriented) return connectDatagram(so, linux, len, lpErrno);
            int begun = beginConnect(so, linux, len);
            if (begun == 0) return 0;
            if (begun != STILL_CONNECTING) return error(lpErrno, begun);
            if (so.nonBlocking) return error(lpErrno, WSAEWOULDBLOCK);
            int outcome;
            do {
                if (Poll.once(so.fd, Poll.POLLOUT, -1) < 0) return error(lpErrno, Errno.toWsa(Libc.errno()));
                outcome = finishConnect(so);
            } while (outcome == STILL_CONNECTING);
            return outcome == 0 ? 0 : error(lpErrno, outcome);
        } catch (Throwable t) {
            return fail("WSPConnect", t, lpErrno);
        }
    }

    /**
     * connect on a datagram socket: sets its peer at once, and that is its outcome (FD_CONNECT, then a
     * new chance to send); it binds the socket if it was not.
     */
    private int connectDatagram(BaseSocket so, MemorySegment linux, int len, MemorySegment lpErrno) {
        synchronized (so) {
            asyncEngine.connectStarted(so.handle);
            int error = Libc.connect(so.fd, linux, len) < 0 ? Errno.toWsa(Libc.errno()) : 0;
            if (error == 0) so.bound = true;
            connectOutcome(so, error);
            return error == 0 ? 0 : error(lpErrno, error);
        }
    }

    /**
     * Starts a non-blocking connect of a stream socket: 0 when connected at once, {@link #STILL_CONNECTING},
     * or the WSAE* error (the socket's phase, or connect's failure, which FD_CONNECT reports too). The
     * phase changes and connect() is issued under the socket's monitor, so the dispatcher never judges
     * the connect by the unconnected socket's state.
     */
    private int beginConnect(BaseSocket so, MemorySegment linux, int len) {
        long s = so.handle;
        synchronized (so) {
            switch (so.phase) {
                case CONNECTING -> { return WSAEALREADY; }
                case CONNECTED -> { return WSAEISCONN; }
                case LISTENING -> { return WSAEINVAL; }
                default -> so.phase = BaseSocket.Phase.CONNECTING;
            }
            asyncEngine.connectStarted(s);
            int rc = Libc.connect(so.fd, linux, len);
            int errno = rc < 0 ? Libc.errno() : 0;
            if (rc < 0 && errno != Errno.EINPROGRESS && errno != Errno.EAGAIN) {
                // Failed at once: the outcome is known, and FD_CONNECT reports it.
                so.phase = BaseSocket.Phase.FAILED;
                so.connectError = Errno.toWsa(errno);
                connectOutcome(so, so.connectError);
                return so.connectError;
            }
            if (rc == 0) {
                so.phase = BaseSocket.Phase.CONNECTED;
                so.connectError = 0;
                connectOutcome(so, 0);
                return 0;
            }
            return STILL_CONNECTING;
        }
    }

    // WSPRecv, WSPRecvFrom, WSPSend and WSPSendTo take their pointers as raw addresses (Spi.procJavaDescriptor):
    // the caller's memory is read and written through RawMemory, Linux's out-parameters live in the
    // thread's Scratch, and only an overlapped request wraps what it keeps in segments.

    /** int WSPRecv(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED, completion, LPWSATHREADID, LPINT). */
    int WSPRecv(long s, long lpBuffers, int count, long lpNumberOfBytesRecvd, long lpFlags, long lpOverlapped,
                long lpCompletionRoutine, long lpThreadId, long lpErrno) {
        return receive("WSPRecv", s, lpBuffers, count, lpNumberOfBytesRecvd, lpFlags, 0, 0, lpOverlapped,
                lpCompletionRoutine, lpThreadId, lpErrno);
    }

    /** int WSPRecvFrom(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, sockaddr*, LPINT, LPWSAOVERLAPPED, completion, LPWSATHREADID, LPINT). */
    int WSPRecvFrom(long s, long lpBuffers, int count, long lpNumberOfBytesRecvd, long lpFlags, long lpFrom,
                    long lpFromlen, long lpOverlapped, long lpCompletionRoutine, long lpThreadId, long lpErrno) {
        return receive("WSPRecvFrom", s, lpBuffers, count, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen,
                lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    }

    /** {@link #receiveUnlessQueued}, {@link #sendUnlessQueued}: overlapped requests are ahead of the call. */
    private static final long BEHIND_OVERLAPPED = Long.MIN_VALUE;
    /** {@link #receiveNow}, {@link #sendNow}: the call failed, its error stored. */
    private static final long FAILED = -1;
    /** {@link #sendNow}: the call failed (error stored) because the socket could not take the data now. */
    private static final long BLOCKED = -2;

    private int receive(String entry, long s, long lpBuffers, int count, long lpNumberOfBytesRecvd, long lpFlags,
                        long lpFrom, long lpFromlen, long lpOverlapped, long lpCompletionRoutine, long lpThreadId,
                        long lpErrno) {
        BaseSocket so = null;
        int flags = 0;
        try {
            so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            boolean overlapped = lpOverlapped != 0;
            if (overlapped && lpCompletionRoutine != 0 && lpThreadId == 0) return error(lpErrno, WSAEFAULT);
            // An overlapped caller may pass no byte count (Winsock advises NULL): the OVERLAPPED carries it.
            if (lpBuffers == 0 || count < 1 || lpFlags == 0 || (!overlapped && lpNumberOfBytesRecvd == 0)) {
                return error(lpErrno, WSAEFAULT);
            }
            flags = RawMemory.getInt(lpFlags);
            if (badBuffer(lpBuffers, count)) return error(lpErrno, WSAEFAULT); // as AFD's probe of the buffers
            if ((flags & ~KNOWN_FLAGS) != 0) return error(lpErrno, WSAEOPNOTSUPP);
            if ((flags & Ws2Def.MSG_OOB) != 0 && so.oobInline) return error(lpErrno, WSAEINVAL);
            if (so.connectionOriented) {
                synchronized (so) {
                    if (so.phase != BaseSocket.Phase.CONNECTED) return error(lpErrno, WSAENOTCONN);
                }
            }
            if (overlapped) {
                OverlappedRequest r = OverlappedRequest.receive(
                                OverlappedCompletion.overlapped(MemorySegment.ofAddress(lpOverlapped)),
                                RawMemory.buffers(lpBuffers, count), flags,
                                MemorySegment.ofAddress(lpFrom), MemorySegment.ofAddress(lpFromlen))
                        .withCompletionRoutine(MemorySegment.ofAddress(lpCompletionRoutine), MemorySegment.ofAddress(lpThreadId));
                return submit(so, so.pendingReceives, r, MemorySegment.ofAddress(lpNumberOfBytesRecvd),
                        MemorySegment.ofAddress(lpFlags), MemorySegment.ofAddress(lpErrno));
            }
            long n = count == 1
                    ? receiveNow(so, RawMemory.bufferAddress(lpBuffers, 0), RawMemory.bufferLength(lpBuffers, 0), flags, lpErrno)
                    : receiveGathered(so, lpBuffers, count, flags, lpErrno);
            if (n < 0) {
                // The reset this receive reported is the socket's: FD_CLOSE carries it even once SO_ERROR is read.
                if (so.connectionOriented && RawMemory.getInt(lpErrno) == WSAECONNRESET) {
                    synchronized (so) {
                        so.receiveError = WSAECONNRESET;
                    }
                }
                return SOCKET_ERROR;
            }
            RawMemory.setInt(lpNumberOfBytesRecvd, (int) n);
            RawMemory.setInt(lpFlags, 0);
            int fromError = copyFrom(lpFrom, lpFromlen);
            return fromError == 0 ? 0 : error(lpErrno, fromError);
        } catch (Throwable t) {
            return fail(entry, t, lpErrno);
        } finally {
            if (so != null) {
                try {
                    recheckReceive(so, flags, true); // re-enables, success or failure
                } catch (Throwable t) {
                    failed(entry, t);
                }
            }
        }
    }

    /** A WSABUF of the array names no memory but has a length: the caller's buffer is not there to write. */
    private static boolean badBuffer(long lpBuffers, int count) {
        for (int i = 0; i < count; i++) {
            if (RawMemory.bufferAddress(lpBuffers, i) == 0 && RawMemory.bufferLength(lpBuffers, i) != 0) return true;
        }
        return false;
    }

    /** A receive into several buffers: into one gathered buffer (the thread's, or the call's own if large), then scattered. */
    private static long receiveGathered(BaseSocket so, long lpBuffers, int count, int flags, long lpErrno)
            throws InterruptedException {
        long total = RawMemory.totalLength(lpBuffers, count);
        if (total <= Scratch.GATHER_LIMIT) return receiveGathered(so, Scratch.get().gather(Math.max(total, 1)).address(),
                total, lpBuffers, count, flags, lpErrno);
        try (Arena a = Arena.ofConfined()) {
            return receiveGathered(so, a.allocate(total).address(), total, lpBuffers, count, flags, lpErrno);
        }
    }

    private static long receiveGathered(BaseSocket so, long buf, long total, long lpBuffers, int count, int flags,
                                        long lpErrno) throws InterruptedException {
        long n = receiveNow(so, buf, total, flags, lpErrno);
        if (n > 0) RawMemory.scatter(buf, n, lpBuffers, count);
        return n;
    }

    /**
     * A non-overlapped receive into {@code len} bytes at {@code buf}: waits (a blocking socket) behind
     * overlapped requests and for data. The bytes received (the sender in the thread's Scratch), or
     * {@link #FAILED} with *lpErrno set.
     */
    private static long receiveNow(BaseSocket so, long buf, long len, int flags, long lpErrno) throws InterruptedException {
        while (true) {
            long n = receiveUnlessQueued(so, buf, len, flags);
            if (n >= 0) return n;
            if (n == BEHIND_OVERLAPPED) {
                if (so.nonBlocking) return failure(lpErrno, WSAEWOULDBLOCK);
                if (!awaitQueue(so, so.pendingReceives)) return failure(lpErrno, WSAEINTR);
                continue;
            }
            int errno = (int) -n;
            // recv(MSG_OOB) with no urgent data is EINVAL on Linux; Winsock says "would block".
            if ((flags & Ws2Def.MSG_OOB) != 0 && errno == Errno.EINVAL) errno = Errno.EAGAIN;
            if (errno != Errno.EAGAIN) return failure(lpErrno, ioError(so, errno));
            if ((flags & Ws2Def.MSG_OOB) != 0) return failure(lpErrno, WSAEWOULDBLOCK);
            int waited = awaitReady(so, Poll.POLLIN);
            if (waited != 0) return failure(lpErrno, waited);
        }
    }

    /**
     * One non-blocking recvfrom, unless overlapped receives wait on the socket: data goes to them first,
     * in order ({@link #BEHIND_OVERLAPPED}). Urgent data is out of band and waits behind nothing.
     */
    private static long receiveUnlessQueued(BaseSocket so, long buf, long len, int flags) {
        synchronized (so) {
            if ((flags & Ws2Def.MSG_OOB) == 0 && !so.pendingReceives.isEmpty()) return BEHIND_OVERLAPPED;
            return receiveOnce(so.fd, buf, len, flags);
        }
    }

    /**
     * recvfrom(2) once (again after EINTR), the sender into the thread's Scratch: the bytes received
     * (0: orderly close), or -errno.
     */
    private static long receiveOnce(int fd, long buf, long len, int flags) {
        Scratch scratch = Scratch.get();
        while (true) {
            scratch.addressLength.set(JAVA_INT, 0, (int) SockAddrs.MAX_SIZE);
            long n = Libc.recvfrom(fd, buf, len, linuxFlags(flags), scratch.address.address(), scratch.addressLength.address());
            if (n >= 0) return n;
            int errno = Libc.errno();
            if (errno != Errno.EINTR) return -errno;
        }
    }

    /**
     * The sender {@link #receiveOnce} left in the thread's Scratch into the caller's lpFrom/lpFromlen,
     * if given: 0 or WSAEFAULT (too small).
     */
    private static int copyFrom(long lpFrom, long lpFromlen) {
        if (lpFrom == 0 || lpFromlen == 0) return 0;
        Scratch scratch = Scratch.get();
        int len = SockAddrs.linuxToWindowsInPlace(scratch.address, scratch.addressLength.get(JAVA_INT, 0));
        if (RawMemory.getInt(lpFromlen) < len) return WSAEFAULT;
        MemorySegment.copy(scratch.address, 0, RawMemory.ALL, lpFrom, len);
        RawMemory.setInt(lpFromlen, len);
        return 0;
    }

    /** Waits (a blocking call) until the overlapped requests ahead of it are done; false if the socket closed. */
    private static boolean awaitQueue(BaseSocket so, ArrayDeque<OverlappedRequest> queue) throws InterruptedException {
        synchronized (so) {
            while (!queue.isEmpty() && !so.closed) so.wait();
            return !so.closed;
        }
    }

    /** int WSPSend(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, LPWSAOVERLAPPED, completion, LPWSATHREADID, LPINT). */
    int WSPSend(long s, long lpBuffers, int count, long lpNumberOfBytesSent, int flags, long lpOverlapped,
                long lpCompletionRoutine, long lpThreadId, long lpErrno) {
        return transmit("WSPSend", s, lpBuffers, count, lpNumberOfBytesSent, flags, 0, 0, lpOverlapped,
                lpCompletionRoutine, lpThreadId, lpErrno);
    }

    /** int WSPSendTo(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, const sockaddr*, int, LPWSAOVERLAPPED, completion, LPWSATHREADID, LPINT). */
    int WSPSendTo(long s, long lpBuffers, int count, long lpNumberOfBytesSent, int flags, long lpTo, int tolen,
                  long lpOverlapped, long lpCompletionRoutine, long lpThreadId, long lpErrno) {
        return transmit("WSPSendTo", s, lpBuffers, count, lpNumberOfBytesSent, flags, lpTo, tolen, lpOverlapped,
                lpCompletionRoutine, lpThreadId, lpErrno);
    }

    private int transmit(String entry, long s, long lpBuffers, int count, long lpNumberOfBytesSent, int flags,
                         long lpTo, int tolen, long lpOverlapped, long lpCompletionRoutine, long lpThreadId,
                         long lpErrno) {
        BaseSocket so = null;
        SendOutcome outcome = SendOutcome.COMPLETE;
        try {
            so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            boolean overlapped = lpOverlapped != 0;
            if (overlapped && lpCompletionRoutine != 0 && lpThreadId == 0) return error(lpErrno, WSAEFAULT);
            if (lpBuffers == 0 || count < 1 || (!overlapped && lpNumberOfBytesSent == 0)) return error(lpErrno, WSAEFAULT);
            if ((flags & ~(Ws2Def.MSG_OOB | Ws2Def.MSG_DONTROUTE)) != 0) return error(lpErrno, WSAEOPNOTSUPP);
            synchronized (so) {
                if (so.sendShutdown) return error(lpErrno, WSAESHUTDOWN);
                if (so.connectionOriented && so.phase != BaseSocket.Phase.CONNECTED) return error(lpErrno, WSAENOTCONN);
            }
            boolean toGiven = lpTo != 0 && !so.connectionOriented;
            if (overlapped) {
                // What a pending request keeps (the destination, a gathered copy) lives as long as the request.
                Arena keep = Arena.ofAuto();
                MemorySegment to = MemorySegment.NULL;
                int toLen = 0;
                if (toGiven) {
                    to = keep.allocate(SockAddrs.MAX_SIZE);
                    toLen = SockAddrs.windowsToLinux(lpTo, tolen, to);
                    if (toLen < 0) return error(lpErrno, -toLen);
                }
                MemorySegment buf = single(RawMemory.buffers(lpBuffers, count), keep);
                OverlappedRequest r = OverlappedRequest.send(OverlappedCompletion.overlapped(MemorySegment.ofAddress(lpOverlapped)),
                                buf, flags, to, toLen)
                        .withCompletionRoutine(MemorySegment.ofAddress(lpCompletionRoutine), MemorySegment.ofAddress(lpThreadId));
                int rc = submit(so, so.pendingSends, r, MemorySegment.ofAddress(lpNumberOfBytesSent), MemorySegment.NULL,
                        MemorySegment.ofAddress(lpErrno));
                // Pending, the request holds the data: the buffer is not full to the application (as AFD).
                if (rc == SOCKET_ERROR && RawMemory.getInt(lpErrno) == WSAEWOULDBLOCK) outcome = SendOutcome.WOULD_BLOCK;
                if (rc != SOCKET_ERROR) sentImplicitBind(so);
                return rc;
            }
            long to = 0;
            int toLen = 0;
            if (toGiven) {
                MemorySegment linux = Scratch.get().address;
                toLen = SockAddrs.windowsToLinux(lpTo, tolen, linux);
                if (toLen < 0) return error(lpErrno, -toLen);
                to = linux.address();
            }
            long total = count == 1 ? RawMemory.bufferLength(lpBuffers, 0) : RawMemory.totalLength(lpBuffers, count);
            long sent = count == 1
                    ? sendNow(so, RawMemory.bufferAddress(lpBuffers, 0), RawMemory.bufferLength(lpBuffers, 0), flags, to, toLen, lpErrno)
                    : sendGathered(so, lpBuffers, count, flags, to, toLen, lpErrno);
            if (sent < 0) {
                if (sent == BLOCKED) outcome = SendOutcome.WOULD_BLOCK;
                return SOCKET_ERROR;
            }
            if (sent < total && so.connectionOriented) outcome = SendOutcome.SHORT; // the buffer filled up
            sentImplicitBind(so);
            RawMemory.setInt(lpNumberOfBytesSent, (int) sent);
            return 0;
        } catch (Throwable t) {
            return fail(entry, t, lpErrno);
        } finally {
            if (so != null) {
                try {
                    afterSend(so, outcome);
                } catch (Throwable t) {
                    failed(entry, t);
                }
            }
        }
    }

    /** A send of several buffers: gathered into one (the thread's, or the call's own if large), then sent. */
    private static long sendGathered(BaseSocket so, long lpBuffers, int count, int flags, long to, int toLen, long lpErrno)
            throws InterruptedException {
        long total = RawMemory.totalLength(lpBuffers, count);
        if (total <= Scratch.GATHER_LIMIT) {
            long buf = Scratch.get().gather(Math.max(total, 1)).address();
            RawMemory.gather(lpBuffers, count, buf);
            return sendNow(so, buf, total, flags, to, toLen, lpErrno);
        }
        try (Arena a = Arena.ofConfined()) {
            long buf = a.allocate(total).address();
            RawMemory.gather(lpBuffers, count, buf);
            return sendNow(so, buf, total, flags, to, toLen, lpErrno);
        }
    }

    /**
     * A non-overlapped send of {@code len} bytes at {@code buf}: the bytes sent (blocking stream sends
     * complete; non-blocking ones may be partial, as on Windows), or {@link #FAILED} / {@link #BLOCKED}
     * with *lpErrno set.
     */
    private static long sendNow(BaseSocket so, long buf, long len, int flags, long to, int toLen, long lpErrno)
            throws InterruptedException {
        long sent = 0;
        while (true) {
            long n = sendUnlessQueued(so, buf + sent, len - sent, flags, to, toLen);
            if (n >= 0) {
                sent += n;
                if (sent == len || so.nonBlocking || !so.connectionOriented) return sent;
                continue;
            }
            if (n == BEHIND_OVERLAPPED) {
                if (sent > 0 && so.nonBlocking) return sent;
                if (so.nonBlocking) return blocked(lpErrno, WSAEWOULDBLOCK);
                if (!awaitQueue(so, so.pendingSends)) return failure(lpErrno, WSAEINTR);
                continue;
            }
            int errno = (int) -n;
            if (errno != Errno.EAGAIN) return failure(lpErrno, ioError(so, errno));
            if (sent > 0 && so.nonBlocking) return sent;
            int waited = awaitReady(so, Poll.POLLOUT);
            if (waited != 0) return blocked(lpErrno, waited);
        }
    }

    private static long failure(long lpErrno, int code) {
        RawMemory.setError(lpErrno, code);
        return FAILED;
    }

    private static long blocked(long lpErrno, int code) {
        RawMemory.setError(lpErrno, code);
        return BLOCKED;
    }

    /** sendto binds a connectionless socket implicitly: as a bind, it can send from now on. */
    private void sentImplicitBind(BaseSocket so) {
        if (so.connectionOriented) return;
        synchronized (so) {
            if (so.bound) return;
            so.bound = true;
            happened(so, FD_WRITE, 0);
        }
        asyncEngine.bound(so.handle);
    }

    /** One non-blocking sendto, unless overlapped sends wait on the socket ({@link #BEHIND_OVERLAPPED}): bytes sent, or -errno. */
    private static long sendUnlessQueued(BaseSocket so, long buf, long len, int flags, long to, int toLen) {
        synchronized (so) {
            if (!so.pendingSends.isEmpty()) return BEHIND_OVERLAPPED;
            return sendOnce(so.fd, buf, len, flags, to, toLen);
        }
    }

    /** sendto(2) once (again after EINTR): the bytes sent, or -errno. */
    private static long sendOnce(int fd, long buf, long len, int flags, long to, int toLen) {
        while (true) {
            long n = Libc.sendto(fd, buf, len, linuxFlags(flags), to, toLen);
            if (n >= 0) return n;
            int errno = Libc.errno();
            if (errno != Errno.EINTR) return -errno;
        }
    }

    // ---- overlapped requests ---------------------------------------------------------------------------

    /** How a request ended: its Winsock error, bytes and receive flags; {@code failed}: the socket call itself failed. */
    private record Outcome(int error, int bytes, int flags, boolean failed) {}

    /** {@link #perform}: an AcceptEx accepted, and now waits for its data in the accepted socket's queue. */
    private static final Outcome HANDED_OFF = new Outcome(WSA_IO_PENDING, 0, 0, false);

    /**
     * An overlapped request: tried at once when nothing waits ahead of it. Done then: a success completes
     * at once (Windows signals the event and queues a packet even so) and returns 0 with the out
     * parameters; a failure returns its error and notifies nobody, like a Windows call failing with
     * anything but WSA_IO_PENDING. Else it waits in the socket's queue: WSA_IO_PENDING.
     */
    private int submit(BaseSocket so, ArrayDeque<OverlappedRequest> queue, OverlappedRequest r, MemorySegment lpBytes,
                       MemorySegment lpFlags, MemorySegment lpErrno) {
        started(r.overlapped, r.completionRoutine);
        synchronized (so) {
            if (so.closed) return error(lpErrno, WSAENOTSOCK);
            if (queue.isEmpty()) {
                Outcome o = perform(so, r);
                if (o == HANDED_OFF) return error(lpErrno, WSA_IO_PENDING); // marked pending when handed off
                if (o != null && o.error() != 0) {
                    OverlappedCompletion.record(r.overlapped, o.error(), o.bytes(), o.flags());
                    return error(lpErrno, o.error());
                }
                if (o != null) {
                    if (!Native.isNull(lpBytes)) Native.setInt(lpBytes, o.bytes());
                    if (!Native.isNull(lpFlags)) Native.setInt(lpFlags, o.flags());
                    deliver(so, r, o);
                    return 0;
                }
            }
            OverlappedCompletion.markPending(r.overlapped);
            queue.addLast(r);
            return error(lpErrno, WSA_IO_PENDING);
        }
    }

    /**
     * An overlapped operation starts: the system resets its hEvent, unless a completion routine makes
     * hEvent the application's own.
     */
    private void started(MemorySegment ov, MemorySegment completionRoutine) {
        long hEvent = OverlappedCompletion.event(ov);
        if (hEvent != 0 && Native.isNull(completionRoutine)) events.reset(hEvent);
    }

    /** Tries the request now, without blocking: its outcome, or null if the socket is not ready for it. */
    private Outcome perform(BaseSocket so, OverlappedRequest r) {
        return switch (r.direction) {
            case RECEIVE -> performReceive(so, r);
            case SEND -> r.awaitsConnect ? performConnect(so, r) : performSend(so, r);
            case ACCEPT -> performAccept(so, r);
        };
    }

    /** ConnectEx: done once connected and its data (if any) sent; a failed connect is its outcome. */
    private Outcome performConnect(BaseSocket so, OverlappedRequest r) {
        int outcome = finishConnect(so);
        if (outcome == STILL_CONNECTING) return null;
        if (outcome != 0) return new Outcome(outcome, 0, 0, true);
        r.awaitsConnect = false;
        return r.data.byteSize() == 0 ? new Outcome(0, 0, 0, false) : performSend(so, r);
    }

    /**
     * AcceptEx, under the listener's monitor: accepts a connection and makes it the accept socket's
     * handle: the accepted fd is dup'ed onto the accept socket's fd (same handle, new connection),
     * watched anew. Then the addresses go into their slots, and if data was asked for, the request
     * receives it at once or waits for it in the accept socket's receive queue ({@link #HANDED_OFF}).
     * An accept failing is that request's outcome only (others may still succeed).
     */
    private Outcome performAccept(BaseSocket listener, OverlappedRequest r) {
        BaseSocket target = r.acceptTarget;
        // Under the accept socket's monitor: closesocket cannot close (and a new socket reuse) its fd meanwhile.
        synchronized (target) {
            if (target.closed) return new Outcome(WSA_OPERATION_ABORTED, 0, 0, false);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment peer = a.allocate(SockAddrs.MAX_SIZE);
                MemorySegment peerLen = a.allocate(JAVA_INT);
                int fd;
                while (true) {
                    peerLen.set(JAVA_INT, 0, (int) SockAddrs.MAX_SIZE);
                    fd = Libc.accept4(listener.fd, peer, peerLen, LinuxSockets.SOCK_NONBLOCK | LinuxSockets.SOCK_CLOEXEC);
                    if (fd >= 0) break;
                    int errno = Libc.errno();
                    if (errno == Errno.EINTR || errno == Errno.ECONNABORTED) continue;
                    if (errno == Errno.EAGAIN) return null;
                    target.namedByAcceptEx = false;
                    return new Outcome(Errno.toWsa(errno), 0, 0, false);
                }
                target.namedByAcceptEx = false;
                port.unwatchSocket(target.fd);
                int dup = Libc.dup3(fd, target.fd, LinuxSockets.O_CLOEXEC);
                int dupError = dup < 0 ? Errno.toWsa(Libc.errno()) : 0;
                Libc.close(fd); // the connection lives on as the accept socket's fd (or is refused if dup3 failed)
                if (dupError == 0) {
                    target.phase = BaseSocket.Phase.CONNECTED;
                    // A connected socket to the engines, with no registration (none is inherited from the
                    // listener, and none made on the unconnected socket carries over).
                    target.registered = false;
                    target.record = new EventRecord();
                    target.arrivalMark = 0;
                    target.urgentSeen = false;
                    asyncEngine.accepted(INVALID_SOCKET, target.handle);
                    happened(target, FD_WRITE, 0); // a connection to send on
                }
                port.watchSocket(target.fd, SOCKET_WATCH, target.handle);
                if (dupError != 0) return new Outcome(dupError, 0, 0, false);
                MemorySegment local = a.allocate(SockAddrs.MAX_SIZE);
                MemorySegment localLen = a.allocateFrom(JAVA_INT, (int) SockAddrs.MAX_SIZE);
                Libc.getsockname(target.fd, local, localLen);
                AcceptExAddresses.write(r.output.asSlice(r.receiveLength, r.localLength), local,
                        SockAddrs.linuxToWindowsInPlace(local, localLen.get(JAVA_INT, 0)));
                AcceptExAddresses.write(r.output.asSlice((long) r.receiveLength + r.localLength, r.remoteLength), peer,
                        SockAddrs.linuxToWindowsInPlace(peer, peerLen.get(JAVA_INT, 0)));
            }
            if (r.receiveLength == 0) return new Outcome(0, 0, 0, false);
            OverlappedRequest data = OverlappedRequest.receive(r.overlapped,
                    new MemorySegment[] {r.output.asSlice(0, r.receiveLength)}, 0, MemorySegment.NULL, MemorySegment.NULL);
            data.issuedOn = listener.handle;
            Outcome o = performReceive(target, data);
            if (o != null) return o;
            OverlappedCompletion.markPending(r.overlapped);
            handedOff.put(r.overlapped.address(), target);
            target.pendingReceives.addLast(data);
            return HANDED_OFF;
        }
    }

    private static Outcome performReceive(BaseSocket so, OverlappedRequest r) {
        if (r.buffers.length == 1) return performReceive(so, r, r.buffers[0]);
        try (Arena a = Arena.ofConfined()) {
            return performReceive(so, r, single(r.buffers, a));
        }
    }

    /** Receives into {@code buf} (the request's one buffer, or a gathered one to scatter from). */
    private static Outcome performReceive(BaseSocket so, OverlappedRequest r, MemorySegment buf) {
        long n = receiveOnce(so.fd, buf.address(), buf.byteSize(), r.flags);
        if (n < 0) {
            int errno = (int) -n;
            // No (urgent) data yet: EAGAIN, or EINVAL for MSG_OOB on Linux.
            if (errno == Errno.EAGAIN || ((r.flags & Ws2Def.MSG_OOB) != 0 && errno == Errno.EINVAL)) return null;
            return new Outcome(ioError(so, errno), 0, 0, true);
        }
        scatter(buf, n, r.buffers);
        return new Outcome(copyFrom(r.from.address(), r.fromLen.address()), (int) n, 0, false);
    }

    /** A stream send is done when all its bytes are sent (partly sent: still pending); a datagram in one go. */
    private static Outcome performSend(BaseSocket so, OverlappedRequest r) {
        while (true) {
            long n = sendOnce(so.fd, r.data.address() + r.sent, r.data.byteSize() - r.sent, r.flags, r.to.address(), r.toLen);
            if (n < 0) {
                int errno = (int) -n;
                if (errno == Errno.EAGAIN) return null;
                return new Outcome(ioError(so, errno), (int) r.sent, 0, true);
            }
            r.sent += n;
            if (r.sent == r.data.byteSize() || !so.connectionOriented) return new Outcome(0, (int) r.sent, 0, false);
        }
    }

    /**
     * Completes a request: through the host's notification (OVERLAPPED fields, then packet and event), or,
     * when the caller gave a completion routine, the fields and an APC to the caller's thread that calls
     * the routine (Windows then neither signals hEvent nor queues a packet).
     */
    private void deliver(BaseSocket so, OverlappedRequest r, Outcome o) {
        if (r.issuedOn != 0) handedOff.remove(r.overlapped.address());
        deliver(r.issuedOn != 0 ? r.issuedOn : so.handle, r.overlapped, r.completionRoutine, r.threadId, o);
    }

    private void deliver(long s, MemorySegment ov, MemorySegment completionRoutine, MemorySegment threadId, Outcome o) {
        if (Native.isNull(completionRoutine)) {
            completion.complete(s, ov, o.error(), o.bytes(), o.flags());
            return;
        }
        OverlappedCompletion.record(ov, o.error(), o.bytes(), o.flags());
        long context = nextRoutine.incrementAndGet();
        routines.put(context, new RoutineCall(completionRoutine, o, ov.address()));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            if ((int) wpuQueueApc.invokeExact(threadId, completionApc, context, err) != 0) {
                routines.remove(context);
                failed("WPUQueueApc", new IllegalStateException("WPUQueueApc failed: " + err.get(JAVA_INT, 0)));
            }
        } catch (Throwable t) {
            routines.remove(context);
            failed("WPUQueueApc", t);
        }
    }

    /** A completion routine to call, with its arguments, when its APC runs. */
    private record RoutineCall(MemorySegment routine, Outcome outcome, long overlapped) {}

    /** void CALLBACK completionApc(DWORD_PTR context): on the caller's thread, in its alertable wait. */
    void completionApc(long context) {
        try {
            RoutineCall call = routines.remove(context);
            if (call == null) return;
            MethodHandle routine = Native.downcall(call.routine(), LPWSAOVERLAPPED_COMPLETION_ROUTINE.descriptor());
            Outcome o = call.outcome();
            routine.invokeExact(o.error(), o.bytes(), MemorySegment.ofAddress(call.overlapped()), o.flags());
        } catch (Throwable t) {
            failed("completion APC", t);
        }
    }

    /**
     * The dispatcher's turn, under the socket's monitor: performs the pending requests the socket is
     * ready for, oldest first. When the connection failed, the error is read from the socket once and
     * every request still queued in that direction completes with it.
     */
    private void performPending(BaseSocket so) {
        boolean accepted = drain(so, so.pendingAccepts);
        boolean received = drain(so, so.pendingReceives);
        boolean sent = drain(so, so.pendingSends);
        if (accepted || received || sent) so.notifyAll(); // blocking calls queued behind them, WSPGetOverlappedResult
        if (received) recheckReceive(so, 0, false); // what the requests took no longer holds; they re-enable nothing
    }

    private boolean drain(BaseSocket so, ArrayDeque<OverlappedRequest> queue) {
        boolean any = false;
        while (!queue.isEmpty()) {
            OverlappedRequest r = queue.peekFirst();
            Outcome o = perform(so, r);
            if (o == null) break;
            queue.removeFirst();
            any = true;
            if (o == HANDED_OFF) continue;
            deliver(so, r, o);
            if (o.failed() && so.connectionOriented) {
                if (r.direction == OverlappedRequest.Direction.RECEIVE) so.receiveError = o.error();
                abort(so, queue, o.error());
            }
        }
        return any;
    }

    /** Completes every request of {@code queue} with {@code error} (e.g. WSA_OPERATION_ABORTED at closesocket). */
    private void abort(BaseSocket so, ArrayDeque<OverlappedRequest> queue, int error) {
        for (OverlappedRequest r; (r = queue.pollFirst()) != null; ) deliver(so, r, new Outcome(error, (int) r.sent, 0, true));
    }

    /** True if {@code ov} is the OVERLAPPED of a request queued on the socket. */
    private static boolean isQueued(BaseSocket so, MemorySegment ov) {
        for (OverlappedRequest r : so.pendingReceives) if (r.overlapped.address() == ov.address()) return true;
        for (OverlappedRequest r : so.pendingSends) if (r.overlapped.address() == ov.address()) return true;
        for (OverlappedRequest r : so.pendingAccepts) if (r.overlapped.address() == ov.address()) return true;
        return false;
    }

    /**
     * BOOL WSPGetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD lpcbTransfer, BOOL fWait, LPDWORD lpdwFlags,
     * LPINT): the result from the OVERLAPPED's fields ({@link OverlappedCompletion} says how the host uses
     * them). Still pending: WSA_IO_INCOMPLETE, or with fWait a wait on hEvent, if any (as Windows does),
     * then on the request itself (no event, or an event signalled for something else).
     */
    int WSPGetOverlappedResult(long s, MemorySegment lpOverlapped, MemorySegment lpcbTransfer, int fWait,
                               MemorySegment lpdwFlags, MemorySegment lpErrno) {
        try {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return 0;
            if (Native.isNull(lpOverlapped) || Native.isNull(lpcbTransfer) || Native.isNull(lpdwFlags)) {
                Native.setError(lpErrno, WSAEFAULT);
                return 0;
            }
            MemorySegment ov = OverlappedCompletion.overlapped(lpOverlapped);
            if (OverlappedCompletion.isPending(ov)) {
                if (fWait == 0) {
                    Native.setError(lpErrno, WSA_IO_INCOMPLETE);
                    return 0;
                }
                long hEvent = OverlappedCompletion.event(ov);
                if (hEvent != 0) events.await(hEvent, -1);
                if (!awaitRequest(so, ov)) {
                    Native.setError(lpErrno, WSAEINVAL); // pending, but not a request of this socket
                    return 0;
                }
            }
            Native.setInt(lpcbTransfer, OverlappedCompletion.bytes(ov));
            Native.setInt(lpdwFlags, OverlappedCompletion.flags(ov));
            int error = OverlappedCompletion.error(ov);
            if (error == 0) return 1;
            Native.setError(lpErrno, error);
            return 0;
        } catch (Throwable t) {
            fail("WSPGetOverlappedResult", t, lpErrno);
            return 0;
        }
    }

    /**
     * Waits until {@code ov} is complete; false if it is pending but not one of the socket's requests.
     * An AcceptEx handed off to its accept socket (the map is written under the listener's monitor,
     * before the request leaves the listener's queue) is waited for there.
     */
    private boolean awaitRequest(BaseSocket so, MemorySegment ov) throws InterruptedException {
        synchronized (so) {
            while (OverlappedCompletion.isPending(ov)) {
                if (!isQueued(so, ov)) break;
                so.wait();
            }
            if (!OverlappedCompletion.isPending(ov)) return true;
        }
        BaseSocket target = handedOff.get(ov.address());
        if (target == null) return !OverlappedCompletion.isPending(ov);
        synchronized (target) {
            while (OverlappedCompletion.isPending(ov)) {
                if (!isQueued(target, ov)) return !OverlappedCompletion.isPending(ov);
                target.wait();
            }
            return true;
        }
    }

    /** int WSPShutdown(SOCKET, int, LPINT). */
    int WSPShutdown(long s, int how, MemorySegment lpErrno) {
        try {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            if (how < Ws2Def.SD_RECEIVE || how > Ws2Def.SD_BOTH) return error(lpErrno, WSAEINVAL);
            synchronized (so) {
                // Before the shutdown: the dispatcher must not take the hang-up it brings for the peer's close.
                if (how != Ws2Def.SD_SEND) so.receiveShutdown = true;
            }
            if (Libc.shutdown(so.fd, how) < 0) return error(lpErrno, Errno.toWsa(Libc.errno()));
            if (how != Ws2Def.SD_RECEIVE) {
                synchronized (so) {
                    so.sendShutdown = true;
                }
            }
            return 0;
        } catch (Throwable t) {
            return fail("WSPShutdown", t, lpErrno);
        }
    }

    /** int WSPCloseSocket(SOCKET, LPINT). After it returns nothing more is posted for the socket. */
    int WSPCloseSocket(long s, MemorySegment lpErrno) {
        try {
            BaseSocket so = sockets.get(s);
            if (so == null || !closeSocket(so)) return error(lpErrno, WSAENOTSOCK);
            return 0;
        } catch (Throwable t) {
            return fail("WSPCloseSocket", t, lpErrno);
        }
    }

    /** int WSPAsyncSelect(SOCKET, HWND, unsigned int, long, LPINT). */
    int WSPAsyncSelect(long s, long hWnd, int wMsg, int lEvent, MemorySegment lpErrno) {
        try {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            int holding;
            synchronized (so) {
                holding = so.closed ? 0 : levelsNow(so);
            }
            // What holds now is posted now, in the rules' order, whether the dispatcher saw it yet or not.
            RegisterOutcome outcome = asyncEngine.asyncSelect(s, hWnd, wMsg, lEvent, holding);
            if (!outcome.succeeded()) return error(lpErrno, outcome.errorCode());
            if (outcome.replacedEventSelect()) {
                synchronized (so) {
                    so.record.select(0, 0); // the WSPEventSelect association is gone; what it recorded stays
                }
            }
            synchronized (so) {
                so.registered = lEvent != 0;
            }
            so.nonBlocking = true;
            return 0;
        } catch (Throwable t) {
            return fail("WSPAsyncSelect", t, lpErrno);
        }
    }

    /** The level conditions that hold on the socket now (FD_READ, FD_OOB, FD_ACCEPT, FD_WRITE), under its monitor. */
    private static int levelsNow(BaseSocket so) {
        if (!so.connectionOriented) {
            if (!so.bound) return 0;
            int now = Poll.once(so.fd, (short) (Poll.POLLIN | Poll.POLLOUT), 0);
            if (now <= 0) return 0;
            return ((now & Poll.POLLIN) != 0 ? FD_READ : 0) | ((now & Poll.POLLOUT) != 0 ? FD_WRITE : 0);
        }
        if (so.phase != BaseSocket.Phase.CONNECTED && so.phase != BaseSocket.Phase.LISTENING) return 0;
        int now = Poll.once(so.fd, (short) (Poll.POLLIN | Poll.POLLPRI | Poll.POLLOUT | Poll.POLLRDHUP), 0);
        if (now <= 0) return 0;
        if (so.phase == BaseSocket.Phase.LISTENING) return (now & Poll.POLLIN) != 0 ? FD_ACCEPT : 0;
        boolean ended = (now & (Poll.POLLRDHUP | Poll.POLLHUP | Poll.POLLERR)) != 0;
        int levels = 0;
        if ((now & Poll.POLLIN) != 0 && (!ended || readable(so.fd) > 0)) levels |= FD_READ;
        if ((now & Poll.POLLPRI) != 0) levels |= so.oobInline ? FD_READ : FD_OOB;
        if ((now & Poll.POLLOUT) != 0) levels |= FD_WRITE;
        return levels;
    }

    /**
     * Under the socket's monitor: the record brought up to what happened on the socket, as the dispatcher
     * would record it on its next turn. Windows records in the network stack's own path, so its record
     * is never behind what recv or FIONREAD already show; here the dispatcher may not have had its turn.
     */
    private void catchUp(BaseSocket so) {
        if (so.closed) return;
        performPending(so);
        readyLocked(so);
    }

    /** int WSPEventSelect(SOCKET, WSAEVENT, long, LPINT). */
    int WSPEventSelect(long s, long hEventObject, int lNetworkEvents, MemorySegment lpErrno) {
        try {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            if ((lNetworkEvents & ~FD_ALL_EVENTS) != 0) return error(lpErrno, WSAEINVAL);
            if (lNetworkEvents != 0 && (hEventObject <= 0 || hEventObject > Integer.MAX_VALUE)) {
                return error(lpErrno, WSA_INVALID_HANDLE);
            }
            asyncEngine.eventSelect(s); // replaces any WSPAsyncSelect registration
            long signal;
            synchronized (so) {
                if (so.closed) return error(lpErrno, WSAENOTSOCK);
                catchUp(so);
                so.registered = lNetworkEvents != 0;
                // What happened and was not reported yet signals the new association; nothing is worked out anew.
                signal = so.record.select(hEventObject, lNetworkEvents) ? hEventObject : 0;
            }
            if (signal != 0) events.set(signal);
            so.nonBlocking = true;
            return 0;
        } catch (Throwable t) {
            return fail("WSPEventSelect", t, lpErrno);
        }
    }

    private static final long NETWORK_EVENTS_AT = Spi.offset(Spi.WSANETWORKEVENTS, "lNetworkEvents");
    private static final long ERROR_CODES_AT = Spi.offset(Spi.WSANETWORKEVENTS, "iErrorCode");

    /**
     * int WSPEnumNetworkEvents(SOCKET, WSAEVENT, LPWSANETWORKEVENTS, LPINT), its pointers taken raw
     * ({@link Spi#procJavaDescriptor}): a layered provider calls it at every event and registration.
     */
    int WSPEnumNetworkEvents(long s, long hEventObject, long lpNetworkEvents, long lpErrno) {
        try {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            if (lpNetworkEvents == 0) return error(lpErrno, WSAEFAULT);
            if (hEventObject != 0 && !events.isEvent(hEventObject)) return error(lpErrno, WSA_INVALID_HANDLE);
            synchronized (so) {
                catchUp(so);
                // Reset after catching up and before the snapshot, under the monitor the dispatcher records
                // under: what it records later signals again, what is reported now does not.
                if (hEventObject != 0) events.reset(hEventObject);
                // The selected events of the record; an unreported event's iErrorCode slot is left alone.
                int reported = so.record.report();
                RawMemory.setInt(lpNetworkEvents + NETWORK_EVENTS_AT, reported);
                for (int rest = reported; rest != 0; rest &= rest - 1) {
                    int bit = Integer.numberOfTrailingZeros(rest);
                    RawMemory.setInt(lpNetworkEvents + ERROR_CODES_AT + 4L * bit, so.record.errors[bit]);
                }
            }
            return 0;
        } catch (Throwable t) {
            return fail("WSPEnumNetworkEvents", t, lpErrno);
        }
    }

    /** int WSPSetSockOpt(SOCKET, int, int, const char*, int, LPINT). */
    int WSPSetSockOpt(long s, int level, int optname, MemorySegment optval, int optlen, MemorySegment lpErrno) {
        try (Arena a = Arena.ofConfined()) {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            if (level == Ws2Def.SOL_SOCKET && optname == WinApi.SO_UPDATE_CONNECT_CONTEXT()) {
                // Set with NULL, 0 after ConnectEx: the host has no context to update, only the state to check.
                synchronized (so) {
                    return so.phase == BaseSocket.Phase.CONNECTED ? 0 : error(lpErrno, WSAENOTCONN);
                }
            }
            if (Native.isNull(optval) || optlen < 1) return error(lpErrno, WSAEFAULT);
            MemorySegment val = optval.reinterpret(optlen);
            if (level == Ws2Def.SOL_SOCKET && optname == WinApi.SO_UPDATE_ACCEPT_CONTEXT()) {
                return updateAcceptContext(so, val, lpErrno);
            }
            if (level == Ws2Def.SOL_SOCKET && (optname == Ws2Def.SO_LINGER || optname == Ws2Def.SO_DONTLINGER)) {
                boolean on;
                int seconds = 0;
                if (optname == Ws2Def.SO_LINGER) {
                    if (optlen < Spi.LINGER.byteSize()) return error(lpErrno, WSAEFAULT);
                    on = val.get(JAVA_SHORT, Spi.offset(Spi.LINGER, "l_onoff")) != 0;
                    seconds = Short.toUnsignedInt(val.get(JAVA_SHORT, Spi.offset(Spi.LINGER, "l_linger")));
                } else {
                    on = intOption(val, optlen) == 0; // SO_DONTLINGER TRUE turns lingering off
                }
                MemorySegment linger = a.allocate(JAVA_INT, 2); // Linux: struct linger { int l_onoff; int l_linger; }
                linger.setAtIndex(JAVA_INT, 0, on ? 1 : 0);
                linger.setAtIndex(JAVA_INT, 1, seconds);
                if (Libc.setsockopt(so.fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_LINGER, linger, 8) < 0) {
                    return error(lpErrno, Errno.toWsa(Libc.errno()));
                }
                return 0;
            }
            int[] linux = SocketOptions.toLinux(level, optname);
            if (linux == null) return error(lpErrno, WSAENOPROTOOPT);
            int value = intOption(val, optlen);
            MemorySegment v = a.allocateFrom(JAVA_INT, value);
            if (Libc.setsockopt(so.fd, linux[0], linux[1], v, 4) < 0) return error(lpErrno, Errno.toWsa(Libc.errno()));
            if (level == Ws2Def.SOL_SOCKET && optname == Ws2Def.SO_OOBINLINE) {
                synchronized (so) {
                    so.oobInline = value != 0;
                }
                asyncEngine.setOobInline(s, value != 0);
            }
            return 0;
        } catch (Throwable t) {
            return fail("WSPSetSockOpt", t, lpErrno);
        }
    }

    /**
     * SO_UPDATE_ACCEPT_CONTEXT: optval is the listening socket an AcceptEx accepted {@code so} from. The
     * host keeps no context to update, but checks the handle: one of this provider's listening sockets
     * (else WSAENOTSOCK or WSAEINVAL), so a layer that forgets to translate it is caught.
     */
    private int updateAcceptContext(BaseSocket so, MemorySegment val, MemorySegment lpErrno) {
        if (val.byteSize() < JAVA_LONG.byteSize()) return error(lpErrno, WSAEFAULT);
        BaseSocket listener = sockets.get(val.get(JAVA_LONG.withByteAlignment(1), 0));
        if (listener == null) return error(lpErrno, WSAENOTSOCK);
        synchronized (listener) {
            if (listener.phase != BaseSocket.Phase.LISTENING) return error(lpErrno, WSAEINVAL);
        }
        synchronized (so) {
            return so.phase == BaseSocket.Phase.CONNECTED ? 0 : error(lpErrno, WSAENOTCONN);
        }
    }

    /** BOOL-sized and int-sized options: Windows accepts one byte for a BOOL, else four. */
    private static int intOption(MemorySegment val, int optlen) {
        return optlen >= 4 ? val.get(JAVA_INT, 0) : val.get(JAVA_BYTE, 0);
    }

    /** int WSPGetSockOpt(SOCKET, int, int, char*, LPINT, LPINT). */
    int WSPGetSockOpt(long s, int level, int optname, MemorySegment optval, MemorySegment optlen, MemorySegment lpErrno) {
        try (Arena a = Arena.ofConfined()) {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            if (Native.isNull(optval) || Native.isNull(optlen)) return error(lpErrno, WSAEFAULT);
            int room = Native.getInt(optlen);
            if (level == Ws2Def.SOL_SOCKET && optname == Ws2Def.SO_LINGER) {
                if (room < Spi.LINGER.byteSize()) return error(lpErrno, WSAEFAULT);
                MemorySegment linger = a.allocate(JAVA_INT, 2);
                MemorySegment len = a.allocateFrom(JAVA_INT, 8);
                if (Libc.getsockopt(so.fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_LINGER, linger, len) < 0) {
                    return error(lpErrno, Errno.toWsa(Libc.errno()));
                }
                MemorySegment out = optval.reinterpret(Spi.LINGER.byteSize());
                out.set(JAVA_SHORT, Spi.offset(Spi.LINGER, "l_onoff"), (short) linger.getAtIndex(JAVA_INT, 0));
                out.set(JAVA_SHORT, Spi.offset(Spi.LINGER, "l_linger"), (short) linger.getAtIndex(JAVA_INT, 1));
                Native.setInt(optlen, (int) Spi.LINGER.byteSize());
                return 0;
            }
            int[] linux = SocketOptions.toLinux(level, optname);
            if (linux == null) return error(lpErrno, WSAENOPROTOOPT);
            if (room < 4) return error(lpErrno, WSAEFAULT);
            if (level == Ws2Def.SOL_SOCKET && optname == Ws2Def.SO_ERROR && so.connectionOriented) {
                // Linux's SO_ERROR is read-and-clear: the error of a connect in progress must not be taken
                // from FD_CONNECT. Under the monitor, so no connect starts between the look and the read.
                synchronized (so) {
                    int value = so.phase == BaseSocket.Phase.CONNECTING ? finishConnect(so) : Errno.toWsa(soError(so.fd));
                    Native.setInt(optval, value == STILL_CONNECTING ? 0 : value);
                    Native.setInt(optlen, 4);
                    return 0;
                }
            }
            MemorySegment v = a.allocate(JAVA_INT);
            MemorySegment len = a.allocateFrom(JAVA_INT, 4);
            if (Libc.getsockopt(so.fd, linux[0], linux[1], v, len) < 0) return error(lpErrno, Errno.toWsa(Libc.errno()));
            int value = v.get(JAVA_INT, 0);
            if (level == Ws2Def.SOL_SOCKET && optname == Ws2Def.SO_ERROR) value = Errno.toWsa(value);
            Native.setInt(optval, value);
            Native.setInt(optlen, 4);
            return 0;
        } catch (Throwable t) {
            return fail("WSPGetSockOpt", t, lpErrno);
        }
    }

    /**
     * int WSPIoctl(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
     * LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT): FIONBIO, FIONREAD, SIOCATMARK, and
     * SIO_GET_EXTENSION_FUNCTION_POINTER for AcceptEx, ConnectEx, DisconnectEx and GetAcceptExSockaddrs.
     */
    int WSPIoctl(long s, int code, MemorySegment lpvInBuffer, int cbInBuffer, MemorySegment lpvOutBuffer,
                 int cbOutBuffer, MemorySegment lpcbBytesReturned, MemorySegment lpOverlapped,
                 MemorySegment lpCompletionRoutine, MemorySegment lpThreadId, MemorySegment lpErrno) {
        BaseSocket so = null;
        try {
            so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            if (!Native.isNull(lpOverlapped) && !Native.isNull(lpCompletionRoutine) && Native.isNull(lpThreadId)) {
                return error(lpErrno, WSAEFAULT);
            }
            if (code == Ioctls.FIONBIO) {
                if (Native.isNull(lpvInBuffer) || cbInBuffer < 4) return error(lpErrno, WSAEFAULT);
                boolean on = Native.getInt(lpvInBuffer) != 0;
                synchronized (so) {
                    // A socket with a WSAAsyncSelect/WSAEventSelect registration cannot be made blocking.
                    if (!on && so.registered) return error(lpErrno, WSAEINVAL);
                }
                so.nonBlocking = on;
                return ioctlDone(s, 0, lpcbBytesReturned, lpOverlapped, lpCompletionRoutine, lpThreadId);
            }
            if (code == Ioctls.FIONREAD || code == Ioctls.SIOCATMARK) {
                if (Native.isNull(lpvOutBuffer) || cbOutBuffer < 4) return error(lpErrno, WSAEFAULT);
                int value;
                if (code == Ioctls.FIONREAD) {
                    value = readable(so.fd);
                } else if (so.oobInline) {
                    value = atMark(so.fd) ? 0 : 1; // inline: TRUE unless the next recv returns urgent data
                } else {
                    value = oobPending(so.fd) ? 0 : 1; // TRUE when no urgent data waits
                }
                Native.setInt(lpvOutBuffer, value);
                return ioctlDone(s, 4, lpcbBytesReturned, lpOverlapped, lpCompletionRoutine, lpThreadId);
            }
            if (code == Ioctls.SIO_GET_EXTENSION_FUNCTION_POINTER) {
                if (Native.isNull(lpvInBuffer) || cbInBuffer < Spi.GUID.byteSize()) return error(lpErrno, WSAEFAULT);
                if (Native.isNull(lpvOutBuffer) || cbOutBuffer < ADDRESS.byteSize()) return error(lpErrno, WSAEFAULT);
                MemorySegment fn = ExtensionFunction.of(Guids.read(lpvInBuffer.reinterpret(Spi.GUID.byteSize())))
                        .map(extensionFunctions::get).orElse(null);
                if (fn == null) return error(lpErrno, WSAEINVAL); // TransmitFile, WSARecvMsg...: not on the host
                lpvOutBuffer.reinterpret(ADDRESS.byteSize()).set(ADDRESS.withByteAlignment(1), 0, fn);
                return ioctlDone(s, (int) ADDRESS.byteSize(), lpcbBytesReturned, lpOverlapped, lpCompletionRoutine,
                        lpThreadId);
            }
            return error(lpErrno, code == Ioctls.SIO_GET_QOS || code == Ioctls.SIO_GET_GROUP_QOS
                    || code == Ioctls.SIO_ROUTING_INTERFACE_CHANGE || code == Ioctls.SIO_ADDRESS_LIST_CHANGE
                    ? WSAEOPNOTSUPP : WSAEINVAL);
        } catch (Throwable t) {
            return fail("WSPIoctl", t, lpErrno);
        } finally {
            if (so != null) {
                try {
                    asyncEngine.afterIoctl(s, code); // a failing call re-enables too
                } catch (Throwable t) {
                    failed("WSPIoctl", t);
                }
            }
        }
    }

    /**
     * The IOCTLs the host supports finish at once: the byte count, and for an overlapped call the
     * completion Windows gives a request that succeeded at once (event, packet or completion routine).
     */
    private int ioctlDone(long s, int n, MemorySegment lpcbBytesReturned, MemorySegment lpOverlapped,
                          MemorySegment lpCompletionRoutine, MemorySegment lpThreadId) {
        if (!Native.isNull(lpcbBytesReturned)) Native.setInt(lpcbBytesReturned, n);
        if (Native.isNull(lpOverlapped)) return 0;
        MemorySegment ov = OverlappedCompletion.overlapped(lpOverlapped);
        started(ov, lpCompletionRoutine);
        deliver(s, ov, lpCompletionRoutine, lpThreadId, new Outcome(0, n, 0, false));
        return 0;
    }

    private static boolean atMark(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            return Libc.ioctl(fd, LinuxSockets.SIOCATMARK, v) == 0 && v.get(JAVA_INT, 0) != 0;
        }
    }

    /** int WSPGetSockName(SOCKET, sockaddr*, LPINT, LPINT). */
    int WSPGetSockName(long s, MemorySegment name, MemorySegment namelen, MemorySegment lpErrno) {
        return address("WSPGetSockName", s, name, namelen, lpErrno, false);
    }

    /** int WSPGetPeerName(SOCKET, sockaddr*, LPINT, LPINT). */
    int WSPGetPeerName(long s, MemorySegment name, MemorySegment namelen, MemorySegment lpErrno) {
        return address("WSPGetPeerName", s, name, namelen, lpErrno, true);
    }

    private int address(String entry, long s, MemorySegment name, MemorySegment namelen, MemorySegment lpErrno, boolean peer) {
        try (Arena a = Arena.ofConfined()) {
            BaseSocket so = socket(s, lpErrno);
            if (so == null) return SOCKET_ERROR;
            if (Native.isNull(name) || Native.isNull(namelen)) return error(lpErrno, WSAEFAULT);
            MemorySegment addr = a.allocate(SockAddrs.MAX_SIZE);
            MemorySegment len = a.allocateFrom(JAVA_INT, (int) SockAddrs.MAX_SIZE);
            int rc = peer ? Libc.getpeername(so.fd, addr, len) : Libc.getsockname(so.fd, addr, len);
            if (rc < 0) return error(lpErrno, Errno.toWsa(Libc.errno()));
            int n = SockAddrs.linuxToWindowsInPlace(addr, len.get(JAVA_INT, 0));
            if (!peer && isUnbound(addr, n)) return error(lpErrno, WSAEINVAL); // Winsock: not bound yet
            if (Native.getInt(namelen) < n) return error(lpErrno, WSAEFAULT);
            MemorySegment.copy(addr, 0, name.reinterpret(n), 0, n);
            Native.setInt(namelen, n);
            return 0;
        } catch (Throwable t) {
            return fail(entry, t, lpErrno);
        }
    }

    private static boolean isUnbound(MemorySegment addr, int len) {
        return SocketAddresses.read(addr, len).map(a -> a.getPort() == 0 && a.getAddress().isAnyLocalAddress()).orElse(false);
    }

    // ---- the extension functions (called directly by the application, not through ws2) ---------------

    /** An extension function's failure: FALSE, and the thread's last error. */
    private int extensionFailed(int error) {
        lastError.set(error);
        return 0;
    }

    /** An extension function's overlapped request submitted: TRUE if done, else FALSE with its error (maybe WSA_IO_PENDING). */
    private int extensionSubmitted(int rc, MemorySegment err) {
        return rc == 0 ? 1 : extensionFailed(err.get(JAVA_INT, 0));
    }

    /**
     * BOOL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer, DWORD
     * dwReceiveDataLength, DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength, LPDWORD
     * lpdwBytesReceived, LPOVERLAPPED): see the class comment; the address slots are
     * {@link AcceptExAddresses}'. Its completion goes to sListenSocket's port and event.
     */
    int AcceptEx(long sListenSocket, long sAcceptSocket, MemorySegment lpOutputBuffer, int dwReceiveDataLength,
                 int dwLocalAddressLength, int dwRemoteAddressLength, MemorySegment lpdwBytesReceived,
                 MemorySegment lpOverlapped) {
        try (Arena a = Arena.ofConfined()) {
            BaseSocket listener = sockets.get(sListenSocket);
            BaseSocket target = sockets.get(sAcceptSocket);
            if (listener == null || target == null) return extensionFailed(WSAENOTSOCK);
            if (Native.isNull(lpOverlapped)) return extensionFailed(WSAEINVAL);
            if (Native.isNull(lpOutputBuffer) || dwReceiveDataLength < 0) return extensionFailed(WSAEFAULT);
            MemorySegment name = a.allocate(SockAddrs.MAX_SIZE);
            int family = localAddress(listener.fd, name) < 0 ? -1 : SocketAddresses.family(name);
            int min = AcceptExAddresses.minimumSlot(family);
            if (dwLocalAddressLength < min || dwRemoteAddressLength < min) return extensionFailed(WSAEFAULT);
            int targetLength = localAddress(target.fd, name);
            if (!target.connectionOriented || targetLength < 0 || SocketAddresses.family(name) != family
                    || !isUnbound(name, targetLength)) {
                return extensionFailed(WSAEINVAL); // not a fresh stream socket of the listener's family
            }
            MemorySegment output = lpOutputBuffer.reinterpret(
                    (long) dwReceiveDataLength + dwLocalAddressLength + dwRemoteAddressLength);
            MemorySegment ov = OverlappedCompletion.overlapped(lpOverlapped);
            MemorySegment err = a.allocate(JAVA_INT);
            synchronized (listener) {
                if (listener.closed) return extensionFailed(WSAENOTSOCK);
                if (listener.phase != BaseSocket.Phase.LISTENING) return extensionFailed(WSAEINVAL);
                synchronized (target) {
                    if (target.closed) return extensionFailed(WSAENOTSOCK);
                    if (target.phase != BaseSocket.Phase.FRESH || target.namedByAcceptEx) return extensionFailed(WSAEINVAL);
                    target.namedByAcceptEx = true;
                }
                OverlappedRequest r = OverlappedRequest.accept(ov, target, output, dwReceiveDataLength,
                        dwLocalAddressLength, dwRemoteAddressLength);
                return extensionSubmitted(submit(listener, listener.pendingAccepts, r, lpdwBytesReceived,
                        MemorySegment.NULL, err), err);
            }
        } catch (Throwable t) {
            failed("AcceptEx", t);
            return extensionFailed(WSASYSCALLFAILURE);
        }
    }

    /** getsockname as a Windows sockaddr into {@code into}: its length, or -1. */
    private static int localAddress(int fd, MemorySegment into) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment len = a.allocateFrom(JAVA_INT, (int) SockAddrs.MAX_SIZE);
            if (Libc.getsockname(fd, into, len) < 0) return -1;
            return SockAddrs.linuxToWindowsInPlace(into, len.get(JAVA_INT, 0));
        }
    }

    /**
     * void GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
     * DWORD dwRemoteAddressLength, sockaddr** LocalSockaddr, LPINT LocalSockaddrLength, sockaddr**
     * RemoteSockaddr, LPINT RemoteSockaddrLength): pointers into the buffer, at the sockaddrs AcceptEx
     * stored in its slots ({@link AcceptExAddresses}).
     */
    void GetAcceptExSockaddrs(MemorySegment lpOutputBuffer, int dwReceiveDataLength, int dwLocalAddressLength,
                              int dwRemoteAddressLength, MemorySegment localSockaddr, MemorySegment localSockaddrLength,
                              MemorySegment remoteSockaddr, MemorySegment remoteSockaddrLength) {
        try {
            if (Native.isNull(lpOutputBuffer) || dwReceiveDataLength < 0 || dwLocalAddressLength < AcceptExAddresses.SLOT.byteSize()
                    || dwRemoteAddressLength < AcceptExAddresses.SLOT.byteSize()) {
                return; // no slots to read: Windows documents no failure either
            }
            MemorySegment output = lpOutputBuffer.reinterpret(
                    (long) dwReceiveDataLength + dwLocalAddressLength + dwRemoteAddressLength);
            MemorySegment local = output.asSlice(dwReceiveDataLength, dwLocalAddressLength);
            MemorySegment remote = output.asSlice((long) dwReceiveDataLength + dwLocalAddressLength, dwRemoteAddressLength);
            storeAddress(local, localSockaddr, localSockaddrLength);
            storeAddress(remote, remoteSockaddr, remoteSockaddrLength);
        } catch (Throwable t) {
            failed("GetAcceptExSockaddrs", t);
        }
    }

    private static void storeAddress(MemorySegment slot, MemorySegment pointer, MemorySegment length) {
        if (!Native.isNull(pointer)) pointer.reinterpret(ADDRESS.byteSize()).set(ADDRESS.withByteAlignment(1), 0,
                AcceptExAddresses.address(slot));
        if (!Native.isNull(length)) Native.setInt(length, AcceptExAddresses.length(slot));
    }

    /**
     * BOOL ConnectEx(SOCKET, const sockaddr*, int namelen, PVOID lpSendBuffer, DWORD dwSendDataLength,
     * LPDWORD lpdwBytesSent, LPOVERLAPPED): a bound, unconnected stream socket (unbound: WSAEINVAL, as
     * Windows); completes once connected and the send buffer, if any, is sent (bytes: those sent).
     */
    int ConnectEx(long s, MemorySegment name, int namelen, MemorySegment lpSendBuffer, int dwSendDataLength,
                  MemorySegment lpdwBytesSent, MemorySegment lpOverlapped) {
        try (Arena a = Arena.ofConfined()) {
            BaseSocket so = sockets.get(s);
            if (so == null) return extensionFailed(WSAENOTSOCK);
            if (!so.connectionOriented) return extensionFailed(WSAEOPNOTSUPP);
            if (Native.isNull(lpOverlapped)) return extensionFailed(WSAEINVAL);
            if (dwSendDataLength < 0 || (dwSendDataLength > 0 && Native.isNull(lpSendBuffer))) {
                return extensionFailed(WSAEFAULT);
            }
            MemorySegment linux = a.allocate(SockAddrs.MAX_SIZE);
            int len = SockAddrs.windowsToLinux(name, namelen, linux);
            if (len < 0) return extensionFailed(-len);
            MemorySegment local = a.allocate(SockAddrs.MAX_SIZE);
            int localLength = localAddress(so.fd, local);
            if (localLength < 0 || isUnbound(local, localLength)) return extensionFailed(WSAEINVAL);
            MemorySegment data = dwSendDataLength == 0 ? MemorySegment.NULL : lpSendBuffer.reinterpret(dwSendDataLength);
            MemorySegment err = a.allocate(JAVA_INT);
            synchronized (so) {
                if (so.closed) return extensionFailed(WSAENOTSOCK);
                int begun = beginConnect(so, linux, len);
                if (begun != 0 && begun != STILL_CONNECTING) return extensionFailed(begun);
                OverlappedRequest r = OverlappedRequest.connect(OverlappedCompletion.overlapped(lpOverlapped), data);
                return extensionSubmitted(submit(so, so.pendingSends, r, lpdwBytesSent, MemorySegment.NULL, err), err);
            }
        } catch (Throwable t) {
            failed("ConnectEx", t);
            return extensionFailed(WSASYSCALLFAILURE);
        }
    }

    /**
     * BOOL DisconnectEx(SOCKET, LPOVERLAPPED, DWORD dwFlags, DWORD dwReserved): a graceful close of the
     * connection (both directions; the peer reads end of stream), done at once; an overlapped call is
     * also notified at once. TF_REUSE_SOCKET is not offered on the host (WSAEOPNOTSUPP): its sockets
     * cannot be connected again.
     */
    int DisconnectEx(long s, MemorySegment lpOverlapped, int dwFlags, int dwReserved) {
        try {
            BaseSocket so = sockets.get(s);
            if (so == null) return extensionFailed(WSAENOTSOCK);
            if (dwReserved != 0 || (dwFlags & ~WinApi.TF_REUSE_SOCKET()) != 0) return extensionFailed(WSAEINVAL);
            if (dwFlags != 0) return extensionFailed(WSAEOPNOTSUPP);
            synchronized (so) {
                if (so.phase != BaseSocket.Phase.CONNECTED) return extensionFailed(WSAENOTCONN);
                if (Libc.shutdown(so.fd, LinuxSockets.SHUT_RDWR) < 0) return extensionFailed(Errno.toWsa(Libc.errno()));
                so.sendShutdown = true;
            }
            if (!Native.isNull(lpOverlapped)) {
                MemorySegment ov = OverlappedCompletion.overlapped(lpOverlapped);
                started(ov, MemorySegment.NULL);
                deliver(s, ov, MemorySegment.NULL, MemorySegment.NULL, new Outcome(0, 0, 0, false));
            }
            return 1;
        } catch (Throwable t) {
            failed("DisconnectEx", t);
            return extensionFailed(WSASYSCALLFAILURE);
        }
    }

    // ---- entries the host's base provider does not support ---------------------------------------------

    /** int WSPAddressToString(...): not supported on the host (WSAEOPNOTSUPP). */
    int WSPAddressToString(MemorySegment a, int b, MemorySegment c, MemorySegment d, MemorySegment e, MemorySegment lpErrno) {
        return unsupported(lpErrno);
    }

    /** int WSPStringToAddress(...): not supported on the host (WSAEOPNOTSUPP). */
    int WSPStringToAddress(MemorySegment a, int b, MemorySegment c, MemorySegment d, MemorySegment e, MemorySegment lpErrno) {
        return unsupported(lpErrno);
    }

    /** int WSPCancelBlockingCall(LPINT): Winsock 2 has no blocking hooks; WSAEOPNOTSUPP as on Windows. */
    int WSPCancelBlockingCall(MemorySegment lpErrno) {
        return unsupported(lpErrno);
    }

    /** int WSPDuplicateSocket(...): no cross-process sockets on the host. */
    int WSPDuplicateSocket(long s, int pid, MemorySegment info, MemorySegment lpErrno) {
        return unsupported(lpErrno);
    }

    /** BOOL WSPGetQOSByName(...): no QOS; FALSE with WSAEOPNOTSUPP. */
    int WSPGetQOSByName(long s, MemorySegment name, MemorySegment qos, MemorySegment lpErrno) {
        Native.setError(lpErrno, WSAEOPNOTSUPP);
        return 0;
    }

    /** SOCKET WSPJoinLeaf(...): no multipoint; INVALID_SOCKET with WSAEOPNOTSUPP. */
    long WSPJoinLeaf(long s, MemorySegment name, int namelen, MemorySegment a, MemorySegment b, MemorySegment c,
                     MemorySegment d, int flags, MemorySegment lpErrno) {
        Native.setError(lpErrno, WSAEOPNOTSUPP);
        return INVALID_SOCKET;
    }

    /** int WSPRecvDisconnect(SOCKET, LPWSABUF, LPINT): shutdown(SD_RECEIVE); no disconnect data. */
    int WSPRecvDisconnect(long s, MemorySegment data, MemorySegment lpErrno) {
        return WSPShutdown(s, Ws2Def.SD_RECEIVE, lpErrno);
    }

    /** int WSPSendDisconnect(SOCKET, LPWSABUF, LPINT): shutdown(SD_SEND); no disconnect data. */
    int WSPSendDisconnect(long s, MemorySegment data, MemorySegment lpErrno) {
        return WSPShutdown(s, Ws2Def.SD_SEND, lpErrno);
    }

    /** int WSPSelect(...): not supported on the host; use WSPAsyncSelect or WSPEventSelect. */
    int WSPSelect(int nfds, MemorySegment r, MemorySegment w, MemorySegment e, MemorySegment t, MemorySegment lpErrno) {
        return unsupported(lpErrno);
    }

    private static int unsupported(MemorySegment lpErrno) {
        try {
            Native.setError(lpErrno, WSAEOPNOTSUPP);
        } catch (Throwable ignored) {
            // a bad lpErrno: nothing more to report through
        }
        return SOCKET_ERROR;
    }
}
