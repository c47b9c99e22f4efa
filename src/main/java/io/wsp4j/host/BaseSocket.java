package io.wsp4j.host;

import io.wsp4j.winsock.FdEvents;
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
    boolean peerClosedSignalled;
    /** Connectionless sockets report FD_WRITE once bound. */
    boolean bound;
    boolean oobInline;
    /** closesocket ran: the fd may already belong to a new socket. */
    boolean closed;

    // WSPEventSelect: the event, and the network events recorded since the last WSPEnumNetworkEvents.
    long event;
    int networkEvents;
    final int[] errors = new int[FdEvents.FD_MAX_EVENTS];

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
