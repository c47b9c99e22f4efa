package io.wsp4j.provider;

import io.wsp4j.bindings.LPWPUCOMPLETEOVERLAPPEDREQUEST;
import io.wsp4j.bindings.LPWSAOVERLAPPED_COMPLETION_ROUTINE;
import io.wsp4j.bindings.LPWSAUSERAPC;
import io.wsp4j.bindings.OVERLAPPED;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Overlapped I/O on our handles. They are not IFS handles, so Windows leaves completion to us: an
 * application that associated our handle with its I/O completion port must get a packet, one that
 * gave an event must see it signalled, one that gave a completion routine must have it called in its
 * thread. So the caller's OVERLAPPED never goes below. Each request goes down with one of ours whose
 * hEvent is an auto-reset event of a completion port of our own, watched under the request's key;
 * one dispatcher thread ("wsp4j-overlapped", started at the first request) reads the result with the
 * lower WSPGetOverlappedResult and completes the caller's request: {@code WPUCompleteOverlappedRequest}
 * (ws2_32's export) for an event or a port, {@code WPUQueueApc} for a completion routine.
 *
 * <p>The caller's OVERLAPPED, as our WSPGetOverlappedResult reads it: {@code Internal} is
 * WSS_OPERATION_IN_PROGRESS until the request completes, then its error (0: success);
 * {@code InternalHigh} the bytes, {@code Offset} the flags, {@code OffsetHigh} the error (the fields
 * Microsoft's sample LSP uses; Winsock ignores Offset/OffsetHigh for sockets).
 *
 * <p>A request's memory is reused only when nobody uses it any more ({@link OverlappedRequest#holds}):
 * the submitting call, the lower provider (until it has reported, since it writes our OVERLAPPED at
 * completion) and the caller's notification (an APC runs later, in the caller's thread). A request
 * still pending below when its socket is closed is completed at once with WSA_OPERATION_ABORTED, as
 * Windows does, and recycled when the lower provider finally reports it.
 */
final class OverlappedRequests implements AutoCloseable {
    static final long WSS_OPERATION_IN_PROGRESS = WinApi.WSS_OPERATION_IN_PROGRESS();
    /** Holds at submission: the submitting call, the lower provider, the caller's notification. */
    private static final int SUBMITTER_LOWER_NOTIFY = 3;
    private static final long STOP_KEY = -1L;

    /** The author's hooks for a request that completed with success (the hooked table implements it). */
    interface Observer {
        /** Returns the error the caller gets: 0, or a veto's code (an AcceptEx the author refuses). */
        int completed(OverlappedRequest r, Buffers data);
    }

    private final ProviderPlatform platform;
    private final Upcalls upcalls;
    private final Arena arena = Arena.ofShared();
    private final ConcurrentLinkedQueue<OverlappedRequest> pool = new ConcurrentLinkedQueue<>();
    /** Every request by key; replaced (never shrunk) under this object's monitor. */
    private volatile OverlappedRequest[] byKey = new OverlappedRequest[0];
    private volatile Observer observer = (r, data) -> 0;
    /** WSPGetOverlappedResult callers waiting (fWait) for some request to complete. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final Object completions = new Object();
    private volatile boolean loggedNotifyFailure;

    // Made at the first request (guarded by this object's monitor; read after the volatile `opened`).
    private CompletionPort port;
    private Thread dispatcher;
    private MethodHandle completeRequest;
    private MethodHandle completionRoutine;
    private MemorySegment apc;
    private volatile boolean opened;
    private volatile boolean running = true;

    OverlappedRequests(ProviderPlatform platform, Upcalls upcalls) {
        this.platform = platform;
        this.upcalls = upcalls;
    }

    void observe(Observer observer) {
        this.observer = observer;
    }

    // ---- submission ---------------------------------------------------------------------------------

    /**
     * A request of {@code s} is about to go down: a request of ours whose {@link OverlappedRequest#lower}
     * and {@link OverlappedRequest#flagsAddress()} the lower call must get (with no completion routine),
     * the caller's OVERLAPPED marked in progress. Null, with *lpErrno, if overlapped I/O cannot be had
     * (ws2_32 without WPUCompleteOverlappedRequest: WSAEOPNOTSUPP; no port: WSAENOBUFS).
     */
    OverlappedRequest begin(LayeredSocket s, OverlappedRequest.Kind kind, long callerOverlapped, long routine, long lpThreadId,
                            long lpBuffers, int count, long lpFlags, boolean hooked, long lpErrno) {
        int error = routine != 0 && !upcalls.canQueueApc() ? WsaErrors.WSAEOPNOTSUPP : open();
        if (error != 0) {
            LayeredSpi.setErrno(lpErrno, error);
            return null;
        }
        OverlappedRequest r = pool.poll();
        if (r == null) r = newRequest();
        synchronized (r) {
            r.state = OverlappedRequest.State.PENDING;
            r.holds = SUBMITTER_LOWER_NOTIFY;
            r.socket = s;
            r.kind = kind;
            r.callerOverlapped = callerOverlapped;
            r.completionRoutine = routine;
            r.hooked = hooked;
            r.prepare(lpFlags == 0 ? 0 : RawMemory.getInt(lpFlags), lpThreadId, lpBuffers, count);
        }
        MemorySegment ov = caller(callerOverlapped);
        OVERLAPPED.InternalHigh(ov, 0);
        OVERLAPPED.Internal(ov, WSS_OPERATION_IN_PROGRESS); // before the lower call: its completion may come first
        return r;
    }

    /**
     * The lower call of {@code r} returned {@code rc}. 0 (done at once: the lower provider still
     * signals, and the caller is still notified, as Windows does for overlapped calls) and
     * WSA_IO_PENDING leave the completion to the dispatcher; any other failure means nothing was
     * started: the caller's OVERLAPPED gets the error, nobody is notified.
     */
    void submitted(OverlappedRequest r, int rc, long lpErrno, long lpFlags) {
        submitted(r, rc, rc == 0 ? 0 : LayeredSpi.errno(lpErrno), lpFlags);
    }

    /** As {@link #submitted(OverlappedRequest, int, long, long)}, with the failure's error given (an extension function's last error). */
    void submitted(OverlappedRequest r, int rc, int error, long lpFlags) {
        if (rc == 0) {
            if (lpFlags != 0) RawMemory.setInt(lpFlags, r.flagsValue());
            release(r, 1);
            return;
        }
        if (error == WsaErrors.WSA_IO_PENDING) {
            release(r, 1);
            return;
        }
        MemorySegment ov = caller(r.callerOverlapped);
        OVERLAPPED.OffsetHigh(ov, error);
        OVERLAPPED.Internal(ov, error);
        release(r, SUBMITTER_LOWER_NOTIFY); // the lower provider holds nothing; there is nothing to notify
    }

    // ---- WSPGetOverlappedResult and WSPCloseSocket --------------------------------------------------

    /**
     * WSPGetOverlappedResult on one of our handles, from the caller's OVERLAPPED. {@code fWait} waits
     * for our completion of it (whatever notification the caller chose). TRUE (1) or FALSE (0) with
     * *lpErrno.
     */
    int result(MemorySegment lpOverlapped, MemorySegment lpcbTransfer, int fWait, MemorySegment lpdwFlags, MemorySegment lpErrno) {
        if (lpOverlapped.address() == 0) {
            LayeredSpi.setErrno(lpErrno, WsaErrors.WSAEFAULT);
            return 0;
        }
        MemorySegment ov = caller(lpOverlapped.address());
        if (OVERLAPPED.Internal(ov) == WSS_OPERATION_IN_PROGRESS) {
            if (fWait == 0 || !awaitCompletion(ov)) {
                LayeredSpi.setErrno(lpErrno, WsaErrors.WSA_IO_INCOMPLETE);
                return 0;
            }
        }
        if (lpcbTransfer.address() != 0) lpcbTransfer.reinterpret(4).set(ValueLayout.JAVA_INT, 0, (int) OVERLAPPED.InternalHigh(ov));
        if (lpdwFlags.address() != 0) lpdwFlags.reinterpret(4).set(ValueLayout.JAVA_INT, 0, OVERLAPPED.Offset(ov));
        int error = OVERLAPPED.OffsetHigh(ov);
        if (error == 0) return 1;
        LayeredSpi.setErrno(lpErrno, error);
        return 0;
    }

    /** True once {@code ov} is no longer in progress; false if interrupted. */
    private boolean awaitCompletion(MemorySegment ov) {
        waiting.incrementAndGet(); // a full fence: the completing side's Internal write is seen, or it sees us waiting
        try {
            synchronized (completions) {
                while (OVERLAPPED.Internal(ov) == WSS_OPERATION_IN_PROGRESS) completions.wait(100);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * The lower socket of {@code s} is closed: its requests still pending are completed now with
     * WSA_OPERATION_ABORTED, and those the dispatcher is completing are waited for until the caller
     * has been told — all before our handle goes away, since completion needs it. (Not waited for on
     * the dispatcher's own thread: a hook closing the socket it is observing.)
     */
    void closed(LayeredSocket s) throws InterruptedException {
        if (!opened) return;
        boolean wait = Thread.currentThread() != dispatcher;
        for (OverlappedRequest r : byKey) {
            synchronized (r) {
                while (wait && r.socket == s && r.state == OverlappedRequest.State.COMPLETING && !r.notified) r.wait();
                if (r.socket != s || r.state != OverlappedRequest.State.PENDING) continue;
                r.state = OverlappedRequest.State.ORPHANED;
                r.error = WsaErrors.WSA_OPERATION_ABORTED;
                r.bytes = 0;
                r.flags = 0;
            }
            notifyCaller(r);
        }
    }

    // ---- completion ---------------------------------------------------------------------------------

    private void dispatch() {
        CompletionBatch batch = new CompletionBatch(64);
        while (running) {
            try {
                int n = port.poll(batch, -1);
                OverlappedRequest[] all = byKey;
                for (int i = 0; i < n; i++) {
                    long key = batch.key(i);
                    if (key >= 0 && key < all.length) check(all[(int) key]);
                }
            } catch (Throwable t) {
                if (!running) break;
                ProviderLog.error("overlapped dispatcher", t);
                pause();
            }
        }
    }

    /** The event of {@code r} was signalled (or a spurious completion): finish it if the lower provider has. */
    private void check(OverlappedRequest r) throws Throwable {
        Scratch x = Scratch.get();
        synchronized (r) {
            if (r.state == OverlappedRequest.State.ORPHANED) {
                releaseLocked(r, 1); // the lower provider has reported: its memory is ours again
                return;
            }
            if (r.state != OverlappedRequest.State.PENDING) return;
            LayeredSocket s = r.socket;
            x.bytesReturned.set(ValueLayout.JAVA_INT, 0, 0);
            x.word.set(ValueLayout.JAVA_INT, 0, 0);
            int ok = (int) s.below.getOverlappedResult.invokeExact(s.lowerHandle(), r.lower, x.bytesReturned, 0, x.word, x.errno);
            int error = ok != 0 ? 0 : x.errnoValue();
            if (error == WsaErrors.WSA_IO_INCOMPLETE) return; // still running below
            if (error != 0 && closing(s)) error = WsaErrors.WSA_OPERATION_ABORTED; // the lower socket went away under it
            r.state = OverlappedRequest.State.COMPLETING;
            r.error = error;
            r.bytes = x.bytesReturned.get(ValueLayout.JAVA_INT, 0);
            r.flags = x.word.get(ValueLayout.JAVA_INT, 0);
            releaseLocked(r, 1); // the lower provider is done with it
        }
        if (r.error == 0 && r.hooked) {
            try {
                int error = observer.completed(r, x.buffers.set(r.buffersAddress, r.bufferCount));
                if (error != 0) {
                    synchronized (r) {
                        r.error = error;
                        r.bytes = 0;
                    }
                }
            } catch (Throwable t) { // the caller is told regardless
                ProviderLog.error("overlapped completion observer", t);
                if (r.kind == OverlappedRequest.Kind.ACCEPT_EX) { // onAccept decides: its failure fails the accept
                    synchronized (r) {
                        r.error = WsaErrors.WSAENETDOWN;
                        r.bytes = 0;
                    }
                }
            }
        }
        notifyCaller(r);
    }

    private static boolean closing(LayeredSocket s) {
        synchronized (s) {
            return s.closing;
        }
    }

    /**
     * Writes the result into the caller's OVERLAPPED and notifies the caller the way it chose; then
     * wakes WSPGetOverlappedResult waiters and gives up the notification's hold (an APC keeps it).
     */
    private void notifyCaller(OverlappedRequest r) {
        MemorySegment ov = caller(r.callerOverlapped);
        OVERLAPPED.Offset(ov, r.flags);
        OVERLAPPED.OffsetHigh(ov, r.error);
        OVERLAPPED.InternalHigh(ov, Integer.toUnsignedLong(r.bytes));
        OVERLAPPED.Internal(ov, r.error); // last: WSPGetOverlappedResult keys on it
        VarHandle.fullFence(); // against awaitCompletion's increment-then-read
        boolean apcQueued = false;
        try {
            Scratch x = Scratch.get();
            if (r.completionRoutine != 0) {
                told(r); // an APC names the thread, not our handle (and once queued it may run and free r)
                apcQueued = upcalls.queueApc(r.thread, apc, r.key, x.errno) == 0;
                if (!apcQueued) notifyFailed("WPUQueueApc", x.errnoValue());
            } else {
                int rc = (int) completeRequest.invokeExact(r.socket.handle(), ov, r.error, r.bytes, x.errno);
                if (rc != 0) notifyFailed("WPUCompleteOverlappedRequest", x.errnoValue());
            }
        } catch (Throwable t) {
            notifyFailed("the notification", t.toString());
        } finally {
            if (!apcQueued) told(r);
            if (waiting.get() > 0) {
                synchronized (completions) {
                    completions.notifyAll();
                }
            }
            if (!apcQueued) release(r, 1);
        }
    }

    /** The caller has been told, or will be without our handle: a WSPCloseSocket waiting in {@link #closed} may go on. */
    private static void told(OverlappedRequest r) {
        synchronized (r) {
            r.notified = true;
            r.notifyAll();
        }
    }

    /** The APC queued for a request with a completion routine: runs in the caller's thread, alertable. */
    private void runCompletionRoutine(long key) {
        try {
            OverlappedRequest r = byKey[(int) key];
            long routine;
            int error, bytes, flags;
            long ov;
            synchronized (r) {
                routine = r.completionRoutine;
                error = r.error;
                bytes = r.bytes;
                flags = r.flags;
                ov = r.callerOverlapped;
            }
            try {
                completionRoutine.invokeExact(MemorySegment.ofAddress(routine), error, bytes, MemorySegment.ofAddress(ov), flags);
            } finally {
                release(r, 1);
            }
        } catch (Throwable t) {
            notifyFailed("the completion routine's APC", t.toString()); // never out of an upcall
        }
    }

    private void notifyFailed(String what, Object detail) {
        if (loggedNotifyFailure) return;
        loggedNotifyFailure = true;
        ProviderLog.error("overlapped completion: " + what + " failed (" + detail + "); logged once");
    }

    // ---- the pool -----------------------------------------------------------------------------------

    private void release(OverlappedRequest r, int holds) {
        synchronized (r) {
            releaseLocked(r, holds);
        }
    }

    private void releaseLocked(OverlappedRequest r, int holds) {
        r.holds -= holds;
        if (r.holds > 0) return;
        r.clear();
        pool.offer(r);
    }

    private synchronized OverlappedRequest newRequest() {
        OverlappedRequest[] all = byKey;
        long event = port.createEvent();
        OverlappedRequest r = new OverlappedRequest(all.length, event, arena);
        port.watch(event, r.key);
        OverlappedRequest[] grown = Arrays.copyOf(all, all.length + 1);
        grown[r.key] = r;
        byKey = grown;
        return r;
    }

    /** 0 when the port, the dispatcher and ws2_32's completion function are there; else the error for the caller. */
    private int open() {
        if (opened) return 0;
        synchronized (this) {
            if (opened) return 0;
            if (!running) return WsaErrors.WSAENETDOWN;
            Optional<MemorySegment> wpu = platform.ws2().find("WPUCompleteOverlappedRequest");
            if (wpu.isEmpty()) return WsaErrors.WSAEOPNOTSUPP;
            try {
                Linker linker = Linker.nativeLinker();
                completeRequest = linker.downcallHandle(wpu.get(), LPWPUCOMPLETEOVERLAPPEDREQUEST.descriptor());
                completionRoutine = linker.downcallHandle(LPWSAOVERLAPPED_COMPLETION_ROUTINE.descriptor());
                MethodHandle target = MethodHandles.lookup().findVirtual(OverlappedRequests.class, "runCompletionRoutine",
                        MethodType.methodType(void.class, long.class)).bindTo(this);
                apc = linker.upcallStub(target, LPWSAUSERAPC.descriptor(), arena);
                port = platform.openCompletionPort();
            } catch (Throwable t) {
                ProviderLog.error("overlapped I/O unavailable", t);
                return WsaErrors.WSAENOBUFS;
            }
            dispatcher = Thread.ofPlatform().daemon().name("wsp4j-overlapped").start(this::dispatch);
            opened = true;
            return 0;
        }
    }

    private static MemorySegment caller(long overlapped) {
        return MemorySegment.ofAddress(overlapped).reinterpret(OVERLAPPED.sizeof());
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the dispatcher and closes the port and the requests' events (WSPCleanup: sockets are closed by now). */
    @Override
    public void close() {
        CompletionPort p;
        synchronized (this) {
            running = false;
            p = port;
        }
        if (p == null) return;
        p.post(STOP_KEY);
        try {
            dispatcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean idle = true;
        for (OverlappedRequest r : byKey) {
            p.unwatch(r.event);
            p.closeEvent(r.event);
            synchronized (r) {
                idle &= r.state == OverlappedRequest.State.FREE;
            }
        }
        p.close();
        // A request the lower provider never reported, or an APC not yet run, still points into it.
        if (idle) arena.close();
    }
}
