package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One socket's WSPAsyncSelect state. Every field but {@code inflight} is guarded by the object's
 * monitor; the engine decides under it which messages to post and posts them after releasing it.
 */
final class SocketState {
    /** Events whose condition is a level (it holds until the network layer clears it). */
    static final int LEVEL_EVENTS = FD_READ | FD_OOB | FD_ACCEPT;

    final long socket;
    final boolean connectionOriented;

    boolean closed;
    boolean eventSelectMode;
    boolean oobInline;

    // The registration: one window, one message, one event set (a new one replaces it whole).
    long hWnd;
    int wMsg;
    int lEvent;
    int generation;

    /** Events that may be posted now: registered ones, not posted since their re-enabling call. */
    int enabled;
    /** Level conditions that hold, and edge events that happened and were not yet posted. */
    int ready;

    // FD_WRITE is neither level nor edge: it is owed after registration, connect, accept, bind of a
    // connectionless socket and a send that would block, and posted when the socket is writable.
    boolean writable;
    boolean writeOwed;

    // Facts a registration may post again (which of them is the rules' business).
    boolean connected;
    boolean peerClosed;
    /** connectStarted was called and no outcome came yet: an FD_CONNECT signal is that outcome. */
    boolean connectInFlight;

    // SIO_ROUTING_INTERFACE_CHANGE / SIO_ADDRESS_LIST_CHANGE were issued and no change seen since.
    boolean routingArmed;
    boolean addressListArmed;

    // Signals so far of FD_READ/FD_OOB, FD_WRITE and FD_ACCEPT: a re-enabling call hands back the
    // count it read before its lower call went down, and the engine compares it to know whether a
    // signal raced that call. Counted under the monitor; volatile so the "before" read takes none.
    volatile long readSignals;
    volatile long writeSignals;
    volatile long acceptSignals;

    /** Error codes per event bit; allocated on the first non-zero error (rare). */
    short[] errors;

    // Posts under way outside the monitor. Incremented under it, decremented by the poster without it:
    // the common post (nothing refused) then takes the monitor once, not twice.
    volatile int inflight;
    volatile boolean awaitingInflight;
    boolean queuedForRetry;

    static final VarHandle INFLIGHT;

    static {
        try {
            INFLIGHT = MethodHandles.lookup().findVarHandle(SocketState.class, "inflight", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    SocketState(long socket, boolean connectionOriented) {
        this.socket = socket;
        this.connectionOriented = connectionOriented;
    }

    void setError(int event, int error) {
        if (error == 0 && errors == null) return;
        if (errors == null) errors = new short[FD_MAX_EVENTS];
        errors[Integer.numberOfTrailingZeros(event)] = (short) error;
    }

    int error(int event) {
        return errors == null ? 0 : errors[Integer.numberOfTrailingZeros(event)] & 0xFFFF;
    }

    /**
     * Events that may be posted now: due, registered and enabled. {@code holdGracefulClose}: a graceful
     * FD_CLOSE waits until every received byte was read (the documented rules).
     */
    int deliverable(boolean holdGracefulClose) {
        int d = ready;
        if (writable && writeOwed) d |= FD_WRITE;
        if (holdGracefulClose && (d & FD_CLOSE) != 0 && (ready & FD_READ) != 0 && error(FD_CLOSE) == 0) d &= ~FD_CLOSE;
        return d & enabled & lEvent;
    }

    /** Marks {@code event} as posted: disabled until its re-enabling call, and no longer pending. */
    void markPosted(int event) {
        enabled &= ~event;
        if (event == FD_WRITE) {
            writeOwed = false;
        } else if ((event & LEVEL_EVENTS) == 0) {
            ready &= ~event;
        }
    }

    /** Undoes {@link #markPosted} for a refused post, so the event is not lost. */
    void markRefused(int event) {
        enabled |= event & lEvent;
        if (event == FD_WRITE) {
            writeOwed = true;
        } else if ((event & LEVEL_EVENTS) == 0) {
            ready |= event; // a level event is re-posted only if its condition still holds
        }
    }
}
