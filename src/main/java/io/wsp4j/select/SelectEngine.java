package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The provider side of WSPAsyncSelect: per-socket registrations, re-enabling functions, level- and
 * edge-triggered events, persistence, and the FD_WRITE, FD_CONNECT and FD_CLOSE special cases, by the
 * engine's {@link SelectRules} (Windows' behaviour by default, or the SPI page's strict reading).
 * Platform-neutral: conditions come in from the network layer, messages go out to a {@link MessageSink}.
 *
 * <p>Socket handles are the ones the application sees (the message's wParam). Every method is
 * thread-safe; a socket's state changes under its own monitor, messages are posted after it is
 * released, in the rules' order. Nothing on the event path allocates.
 *
 * <p>FD_CONNECT is a connect's outcome: the network layer signals it only for a connect announced
 * with {@link #connectStarted}, once; a signal with no connect under way is not an outcome and is
 * dropped (a layered provider's lower provider may report a connection again when it is re-armed).
 *
 * <p>Re-enabling calls are reported after the lower call returned. A caller that learns a level
 * condition no longer holds (recv drained the data) calls {@link #clear} before the re-enabling
 * method; otherwise the engine posts again, as the spec asks for a condition that still holds. A
 * caller whose network layer re-asserts conditions by itself (a layered provider's lower provider)
 * hands back instead the count of signals read before its call went down
 * ({@link #afterRecv(long, long)}, {@link #afterSend(long, boolean, long)},
 * {@link #afterAccept(long, int, long)}): the engine settles the condition only if no signal raced
 * the call, in the same step as the re-enable, so the caller holds no lock of its own while the
 * engine posts.
 */
public final class SelectEngine {
    private final SelectRules mode;
    private final RuleSet rules;
    private final int[] postOrder;
    private final boolean holdGracefulClose;
    private final MessageSink sink;
    private final SocketTable sockets;
    private final ConcurrentLinkedQueue<SocketState> refused = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Batch> batches = ThreadLocal.withInitial(Batch::new);

    /** An engine with the rules {@code -Dwsp4j.asyncselect} names ({@link SelectRules#configured()}). */
    public SelectEngine(MessageSink sink) {
        this(sink, SelectRules.configured());
    }

    public SelectEngine(MessageSink sink, int expectedSockets) {
        this(sink, SelectRules.configured(), expectedSockets);
    }

    public SelectEngine(MessageSink sink, SelectRules rules) {
        this(sink, rules, 1024);
    }

    public SelectEngine(MessageSink sink, SelectRules rules, int expectedSockets) {
        if (sink == null) throw new NullPointerException("sink");
        if (rules == null) throw new NullPointerException("rules");
        this.mode = rules;
        this.rules = rules.rules;
        this.postOrder = this.rules.postOrder();
        this.holdGracefulClose = this.rules.holdsGracefulClose();
        this.sink = sink;
        this.sockets = new SocketTable(expectedSockets);
    }

    /** The rules this engine follows. */
    public SelectRules rules() {
        return mode;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** A new socket. Returns false (and changes nothing) if the engine already knows it. */
    public boolean open(long s, boolean connectionOriented) {
        SocketState st = new SocketState(s, connectionOriented);
        st.writable = !connectionOriented && rules.datagramWritableWhenOpened();
        return sockets.putIfAbsent(st) == st;
    }

    /**
     * A socket accepted on {@code listener}: it inherits the listener's registration (hWnd, wMsg,
     * lEvent) and, being connected, is owed an FD_WRITE. Replaces any state the engine had for it.
     */
    public void accepted(long listener, long s) {
        SocketState st = new SocketState(s, true);
        st.connected = true;
        st.writable = true;
        st.writeOwed = true;
        SocketState l = sockets.get(listener);
        if (l != null) {
            synchronized (l) {
                if (!l.closed && l.lEvent != 0) {
                    st.hWnd = l.hWnd;
                    st.wMsg = l.wMsg;
                    st.lEvent = l.lEvent;
                    st.oobInline = l.oobInline;
                }
            }
        }
        st.enabled = st.lEvent;
        SocketState old = sockets.remove(s);
        if (old != null) retire(old);
        sockets.putIfAbsent(st);
        Batch b = batches.get();
        synchronized (st) {
            collect(st, b);
        }
        post(st, b);
    }

    /** closesocket: forgets the socket. When this returns, nothing more is posted for it, ever. */
    public void closed(long s) {
        SocketState st = sockets.remove(s);
        if (st != null) retire(st);
    }

    private static void retire(SocketState st) {
        synchronized (st) {
            st.closed = true;
            st.lEvent = 0;
            st.enabled = 0;
            st.generation++;
            awaitInflight(st);
        }
    }

    /** Number of sockets the engine knows. */
    public int size() {
        return sockets.size();
    }

    // ---- registration -------------------------------------------------------------------------

    /**
     * WSPAsyncSelect(s, hWnd, wMsg, lEvent): replaces the socket's previous AsyncSelect or
     * EventSelect; lEvent = 0 cancels all notification. Conditions that already hold are posted at
     * once. On failure nothing changes.
     */
    public RegisterOutcome asyncSelect(long s, long hWnd, int wMsg, int lEvent) {
        return register(s, hWnd, wMsg, lEvent, 0, 0, null, null);
    }

    /**
     * As {@link #asyncSelect(long, long, int, int)}, with what the network layer finds at this moment:
     * {@code fdEventsNow} (level conditions that hold, error 0) are signalled in the same step, before
     * the registration decides what to post, so that what holds now is posted in the rules' order
     * whether or not its signal had come in yet.
     */
    public RegisterOutcome asyncSelect(long s, long hWnd, int wMsg, int lEvent, int fdEventsNow) {
        return register(s, hWnd, wMsg, lEvent, fdEventsNow, 0, null, null);
    }

    /**
     * As {@link #asyncSelect(long, long, int, int, int)} with a network-event record read at this moment
     * (each event with {@code errors[its bit]}, as WSANETWORKEVENTS.iErrorCode), for a caller that
     * registers under a lock of its own: the messages are left in {@code out}, which the caller posts
     * with {@link #post(PendingPosts)} once it released its lock, and always. Events the record holds
     * happened before the registration: the rules apply to them as to any earlier event (on Windows a
     * connect's outcome from before is not posted).
     *
     * @throws IllegalStateException if {@code out} still holds messages not posted
     */
    public RegisterOutcome asyncSelect(long s, long hWnd, int wMsg, int lEvent, int fdEvents, int[] errors, PendingPosts out) {
        if (out.socket != null) throw new IllegalStateException("messages for socket " + out.socket.socket + " not posted yet");
        return register(s, hWnd, wMsg, lEvent, fdEvents, 0, errors, out);
    }

    private RegisterOutcome register(long s, long hWnd, int wMsg, int lEvent, int fdEvents, int error, int[] errors,
                                     PendingPosts out) {
        SocketState st = sockets.get(s);
        if (st == null) return RegisterOutcome.NOT_SOCKET;
        if ((lEvent & ~FD_ALL_EVENTS) != 0) return RegisterOutcome.INVALID_ARGUMENT;
        Batch b = out != null ? out.batch : batches.get();
        boolean replacedEventSelect;
        synchronized (st) {
            if (st.closed) return RegisterOutcome.NOT_SOCKET;
            replacedEventSelect = st.eventSelectMode;
            st.eventSelectMode = false;
            replace(st, lEvent == 0 ? 0 : hWnd, lEvent == 0 ? 0 : wMsg, lEvent);
            raiseAll(st, fdEvents, error, errors);
            if (lEvent != 0) {
                rules.registered(st); // persistence: what the rules re-post, besides the levels that hold
                collect(st, b);
                if (out != null && b.count != 0) out.socket = st; // collect counted them in flight
            }
        }
        if (out == null) post(st, b);
        return replacedEventSelect ? RegisterOutcome.OK_REPLACED_EVENT_SELECT : RegisterOutcome.OK;
    }

    /** WSPEventSelect was called on the socket: it cancels the AsyncSelect registration. */
    public void eventSelect(long s) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        synchronized (st) {
            st.eventSelectMode = true;
            replace(st, 0, 0, 0);
        }
    }

    /** Cancels all notification for the socket, as WSPAsyncSelect(s, 0, 0, 0) does. */
    public void cancel(long s) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        synchronized (st) {
            st.eventSelectMode = false;
            replace(st, 0, 0, 0);
        }
    }

    private static void replace(SocketState st, long hWnd, int wMsg, int lEvent) {
        st.generation++;
        awaitInflight(st); // messages of the old registration are out before the new one counts
        st.hWnd = hWnd;
        st.wMsg = wMsg;
        st.lEvent = lEvent;
        st.enabled = lEvent;
    }

    // ---- conditions from the network layer ------------------------------------------------------

    /**
     * Conditions became true, or edge events happened, with {@code error} (0 or a WSAE* code) for
     * each. Unknown or closed sockets are ignored: a condition queued before closesocket is dropped.
     */
    public void signal(long s, int fdEvents, int error) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed) return;
            raiseAll(st, fdEvents, error, null);
            collect(st, b);
        }
        post(st, b);
    }

    /**
     * A network-event record for {@code s}: the events {@code fdEvents}, each with its own error code
     * ({@code errors} is indexed by the event's bit number, as WSANETWORKEVENTS.iErrorCode), decided
     * in one step, and the messages left in {@code out} instead of posted. For a caller that must
     * report under a lock of its own: it calls {@link #post(PendingPosts)} once it released that lock,
     * and always (the socket's close and a new registration wait for those messages to be out).
     *
     * @throws IllegalStateException if {@code out} still holds messages not posted
     */
    public void signal(long s, int fdEvents, int[] errors, PendingPosts out) {
        if (out.socket != null) throw new IllegalStateException("messages for socket " + out.socket.socket + " not posted yet");
        SocketState st = sockets.get(s);
        if (st == null) return;
        synchronized (st) {
            if (st.closed) return;
            raiseAll(st, fdEvents, 0, errors);
            collect(st, out.batch);
            if (out.batch.count != 0) out.socket = st; // collect counted them in flight
        }
    }

    /** Posts what {@link #signal(long, int, int[], PendingPosts)} left in {@code p}; nothing if it left nothing. */
    public void post(PendingPosts p) {
        SocketState st = p.socket;
        if (st == null) return;
        p.socket = null;
        post(st, p.batch);
    }

    /** Raises each of {@code fdEvents}, with {@code errors[its bit]} if {@code errors} is given, else {@code error}. */
    private static void raiseAll(SocketState st, int fdEvents, int error, int[] errors) {
        for (int rest = fdEvents & FD_ALL_EVENTS; rest != 0; rest &= rest - 1) {
            int event = rest & -rest;
            raise(st, event, errors == null ? error : errors[Integer.numberOfTrailingZeros(event)]);
        }
    }

    private static void raise(SocketState st, int event, int error) {
        switch (event) {
            case FD_OOB -> {
                st.readSignals++;
                int as = st.oobInline ? FD_READ : FD_OOB; // SO_OOBINLINE: urgent data is normal data
                st.ready |= as;
                st.setError(as, error);
            }
            case FD_WRITE -> {
                st.writeSignals++;
                st.writable = true;
                st.setError(FD_WRITE, error);
            }
            case FD_CONNECT -> {
                if (!st.connectInFlight) return; // not the outcome of a connect: nothing to post
                st.connectInFlight = false;
                st.ready |= FD_CONNECT;
                st.setError(FD_CONNECT, error);
                if (error == 0) {
                    st.connected = true;
                    st.writable = true;
                    st.writeOwed = true; // FD_WRITE follows FD_CONNECT when the connection is made,
                    st.enabled |= FD_WRITE & st.lEvent; // even on a datagram socket that posted it before
                }
            }
            case FD_CLOSE -> {
                if (!st.connectionOriented) return; // FD_CLOSE is for connection-oriented sockets only
                st.peerClosed = true;
                st.ready |= FD_CLOSE;
                st.setError(FD_CLOSE, error);
            }
            case FD_ROUTING_INTERFACE_CHANGE -> {
                if (!st.routingArmed) return; // only after SIO_ROUTING_INTERFACE_CHANGE was issued
                st.routingArmed = false;
                st.ready |= event;
                st.setError(event, error);
            }
            case FD_ADDRESS_LIST_CHANGE -> {
                if (!st.addressListArmed) return; // only after SIO_ADDRESS_LIST_CHANGE was issued
                st.addressListArmed = false;
                st.ready |= event;
                st.setError(event, error);
            }
            default -> { // FD_READ, FD_ACCEPT (levels); FD_QOS, FD_GROUP_QOS (edges)
                if (event == FD_READ) st.readSignals++;
                else if (event == FD_ACCEPT) st.acceptSignals++;
                st.ready |= event;
                st.setError(event, error);
            }
        }
    }

    /** Level conditions (FD_READ, FD_OOB, FD_ACCEPT, FD_WRITE) that no longer hold. */
    public void clear(long s, int fdEvents) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed) return;
            st.ready &= ~(fdEvents & SocketState.LEVEL_EVENTS);
            if ((fdEvents & FD_WRITE) != 0) st.writable = false;
            collect(st, b); // draining the data may release a held graceful FD_CLOSE
        }
        post(st, b);
    }

    /**
     * Whether a receive called with {@code flags}, settled by counts ({@link #afterRecv(long, int, long)}),
     * can post nothing but the kind of data it took: its rules re-enable only that kind and hold no
     * FD_CLOSE for data (Windows' rules). Otherwise what it re-enables may go out at once, and a caller
     * whose network layer re-asserts what remains (a layered provider) must give the engine that word
     * before it settles the receive.
     */
    public boolean receiveSettlesAlone(int flags) {
        int settles = (flags & Ws2Def.MSG_OOB) != 0 ? FD_OOB : FD_READ;
        return !holdGracefulClose && rules.receiveReenables(flags) == settles;
    }

    /** SO_OOBINLINE changed: with it on, urgent data is reported as FD_READ, never FD_OOB. */
    public void setOobInline(long s, boolean inline) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed) return;
            st.oobInline = inline;
            if (inline && (st.ready & FD_OOB) != 0) {
                st.ready = (st.ready & ~FD_OOB) | FD_READ;
                st.setError(FD_READ, st.error(FD_OOB));
            }
            collect(st, b);
        }
        post(st, b);
    }

    /** bind on a connectionless socket: writable from now on, if it was not since it was opened (the rules). */
    public void bound(long s) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed || st.connectionOriented) return;
            rules.bound(st);
            collect(st, b);
        }
        post(st, b);
    }

    /**
     * WSPConnect or ConnectEx was called: its outcome, success or failure, is the next FD_CONNECT
     * signal, posted as a new FD_CONNECT (FD_CONNECT has no re-enabling function; each connect has one
     * outcome). A connect that finished before it returned is signalled like any other.
     */
    public void connectStarted(long s) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        synchronized (st) {
            if (st.closed) return;
            st.connected = false;
            st.connectInFlight = true;
            st.ready &= ~FD_CONNECT;
            st.enabled |= FD_CONNECT & st.lEvent;
        }
    }

    // ---- re-enabling functions ---------------------------------------------------------------

    /**
     * WSPRecv / WSPRecvFrom returned (any result), called without flags: re-enables what the rules say
     * a receive re-enables (FD_READ; by the page FD_OOB too).
     */
    public void afterRecv(long s) {
        afterRecv(s, 0);
    }

    /**
     * WSPRecv / WSPRecvFrom returned (any result), called with {@code flags} (MSG_OOB, MSG_PEEK...):
     * re-enables FD_READ, or FD_OOB for MSG_OOB, as the rules say (by the page both, whatever the flags).
     */
    public void afterRecv(long s, int flags) {
        reenable(s, rules.receiveReenables(flags));
    }

    /**
     * How many times FD_READ or FD_OOB was signalled for {@code s} (0 for an unknown socket): read
     * before WSPRecv/WSPRecvFrom goes down, for {@link #afterRecv(long, long)}. Takes no monitor.
     */
    public long readSignals(long s) {
        SocketState st = sockets.get(s);
        return st == null ? 0 : st.readSignals;
    }

    /**
     * A receive called without flags returned on {@code s} (any result); {@code readSignalsBefore} is what
     * {@link #readSignals} said before it went down. In one step: if no FD_READ/FD_OOB was signalled
     * since, the receive took what the network layer last reported, so the condition of its kind (FD_READ;
     * FD_OOB for MSG_OOB) is cleared: the network layer reports it again if some remains, as a lower
     * provider does after a receive; one that raced the receive is kept, at worst one extra message,
     * which Winsock allows (that recv fails with WSAEWOULDBLOCK). Then the receive re-enables what the
     * rules say, with one collect: a graceful FD_CLOSE the drained data was holding back goes out with it.
     * The caller needs no lock of its own: the comparison and the signal meet under the socket's monitor.
     */
    public void afterRecv(long s, long readSignalsBefore) {
        afterRecv(s, 0, readSignalsBefore);
    }

    /** As {@link #afterRecv(long, long)}, for a receive called with {@code flags} (MSG_OOB, MSG_PEEK...). */
    public void afterRecv(long s, int flags, long readSignalsBefore) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        int settles = (flags & Ws2Def.MSG_OOB) != 0 ? FD_OOB : FD_READ;
        int reenables = rules.receiveReenables(flags);
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed) return;
            if (st.readSignals == readSignalsBefore) st.ready &= ~settles;
            st.enabled |= reenables & st.lEvent;
            collect(st, b);
        }
        post(st, b);
    }

    /**
     * WSPSend / WSPSendTo returned: re-enables FD_WRITE. After a WSAEWOULDBLOCK failure an FD_WRITE
     * is owed for when the socket is writable again; after a send that went through, none is.
     */
    public void afterSend(long s, boolean wouldBlock) {
        settleSend(s, wouldBlock ? SendOutcome.WOULD_BLOCK : SendOutcome.COMPLETE, false, 0);
    }

    /**
     * WSPSend / WSPSendTo returned with {@code outcome}: re-enables FD_WRITE. When the rules say the
     * send found the buffer full (WSAEWOULDBLOCK; on Windows a short send too), an FD_WRITE is owed for
     * when the socket is writable again; otherwise none is.
     */
    public void afterSend(long s, SendOutcome outcome) {
        settleSend(s, outcome, false, 0);
    }

    /**
     * How many times FD_WRITE was signalled for {@code s} (0 for an unknown socket): read before
     * WSPSend/WSPSendTo goes down, for {@link #afterSend(long, boolean, long)}. Takes no monitor.
     */
    public long writeSignals(long s) {
        SocketState st = sockets.get(s);
        return st == null ? 0 : st.writeSignals;
    }

    /**
     * A send returned on {@code s}; {@code writeSignalsBefore} is what {@link #writeSignals} said
     * before it went down. As {@link #afterSend(long, boolean)}, except that a WSAEWOULDBLOCK send
     * during which FD_WRITE was signalled leaves the socket writable: the network layer said so after
     * the send found its buffer full, so the FD_WRITE it owes is posted now (with that signal's error
     * code) instead of being lost. At worst it is one extra message, which Winsock allows (that send
     * fails with WSAEWOULDBLOCK again). One step, so the caller needs no lock of its own.
     */
    public void afterSend(long s, boolean wouldBlock, long writeSignalsBefore) {
        settleSend(s, wouldBlock ? SendOutcome.WOULD_BLOCK : SendOutcome.COMPLETE, true, writeSignalsBefore);
    }

    /** As {@link #afterSend(long, boolean, long)}, with the send's {@code outcome} for the rules to judge. */
    public void afterSend(long s, SendOutcome outcome, long writeSignalsBefore) {
        settleSend(s, outcome, true, writeSignalsBefore);
    }

    /** Every afterSend: {@code counted} says whether {@code writeSignalsBefore} is a count to compare. */
    private void settleSend(long s, SendOutcome outcome, boolean counted, long writeSignalsBefore) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        boolean full = rules.bufferFull(outcome);
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed) return;
            st.enabled |= FD_WRITE & st.lEvent;
            if (full) {
                if (!counted || st.writeSignals == writeSignalsBefore) st.writable = false;
                st.writeOwed = true;
            }
            collect(st, b);
        }
        post(st, b);
    }

    /**
     * WSPAccept returned on listening socket {@code s}: re-enables FD_ACCEPT, unless it failed with
     * WSATRY_AGAIN (the condition function said CF_DEFER).
     */
    public void afterAccept(long s, int error) {
        if (error == WsaErrors.WSATRY_AGAIN) return;
        reenable(s, FD_ACCEPT);
    }

    /**
     * How many times FD_ACCEPT was signalled for {@code s} (0 for an unknown socket): read before
     * WSPAccept goes down, for {@link #afterAccept(long, int, long)}. Takes no monitor.
     */
    public long acceptSignals(long s) {
        SocketState st = sockets.get(s);
        return st == null ? 0 : st.acceptSignals;
    }

    /**
     * WSPAccept returned on listening socket {@code s} with {@code error} (0 or a WSAE* code);
     * {@code acceptSignalsBefore} is what {@link #acceptSignals} said before it went down. In one step:
     * if no FD_ACCEPT was signalled since, the accept took what the network layer last reported, so
     * the condition is cleared (the network layer signals again for a connection still waiting); one
     * that raced the accept is kept, at worst one extra message, which Winsock allows (that accept
     * fails with WSAEWOULDBLOCK). Then FD_ACCEPT is re-enabled as by {@link #afterAccept(long, int)}.
     * The caller needs no lock of its own: the comparison and the signal meet under the socket's monitor.
     */
    public void afterAccept(long s, int error, long acceptSignalsBefore) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed) return;
            if (st.acceptSignals == acceptSignalsBefore) st.ready &= ~FD_ACCEPT;
            if (error != WsaErrors.WSATRY_AGAIN) st.enabled |= FD_ACCEPT & st.lEvent;
            collect(st, b);
        }
        post(st, b);
    }

    /**
     * WSPIoctl returned: SIO_GET_QOS re-enables FD_QOS, SIO_GET_GROUP_QOS FD_GROUP_QOS;
     * SIO_ROUTING_INTERFACE_CHANGE and SIO_ADDRESS_LIST_CHANGE arm their event for the next change.
     * Other codes re-enable nothing.
     */
    public void afterIoctl(long s, int ioControlCode) {
        int event;
        if (ioControlCode == Ioctls.SIO_GET_QOS) event = FD_QOS;
        else if (ioControlCode == Ioctls.SIO_GET_GROUP_QOS) event = FD_GROUP_QOS;
        else if (ioControlCode == Ioctls.SIO_ROUTING_INTERFACE_CHANGE) event = FD_ROUTING_INTERFACE_CHANGE;
        else if (ioControlCode == Ioctls.SIO_ADDRESS_LIST_CHANGE) event = FD_ADDRESS_LIST_CHANGE;
        else return;
        SocketState st = sockets.get(s);
        if (st == null) return;
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed) return;
            if (event == FD_ROUTING_INTERFACE_CHANGE) st.routingArmed = true;
            if (event == FD_ADDRESS_LIST_CHANGE) st.addressListArmed = true;
            st.enabled |= event & st.lEvent;
            collect(st, b);
        }
        post(st, b);
    }

    private void reenable(long s, int events) {
        SocketState st = sockets.get(s);
        if (st == null) return;
        Batch b = batches.get();
        synchronized (st) {
            if (st.closed) return;
            st.enabled |= events & st.lEvent;
            collect(st, b);
        }
        post(st, b);
    }

    // ---- refused posts ------------------------------------------------------------------------

    /**
     * Posts again the events whose post was refused (a full queue). Call it when the queue has room
     * again, or periodically while {@link #hasRefused()}. Returns the number of sockets retried.
     */
    public int retryRefused() {
        int n = 0;
        // Only the sockets queued now: one refused again waits for the next call, not this loop.
        for (int queued = refused.size(); n < queued; n++) {
            SocketState st = refused.poll();
            if (st == null) break;
            Batch b = batches.get();
            synchronized (st) {
                st.queuedForRetry = false;
                if (st.closed) continue;
                collect(st, b);
            }
            post(st, b);
        }
        return n;
    }

    public boolean hasRefused() {
        return !refused.isEmpty();
    }

    // ---- deciding (under the socket's monitor) and posting (outside it) -------------------------

    /**
     * Messages the engine decided to post for one socket and has not posted yet, held by the caller of
     * {@link #signal(long, int, int[], PendingPosts)} until it can post them without its own lock.
     * Owned by one thread and reused: nothing is allocated.
     */
    public static final class PendingPosts {
        private final Batch batch = new Batch();
        private SocketState socket;
    }

    /** The messages one thread is about to post for one socket. Reused: nothing is allocated. */
    private static final class Batch {
        final int[] events = new int[FD_MAX_EVENTS];
        final long[] lParams = new long[FD_MAX_EVENTS];
        int count;
        long hWnd;
        int wMsg;
        int generation;
    }

    private void collect(SocketState st, Batch b) {
        b.count = 0;
        // After a refusal the socket's events wait for retryRefused(), so they keep their order.
        if (st.queuedForRetry) return;
        int d = st.deliverable(holdGracefulClose);
        if (d == 0) return;
        b.hWnd = st.hWnd;
        b.wMsg = st.wMsg;
        b.generation = st.generation;
        for (int event : postOrder) {
            if ((d & event) == 0) continue;
            b.events[b.count] = event;
            b.lParams[b.count] = makeSelectReply(event, st.error(event));
            b.count++;
            st.markPosted(event);
        }
        SocketState.INFLIGHT.getAndAdd(st, 1);
    }

    private void post(SocketState st, Batch b) {
        int n = b.count;
        if (n == 0) return;
        b.count = 0;
        int refusedEvents = 0;
        for (int i = 0; i < n; i++) {
            if (refusedEvents != 0 || !sink.post(b.hWnd, b.wMsg, st.socket, b.lParams[i])) {
                refusedEvents |= b.events[i]; // the queue is full: the rest waits too, in order
            }
        }
        boolean retry = false;
        if (refusedEvents != 0) {
            synchronized (st) {
                if (!st.closed && st.generation == b.generation) {
                    for (int rest = refusedEvents; rest != 0; rest &= rest - 1) st.markRefused(rest & -rest);
                    if (!st.queuedForRetry) {
                        st.queuedForRetry = true;
                        retry = true;
                    }
                }
            }
        }
        // Dekker-style with awaitInflight: both sides write one volatile, then read the other's.
        if ((int) SocketState.INFLIGHT.getAndAdd(st, -1) == 1 && st.awaitingInflight) {
            synchronized (st) {
                st.notifyAll();
            }
        }
        if (retry) refused.add(st);
    }

    /** Waits, under the monitor, until messages being posted for the socket are out. */
    private static void awaitInflight(SocketState st) {
        boolean interrupted = false;
        while (st.inflight > 0) {
            st.awaitingInflight = true;
            if (st.inflight == 0) break; // the last post ended before it could see the flag
            try {
                st.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        st.awaitingInflight = false;
        if (interrupted) Thread.currentThread().interrupt();
    }
}
