package io.wsp4j.host;

import io.wsp4j.bindings._WSATHREADID;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One overlapped WSPRecv/WSPRecvFrom/WSPSend/WSPSendTo, AcceptEx or ConnectEx of the base provider that
 * could not finish at once. What it needs later is captured at the call: the WSABUF array's contents (the application's
 * buffers, which must outlive the request, while the array itself need not), the flags, the address
 * memory of a WSPRecvFrom (the application's, which must outlive the request, as Winsock documents),
 * a copy of a WSPSendTo destination, and the completion routine with a copy of the caller's WSATHREADID.
 * Touched under its socket's monitor only.
 */
final class OverlappedRequest {
    /** ACCEPT: an AcceptEx, queued on the listening socket. */
    enum Direction { RECEIVE, SEND, ACCEPT }

    final Direction direction;
    /** The application's OVERLAPPED, sized to its layout. */
    final MemorySegment overlapped;
    /** Receives: the application's buffers, in WSABUF order. */
    final MemorySegment[] buffers;
    /** Sends: the bytes to send, as one segment (the application's buffer, or a gathered copy). */
    final MemorySegment data;
    /** The caller's Winsock flags. */
    final int flags;
    /** WSPRecvFrom's lpFrom and lpFromlen (NULL when not asked for). */
    final MemorySegment from, fromLen;
    /** WSPSendTo's destination as a Linux sockaddr (NULL: the connected peer), and its length. */
    final MemorySegment to;
    final int toLen;
    /** Bytes sent so far: a stream send completes only when all of {@link #data} is sent. */
    long sent;
    /** The caller's completion routine (NULL: none) and a copy of its WSATHREADID, to queue it to as an APC. */
    MemorySegment completionRoutine = MemorySegment.NULL;
    MemorySegment threadId = MemorySegment.NULL;
    /**
     * The handle whose completion port is told (0: the socket the request waits on). An AcceptEx that
     * waits for its first data waits on the accepted socket but completes as a request of the listener.
     */
    long issuedOn;
    /** A ConnectEx: the connection must be made before {@link #data} is sent. */
    boolean awaitsConnect;
    /** An AcceptEx: the socket that becomes the connection, and the application's output buffer. */
    BaseSocket acceptTarget;
    MemorySegment output = MemorySegment.NULL;
    int receiveLength, localLength, remoteLength;

    private OverlappedRequest(Direction direction, MemorySegment overlapped, MemorySegment[] buffers, MemorySegment data,
                              int flags, MemorySegment from, MemorySegment fromLen, MemorySegment to, int toLen) {
        this.direction = direction;
        this.overlapped = overlapped;
        this.buffers = buffers;
        this.data = data;
        this.flags = flags;
        this.from = from;
        this.fromLen = fromLen;
        this.to = to;
        this.toLen = toLen;
    }

    static OverlappedRequest receive(MemorySegment overlapped, MemorySegment[] buffers, int flags, MemorySegment from,
                                     MemorySegment fromLen) {
        return new OverlappedRequest(Direction.RECEIVE, overlapped, buffers, MemorySegment.NULL, flags, from, fromLen,
                MemorySegment.NULL, 0);
    }

    /** The request completes by an APC to {@code routine} on the thread {@code threadId} names (copied). */
    OverlappedRequest withCompletionRoutine(MemorySegment routine, MemorySegment threadId) {
        if (Native.isNull(routine)) return this;
        completionRoutine = routine;
        this.threadId = Arena.ofAuto().allocate(_WSATHREADID.layout());
        this.threadId.copyFrom(threadId.reinterpret(_WSATHREADID.sizeof()));
        return this;
    }

    /** ConnectEx: connect, then send {@code data} (empty: nothing). */
    static OverlappedRequest connect(MemorySegment overlapped, MemorySegment data) {
        OverlappedRequest r = send(overlapped, data, 0, MemorySegment.NULL, 0);
        r.awaitsConnect = true;
        return r;
    }

    /** AcceptEx into {@code target}; {@code output} spans the data and both address slots. */
    static OverlappedRequest accept(MemorySegment overlapped, BaseSocket target, MemorySegment output, int receiveLength,
                                    int localLength, int remoteLength) {
        OverlappedRequest r = new OverlappedRequest(Direction.ACCEPT, overlapped, new MemorySegment[0], MemorySegment.NULL,
                0, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0);
        r.acceptTarget = target;
        r.output = output;
        r.receiveLength = receiveLength;
        r.localLength = localLength;
        r.remoteLength = remoteLength;
        return r;
    }

    static OverlappedRequest send(MemorySegment overlapped, MemorySegment data, int flags, MemorySegment to, int toLen) {
        return new OverlappedRequest(Direction.SEND, overlapped, new MemorySegment[0], data, flags, MemorySegment.NULL,
                MemorySegment.NULL, to, toLen);
    }
}
