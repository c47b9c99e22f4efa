package io.wsp4j.host;

import java.util.ArrayDeque;

/** The base provider's state of one socket. Mutable fields change under the object's monitor. */
final class BaseSocket {
    enum Phase { FRESH, CONNECTING, CONNECTED, LISTENING, FAILED }

    final long handle;
    final int fd;
    /** The catalog entry the socket was made for (its WPUModifyIFSHandle registration). */
    final int catalogId;
    final boolean connectionOriented;
    Phase phase = Phase.FRESH;
    /** The outcome of the last connect, read once from SO_ERROR by whoever saw it complete (a WSAE* code). */
    int connectError;
    /** Set by FIONBIO or by a WSPAsyncSelect / WSPEventSelect registration; blocking calls wait otherwise. */
    volatile boolean nonBlocking;
    /** A WSPAsyncSelect or WSPEventSelect registration is active: FIONBIO cannot clear nonBlocking. */
    boolean registered;
    boolean sendShutdown;
    /** shutdown(SD_RECEIVE or SD_BOTH) here: Linux then says "hung up" on its own, which is no close by the peer. */
    boolean receiveShutdown;
    boolean peerClosedSignalled;
    /** Connectionless sockets report FD_WRITE once bound. */
    boolean bound;
    boolean oobInline;
    /** closesocket ran: the fd may already belong to a new socket. */
    boolean closed;

    /** WSPEventSelect's state (replaced when AcceptEx makes the socket a new connection). */
    EventRecord record = new EventRecord();
    /**
     * What was waiting to be read at the last look (FIONREAD for a stream, the receive buffer's memory for
     * datagrams): more at the next look is an arrival, which WSPEventSelect records.
     */
    long arrivalMark;
    /** Urgent data was waiting at the last look. */
    boolean urgentSeen;

    // Overlapped requests that could not finish at once, oldest first: the dispatcher performs them in
    // this order when the socket is ready, and a non-overlapped call of the same direction waits behind them.
    final ArrayDeque<OverlappedRequest> pendingReceives = new ArrayDeque<>();
    final ArrayDeque<OverlappedRequest> pendingSends = new ArrayDeque<>();
    /** A listening socket's pending AcceptEx requests, oldest first. */
    final ArrayDeque<OverlappedRequest> pendingAccepts = new ArrayDeque<>();
    /** The socket is the accept socket of a pending AcceptEx: no second one may name it. */
    boolean namedByAcceptEx;
    /** The error a pending receive failed with (e.g. WSAECONNRESET): read from the socket once, reported by FD_CLOSE too. */
    int receiveError;

    BaseSocket(long handle, int fd, int catalogId, boolean connectionOriented) {
        this.handle = handle;
        this.fd = fd;
        this.catalogId = catalogId;
        this.connectionOriented = connectionOriented;
    }
}
