package io.wsp4j.provider;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.select.RegisterOutcome;
import io.wsp4j.select.SelectEngine;
import io.wsp4j.select.SendOutcome;
import java.lang.foreign.MemorySegment;

/**
 * WSPAsyncSelect of the layered provider: registrations live in the {@link SelectEngine}; the
 * conditions come from the lower provider. Per socket, at its first WSPAsyncSelect, an auto-reset
 * event from the {@link CompletionPort} is given to the lower WSPEventSelect and watched with our
 * handle as the key; one dispatcher thread drains the port in batches, reads each signalled socket's
 * record with the lower WSPEnumNetworkEvents and feeds the events and their error codes to the engine.
 *
 * <p>The layer must be transparent: the application gets exactly the messages the provider below
 * would have posted it. The lower provider reports in event mode, whose records are not messages:
 * they say what happened (a connection made, data that arrived), where a registration in message mode
 * posts what holds at that moment. So each WSPAsyncSelect reads the lower record itself, under the
 * socket's monitor, and the engine takes it in the same step as the registration: what holds is posted
 * in the rules' order, whether or not the dispatcher had come to it, and what the record says happened
 * before the registration (a connect's outcome) is judged by the rules as any earlier event. A record
 * of FD_CONNECT is only a connect's outcome for the engine if a connect of ours is under way
 * ({@link SelectEngine#connectStarted}), which WSPConnect and ConnectEx announce.
 *
 * <p>Level-triggered conditions stay correct because the lower provider re-asserts them: a receive
 * clears FD_READ/FD_OOB in the engine and, if data remains, the lower provider reports FD_READ again
 * (the same for accept and FD_ACCEPT): a Windows provider forgets a report its receive made stale and
 * reports anew what remains after it. So while a re-enabling call of ours is down, the dispatcher
 * leaves the lower record alone (a report it read then could be stale or new, and nobody could tell
 * which); it reads it as soon as the call is back ({@link #beginCall}, {@link #endCall}). Every report
 * the engine gets after the call went down is then newer than the call: the engine counts the reports
 * per socket, and a re-enabling call clears only if none came in since it went down (it reads the count
 * before and hands it back after; the engine compares, clears and re-enables in one step under its own
 * monitor for the socket, which a report also takes, and posts after releasing it). Likewise an
 * FD_WRITE reported after a send that would block went down leaves the socket writable. A re-enabling
 * call takes the socket's monitor only to count itself in and out, and the dispatcher, which reads the
 * lower record under it (see {@link #deliver}), posts after releasing it: WPUPostMessage never runs
 * under a lock the application's calls on the socket wait for.
 *
 * <p>The accept race of Microsoft's sample (an event for a just-accepted socket whose context is not
 * known yet) cannot happen here: the key is our handle, and the socket is in the table and in the
 * engine before its lower socket is given its own event.
 */
final class AsyncSelectBridge implements AutoCloseable {
    /** Everything the lower provider can report: the engine filters by each registration's lEvent. */
    static final int LOWER_MASK = FD_READ | FD_WRITE | FD_OOB | FD_ACCEPT | FD_CONNECT | FD_CLOSE
            | FD_QOS | FD_GROUP_QOS | FD_ROUTING_INTERFACE_CHANGE | FD_ADDRESS_LIST_CHANGE;
    /** A completion key no socket has (handles are never ~0: that is INVALID_SOCKET): wakes the dispatcher to stop. */
    static final long STOP_KEY = -1L;
    private static final long RETRY_MILLIS = 20;

    private final CompletionPort port;
    private final SocketContexts sockets;
    private final LowerEvents lower;
    private final SelectEngine engine;
    private final Thread dispatcher;
    private volatile boolean running = true;

    AsyncSelectBridge(CompletionPort port, SocketContexts sockets, LowerEvents lower, SelectEngine engine) {
        this.port = port;
        this.sockets = sockets;
        this.lower = lower;
        this.engine = engine;
        this.dispatcher = Thread.ofPlatform().daemon().name("wsp4j-async-select").unstarted(this::dispatch);
    }

    void start() {
        dispatcher.start();
    }

    SelectEngine engine() {
        return engine;
    }

    /** A new socket (created or accepted): the engine must know it before any condition can arrive. */
    void opened(LayeredSocket s) {
        engine.open(s.handle(), s.connectionOriented());
    }

    /** WSPAsyncSelect(s, hWnd, wMsg, lEvent) after the argument checks: 0 or the WSAE* code. */
    int asyncSelect(LayeredSocket s, long hWnd, int wMsg, int lEvent) {
        if (lEvent == 0) return cancel(s, hWnd, wMsg);
        if ((lEvent & ~FD_ALL_EVENTS) != 0) return RegisterOutcome.INVALID_ARGUMENT.errorCode();
        Scratch x = Scratch.get();
        NetworkEvents record = x.record;
        SelectEngine.PendingPosts posts = x.registrationPosts;
        RegisterOutcome outcome;
        try {
            synchronized (s) {
                if (!s.lowerArmed) {
                    int error = arm(s); // the lower socket reports to us from now on (and is non-blocking)
                    if (error != 0) return error; // failure changes nothing the app can see
                }
                // What the lower provider reported and the dispatcher has not read yet is taken with the
                // registration: the registration posts what holds now, as the provider below would.
                if (lower.enumNetworkEvents(s, s.event, record) != 0) record.clear();
                if (s.recordWasTheApplications) { // its reports went to the application: ask what holds
                    s.recordWasTheApplications = false;
                    record.events |= lower.dataWaiting(s);
                }
                outcome = engine.asyncSelect(s.handle(), hWnd, wMsg, lEvent, record.events, record.errors, posts);
            }
        } finally {
            engine.post(posts); // outside the socket's monitor, always
        }
        return outcome.errorCode();
    }

    /**
     * WSPAsyncSelect(s, hWnd, wMsg, 0): no more messages; the lower socket stops reporting to us, so the
     * application may make it blocking again (a lower provider refuses FIONBIO 0 while event-selected);
     * it stays non-blocking, as after any WSPAsyncSelect.
     */
    private int cancel(LayeredSocket s, long hWnd, int wMsg) {
        RegisterOutcome outcome = engine.asyncSelect(s.handle(), hWnd, wMsg, 0);
        if (!outcome.succeeded()) return outcome.errorCode();
        synchronized (s) {
            if (!s.lowerArmed) return lower.setNonBlocking(s);
            int error = lower.eventSelect(s, 0, 0);
            if (error == 0) s.lowerArmed = false;
            return error;
        }
    }

    /** Under the socket's monitor: our event, watched under our handle, given to the lower socket. */
    private int arm(LayeredSocket s) {
        s.engaged = true;
        if (s.event == 0) {
            s.event = port.createEvent();
            s.eventHandle = MemorySegment.ofAddress(s.event);
            port.watch(s.event, s.handle());
        }
        int error = lower.eventSelect(s, s.event, LOWER_MASK); // also makes the lower socket non-blocking
        if (error == 0) s.lowerArmed = true;
        return error;
    }

    /**
     * The application's own WSPEventSelect is about to go down and replace our association on the
     * lower socket: from now on the dispatcher leaves the lower record alone (it is about to be the
     * application's: reading it would consume what the application's event reports). Returns whether
     * the socket was armed, for {@link #eventSelectFailed}.
     */
    boolean eventSelecting(LayeredSocket s) {
        synchronized (s) {
            boolean armed = s.lowerArmed;
            s.lowerArmed = false;
            return armed;
        }
    }

    /**
     * The application's WSPEventSelect failed below: our association stands. Armed again, and the
     * record looked at once more (a report that came while the call was down was left alone).
     */
    void eventSelectFailed(LayeredSocket s, boolean wasArmed) {
        if (!wasArmed) return;
        synchronized (s) {
            if (s.closing) return;
            s.lowerArmed = true;
        }
        port.post(s.handle());
    }

    /** The application's WSPEventSelect went down: the AsyncSelect registration is cancelled (the spec). */
    void eventSelected(LayeredSocket s) {
        synchronized (s) {
            s.recordWasTheApplications = true;
        }
        engine.eventSelect(s.handle());
    }

    /**
     * {@code accepted} came from WSPAccept on {@code listener} and is in the table. It inherits the
     * listener's registration in the engine; below, the lower socket inherited the listener's event
     * association, so it gets its own event before anything else can be reported for it.
     * Returns 0 or the WSAE* code of the lower WSPEventSelect.
     */
    int accepted(LayeredSocket listener, LayeredSocket accepted) {
        boolean listenerArmed;
        synchronized (listener) {
            listenerArmed = listener.lowerArmed;
        }
        engine.accepted(listener.handle(), accepted.handle());
        if (!listenerArmed) return 0;
        synchronized (accepted) {
            return arm(accepted);
        }
    }

    /** WSPCloseSocket starts: from now on the dispatcher leaves the lower socket alone. */
    void closing(LayeredSocket s) {
        synchronized (s) {
            s.closing = true;
        }
    }

    /** The close failed below: the socket lives on. */
    void closeFailed(LayeredSocket s) {
        synchronized (s) {
            s.closing = false;
        }
    }

    /** The lower socket is closed: forget it; nothing more is posted for it. */
    void closed(LayeredSocket s) {
        engine.closed(s.handle());
        releaseEvent(s);
    }

    /** Takes the socket's event from it (it reports no more), then stops watching and closes it. */
    private void releaseEvent(LayeredSocket s) {
        long event;
        synchronized (s) {
            event = s.event;
            s.event = 0;
            s.eventHandle = MemorySegment.NULL;
            s.lowerArmed = false;
        }
        if (event != 0) {
            port.unwatch(event);
            port.closeEvent(event);
        }
    }

    // ---- re-enabling calls ------------------------------------------------------------------------

    /** A re-enabling call goes down on an armed socket: the dispatcher holds the lower record back until it is back. */
    private void beginCall(LayeredSocket s) {
        synchronized (s) { // after a report the dispatcher is reading now: it is counted before the call goes down
            s.callsBelow++;
        }
    }

    /**
     * The call is back: a report the dispatcher held back meanwhile is read now, in this thread, before
     * the engine settles the call (it is newer than the call: a Windows provider forgets at a receive
     * what the receive makes stale). {@code readAnyway}: read the record even if nothing was held back
     * (the lower provider's word may not have come in yet, and the settling must not wait for it).
     */
    private void endCall(LayeredSocket s, boolean readAnyway) {
        boolean read;
        synchronized (s) {
            read = --s.callsBelow == 0 && (s.reportHeld || readAnyway);
            if (read) s.reportHeld = false;
        }
        if (read) {
            Scratch x = Scratch.get();
            deliver(s.handle(), x.record, x.registrationPosts);
        }
    }

    /**
     * Before a receive goes down: the FD_READ/FD_OOB reports so far, which the engine counts. 0 for a
     * socket never armed, without asking the engine: nothing was reported for it (it is marked engaged
     * before its lower socket can report), so the common blocking receive reads one volatile here. For
     * an armed socket the receive is counted below until {@link #afterRecv}.
     */
    long readReports(LayeredSocket s) {
        if (!s.engaged) return 0;
        beginCall(s);
        return engine.readSignals(s.handle());
    }

    /**
     * WSPRecv/WSPRecvFrom called with {@code flags} returned (any result). One engine step, without the
     * socket's monitor: the engine compares the count and clears under its own, which the dispatcher's
     * report of FD_READ also takes, and posts after releasing it.
     */
    void afterRecv(LayeredSocket s, int flags, long readReportsBefore) {
        // Never armed: nothing below ever reported a condition for it, so there is nothing to settle
        // (arming later makes the lower provider report what holds then). The common blocking
        // socket's receive skips the engine.
        if (!s.engaged) return;
        // A receive whose rules re-enable more than the kind of data it took (by the page, FD_OOB with any
        // receive; a graceful FD_CLOSE held for the data) must know now what remains below: else what it
        // re-enables would go out before the lower provider's word on the data that remains.
        endCall(s, !engine.receiveSettlesAlone(flags));
        engine.afterRecv(s.handle(), flags, readReportsBefore);
    }

    /** Before an accept goes down: the FD_ACCEPT reports so far, which the engine counts (the accept counted below, as a receive). */
    long acceptReports(LayeredSocket s) {
        if (!s.engaged) return engine.acceptSignals(s.handle());
        beginCall(s);
        return engine.acceptSignals(s.handle());
    }

    /**
     * WSPAccept returned on listener {@code s}, with 0 or its error code. One engine step, without the
     * socket's monitor, as {@link #afterRecv}.
     */
    void afterAccept(LayeredSocket s, long acceptReportsBefore, int error) {
        if (s.engaged) endCall(s, false);
        engine.afterAccept(s.handle(), error, acceptReportsBefore);
    }

    /** Before a send goes down: the FD_WRITE reports so far, which the engine counts (0 if never armed, as for reads). */
    long writeReports(LayeredSocket s) {
        if (!s.engaged) return 0;
        beginCall(s);
        return engine.writeSignals(s.handle());
    }

    /**
     * WSPSend/WSPSendTo returned with {@code outcome}. After a full buffer (WSAEWOULDBLOCK, a short send)
     * the engine waits for the lower FD_WRITE; if that came while the send was on its way back, the engine
     * keeps the socket writable and posts the FD_WRITE it owes, so it is not lost. One engine step,
     * without the socket's monitor.
     */
    void afterSend(LayeredSocket s, long writeReportsBefore, SendOutcome outcome) {
        // Never armed and the buffer not full: nothing to settle (as for a receive). A full buffer still
        // tells the engine, so that a registration made later owes FD_WRITE instead of posting it.
        if (s.engaged) endCall(s, false);
        else if (outcome == SendOutcome.COMPLETE) return;
        engine.afterSend(s.handle(), outcome, writeReportsBefore);
    }

    /** WSPConnect or ConnectEx is about to go down: the next FD_CONNECT the lower provider reports is its outcome. */
    void connectStarted(LayeredSocket s) {
        engine.connectStarted(s.handle());
    }

    /**
     * WSPConnect returned with its outcome known (connected, or failed with other than WSAEWOULDBLOCK):
     * the engine has it now, whether the socket is armed or not (the lower provider's report of it, if
     * any comes, is then no connect's outcome).
     */
    void connectEnded(LayeredSocket s, int error) {
        engine.signal(s.handle(), FD_CONNECT, error);
    }

    // ---- the dispatcher ---------------------------------------------------------------------------

    private void dispatch() {
        CompletionBatch batch = new CompletionBatch(256);
        NetworkEvents record = new NetworkEvents();
        SelectEngine.PendingPosts pending = new SelectEngine.PendingPosts();
        while (running) {
            try {
                int n = port.poll(batch, engine.hasRefused() ? RETRY_MILLIS : -1);
                for (int i = 0; i < n; i++) {
                    long key = batch.key(i);
                    if (key != STOP_KEY) deliver(key, record, pending);
                }
                if (engine.hasRefused()) engine.retryRefused();
            } catch (Throwable t) {
                if (!running) break;
                // A broken port would spin: log, back off, keep serving the sockets that still work.
                ProviderLog.error("async-select dispatcher", t);
                sleepQuietly();
            }
        }
    }

    /**
     * Reads the socket's record below and gives it to the engine under the socket's monitor, posts
     * after releasing it. The monitor is still needed for two things: the lower handle is read only
     * while the socket is armed and not closing ({@link #closing} waits for a read under way, so the
     * lower handle is never read after the lower close, when it may name another socket), and the
     * record reaches the engine before WSPCloseSocket can go on to forget the socket (our handle may
     * then be reused, and a late record would be about a socket that is not the new one). The post
     * needs neither: the engine's close waits for messages it decided to be out.
     */
    private void deliver(long handle, NetworkEvents record, SelectEngine.PendingPosts pending) {
        LayeredSocket s = sockets.get(handle);
        if (s == null) return; // closed since: a stale completion
        record.clear();
        try {
            synchronized (s) {
                if (s.closing || !s.lowerArmed) return;
                if (s.callsBelow > 0) { // stale or new, nobody could tell: read it when the call is back
                    s.reportHeld = true;
                    return;
                }
                if (lower.enumNetworkEvents(s, s.event, record) != 0) return; // e.g. torn down below
                engine.signal(handle, record.events, record.errors, pending);
            }
        } finally {
            engine.post(pending);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the dispatcher and releases the port; events still owned by sockets are closed. */
    @Override
    public void close() {
        running = false;
        port.post(STOP_KEY);
        try {
            dispatcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (LayeredSocket s : sockets.snapshot()) releaseEvent(s);
        port.close();
    }
}
