package io.wsp4j.host;

import io.wsp4j.bindings._WSATHREADID;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One overlapped WSPRecv/WSPRecvFrom/WSPSend/WSPSendTo of the base provider that could not finish at
 * once. What it needs later is captured at the call: the WSABUF array's contents (the application's
 * buffers, which must outlive the request, while the array itself need not), the flags, the address
 * memory of a WSPRecvFrom (the application's, which must outlive the request, as Winsock documents),
 * a copy of a WSPSendTo destination, and the completion routine with a copy of the caller's WSATHREADID.
 * Touched under its socket's monitor only.
 */
final class OverlappedRequest {
    enum Direction { RECEIVE, SEND }

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

    static OverlappedRequest send(MemorySegment overlapped, MemorySegment data, int flags, MemorySegment to, int toLen) {
        return new OverlappedRequest(Direction.SEND, overlapped, new MemorySegment[0], data, flags, MemorySegment.NULL,
                MemorySegment.NULL, to, toLen);
    }
}
