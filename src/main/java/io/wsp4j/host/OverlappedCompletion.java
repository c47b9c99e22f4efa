package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.wsp4j.bindings._OVERLAPPED;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How an overlapped request ends on the host: the part the Windows kernel and ws2_32 play. It writes
 * the request's OVERLAPPED, then notifies: a packet to the application completion port the socket
 * handle is associated with (unless the low-order bit of {@code hEvent} is set, Windows' way of asking
 * for no packet), and {@code hEvent} (low bit
 * masked off), if any, is signalled through {@link HostEvents#set}. The base provider completes its own requests through it, and providers with
 * non-IFS handles through the {@code WPUCompleteOverlappedRequest} export.
 *
 * <p>The host's convention for the OVERLAPPED fields (Windows leaves them to the system):
 * <ul>
 * <li>{@code Internal}: {@link #WSS_OPERATION_IN_PROGRESS} (0x103, STATUS_PENDING) while the request is
 *     pending, then its Winsock error (0: success). Written last, with release semantics: a waiter that
 *     reads it (with acquire) sees the other fields of the completion;</li>
 * <li>{@code InternalHigh}: the bytes transferred;</li>
 * <li>{@code Offset}: the receive flags (e.g. MSG_PARTIAL); WPUCompleteOverlappedRequest leaves
 *     {@code Offset}/{@code OffsetHigh} alone, the provider may keep its own data there.</li>
 * </ul>
 * The fields are written before anyone is notified: whoever wakes reads them.
 */
final class OverlappedCompletion {
    private static final Logger LOG = Logger.getLogger(OverlappedCompletion.class.getName());

    /** WSS_OPERATION_IN_PROGRESS, the Internal of a pending request (= STATUS_PENDING). */
    static final long WSS_OPERATION_IN_PROGRESS = 0x103L;

    private static final long SIZE = _OVERLAPPED.layout().byteSize();
    private static final long INTERNAL = _OVERLAPPED.Internal$offset();
    private static final long INTERNAL_HIGH = _OVERLAPPED.InternalHigh$offset();
    private static final long OFFSET = _OVERLAPPED.Offset$offset();
    private static final long EVENT = _OVERLAPPED.hEvent$offset();
    private static final VarHandle INTERNAL_FIELD = _OVERLAPPED.Internal$layout().varHandle();

    private final SocketHandles handles;
    private final HostEvents events;
    private volatile boolean loggedFailure;

    OverlappedCompletion(SocketHandles handles, HostEvents events) {
        this.handles = handles;
        this.events = events;
    }

    /** The OVERLAPPED at {@code lpOverlapped}, sized to its layout. */
    static MemorySegment overlapped(MemorySegment lpOverlapped) {
        return lpOverlapped.reinterpret(SIZE);
    }

    // ---- the fields --------------------------------------------------------------------------------

    /** Marks a request pending (Internal = WSS_OPERATION_IN_PROGRESS). */
    static void markPending(MemorySegment ov) {
        INTERNAL_FIELD.setRelease(ov, INTERNAL, WSS_OPERATION_IN_PROGRESS);
    }

    static boolean isPending(MemorySegment ov) {
        return (long) INTERNAL_FIELD.getAcquire(ov, INTERNAL) == WSS_OPERATION_IN_PROGRESS;
    }

    /** The Winsock error of a completed request (0: success). */
    static int error(MemorySegment ov) {
        return (int) (long) INTERNAL_FIELD.getAcquire(ov, INTERNAL);
    }

    static int bytes(MemorySegment ov) {
        return (int) ov.get(JAVA_LONG, INTERNAL_HIGH);
    }

    static int flags(MemorySegment ov) {
        return _OVERLAPPED.Offset(ov);
    }

    /** hEvent as the application set it (the low-order bit included). */
    static long hEvent(MemorySegment ov) {
        return ov.get(JAVA_LONG, EVENT);
    }

    /** The event object hEvent names (0: none), without the low-order bit. */
    static long event(MemorySegment ov) {
        return hEvent(ov) & ~1L;
    }

    /**
     * The low-order bit of hEvent asks for no packet. Windows handles are multiples of 4, which leaves
     * the bit free; the host's event handles are too ({@link HostEvents}).
     */
    private static boolean noPacket(long hEvent) {
        return (hEvent & 1) != 0;
    }

    // ---- completing ----------------------------------------------------------------------------------

    /** Completes a request of socket {@code s}: all three fields, then the notification. */
    void complete(long s, MemorySegment ov, int error, int bytes, int flags) {
        _OVERLAPPED.Offset(ov, flags);
        finish(s, ov, error, bytes);
    }

    /** Completes a request without touching Offset/OffsetHigh (WPUCompleteOverlappedRequest). */
    void completeKeepingOffset(long s, MemorySegment ov, int error, int bytes) {
        finish(s, ov, error, bytes);
    }

    /**
     * Writes the result of a request whose completion routine will be called (an APC): Windows then
     * neither signals hEvent nor queues a packet.
     */
    static void record(MemorySegment ov, int error, int bytes, int flags) {
        _OVERLAPPED.Offset(ov, flags);
        ov.set(JAVA_LONG, INTERNAL_HIGH, Integer.toUnsignedLong(bytes));
        INTERNAL_FIELD.setRelease(ov, INTERNAL, Integer.toUnsignedLong(error));
    }

    private void finish(long s, MemorySegment ov, int error, int bytes) {
        ov.set(JAVA_LONG, INTERNAL_HIGH, Integer.toUnsignedLong(bytes));
        INTERNAL_FIELD.setRelease(ov, INTERNAL, Integer.toUnsignedLong(error));
        long hEvent = hEvent(ov);
        SocketHandles.Handle h = handles.get(s);
        if (h != null && h.port() != null && !noPacket(hEvent)) {
            h.port().post(new QueuedCompletion(h.completionKey(), ov.address(), bytes, error));
        }
        long e = event(ov);
        if (e != 0) events.set(e);
    }

    // ---- the ws2_32 export ------------------------------------------------------------------------------

    /**
     * int WPUCompleteOverlappedRequest(SOCKET s, LPWSAOVERLAPPED, DWORD dwError, DWORD cbTransferred,
     * LPINT lpErrno): for handles made by WPUCreateSocketHandle only (else WSAEINVAL, as Windows
     * documents); Internal = dwError, InternalHigh = cbTransferred, then the notification.
     */
    int WPUCompleteOverlappedRequest(long s, MemorySegment lpOverlapped, int dwError, int cbTransferred,
                                     MemorySegment lpErrno) {
        try {
            SocketHandles.Handle h = handles.get(s);
            if (h == null || h.ifs()) {
                Native.setError(lpErrno, WSAEINVAL);
                return SOCKET_ERROR;
            }
            if (Native.isNull(lpOverlapped)) {
                Native.setError(lpErrno, WSAEFAULT);
                return SOCKET_ERROR;
            }
            completeKeepingOffset(s, overlapped(lpOverlapped), dwError, cbTransferred);
            return 0;
        } catch (Throwable t) {
            if (!loggedFailure) {
                loggedFailure = true;
                LOG.log(Level.SEVERE, "host WPUCompleteOverlappedRequest failed", t);
            }
            try {
                Native.setError(lpErrno, WSASYSCALLFAILURE);
            } catch (Throwable ignored) {
                // a bad lpErrno: nothing more to report through
            }
            return SOCKET_ERROR;
        }
    }
}
