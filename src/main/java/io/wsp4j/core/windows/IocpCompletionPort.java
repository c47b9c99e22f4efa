package io.wsp4j.core.windows;

import io.wsp4j.bindings.OVERLAPPED_ENTRY;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.NativeCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * The event core on Windows: an I/O completion port. A watched event is bound to the port by a
 * persistent {@code RegisterWaitForSingleObject} whose callback ({@link WaitCallback}) posts the
 * watch's key; {@link #post} posts directly; {@link #poll} drains with
 * {@code GetQueuedCompletionStatusEx}. Windows only (see {@link Kernel32}).
 *
 * <p>Why auto-reset events (CreateEventW with bManualReset FALSE): "the system automatically resets
 * the event state to nonsignaled after a single waiting thread has been released", so the wait
 * thread's satisfied wait consumes the signal, each signal yields one callback, and the persistent
 * wait then waits again. A manual-reset event would stay signalled and satisfy the re-armed wait
 * again and again: a spinning callback.
 *
 * <p>An event must be unwatched before it is closed: RegisterWaitForSingleObject's docs leave
 * closing a handle with a pending wait undefined.
 *
 * <p>{@link #poll} is for one dispatcher thread at a time; everything else is callable from any
 * thread. Close the port after its dispatcher stopped polling.
 */
public final class IocpCompletionPort implements CompletionPort {
    /** How many completions one GetQueuedCompletionStatusEx may remove. */
    private static final int MAX_ENTRIES = 256;

    /** One watch: the wait handle and the native context its callback reads. */
    private record Watch(MemorySegment waitHandle, Arena contextArena) {}

    private final MemorySegment port;
    /** Freed by the GC, not by close: a dispatcher still inside GetQueuedCompletionStatusEx must not see it go. */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment entries; // dispatcher thread only
    private final MemorySegment removed; // dispatcher thread only
    private final Map<Long, Watch> watches = new HashMap<>(); // by event handle, guarded by this
    private volatile boolean closed;

    public IocpCompletionPort() {
        Kernel32.requireWindows("IocpCompletionPort");
        // A new port not associated with a file; concurrency 1: one dispatcher drains it.
        MemorySegment p = Kernel32.createIoCompletionPort(WinApi.INVALID_HANDLE_VALUE(), MemorySegment.NULL, 0, 1);
        if (p.equals(MemorySegment.NULL)) throw new NativeCallException("CreateIoCompletionPort", Kernel32.lastError(), null);
        this.port = p;
        this.entries = OVERLAPPED_ENTRY.allocateArray(MAX_ENTRIES, arena);
        this.removed = arena.allocate(ValueLayout.JAVA_INT);
    }

    @Override
    public long createEvent() {
        // Auto-reset (bManualReset FALSE), initially nonsignalled, unnamed: see the class comment.
        MemorySegment event = Kernel32.createEventW(MemorySegment.NULL, false, false, MemorySegment.NULL);
        if (event.equals(MemorySegment.NULL)) throw new NativeCallException("CreateEventW", Kernel32.lastError(), null);
        return event.address();
    }

    @Override
    public void closeEvent(long event) {
        if (!Kernel32.closeHandle(handle(event))) throw new NativeCallException("CloseHandle", Kernel32.lastError(), "event");
    }

    @Override
    public synchronized void watch(long event, long key) {
        ensureOpen();
        Watch previous = watches.remove(event);
        if (previous != null) unregister(previous);
        Arena contextArena = Arena.ofShared();
        try {
            MemorySegment context = WaitCallback.newContext(contextArena, port, key);
            MemorySegment waitHandle = contextArena.allocate(ValueLayout.ADDRESS);
            // Persistent (no WT_EXECUTEONLYONCE): the wait re-arms after every callback until unregistered.
            // WT_EXECUTEINWAITTHREAD: the callback only posts, so it runs on the wait thread itself
            // ("should be used only for short tasks") instead of being queued to a worker.
            if (!Kernel32.registerWaitForSingleObject(waitHandle, handle(event), WaitCallback.stub(), context,
                    WinApi.INFINITE(), WinApi.WT_EXECUTEINWAITTHREAD())) {
                throw new NativeCallException("RegisterWaitForSingleObject", Kernel32.lastError(), "event 0x" + Long.toHexString(event));
            }
            watches.put(event, new Watch(waitHandle.get(ValueLayout.ADDRESS, 0), contextArena));
        } catch (RuntimeException | Error e) {
            contextArena.close();
            throw e;
        }
    }

    @Override
    public synchronized void unwatch(long event) {
        if (closed) return;
        Watch w = watches.remove(event);
        if (w != null) unregister(w);
    }

    /**
     * UnregisterWaitEx with INVALID_HANDLE_VALUE "waits for all callback functions to complete before
     * returning": after it no callback can still read the context (so it is freed) nor post the old key.
     * It must not run on the wait thread itself; only the dispatcher and provider threads call it.
     */
    private static void unregister(Watch w) {
        if (!Kernel32.unregisterWaitEx(w.waitHandle(), WinApi.INVALID_HANDLE_VALUE())) {
            throw new NativeCallException("UnregisterWaitEx", Kernel32.lastError(), null);
        }
        w.contextArena().close();
    }

    @Override
    public void post(long key) {
        ensureOpen();
        if (!Kernel32.postQueuedCompletionStatus(port, 0, key, MemorySegment.NULL)) {
            throw new NativeCallException("PostQueuedCompletionStatus", Kernel32.lastError(), null);
        }
    }

    @Override
    public int poll(CompletionBatch batch, long timeoutMillis) {
        ensureOpen();
        batch.clear();
        int count = Math.min(batch.capacity(), MAX_ENTRIES);
        if (!Kernel32.getQueuedCompletionStatusEx(port, entries, count, removed, milliseconds(timeoutMillis), false)) {
            int error = Kernel32.lastError();
            if (error == WinApi.WAIT_TIMEOUT()) return 0; // the expected outcome of a timed wait
            throw new NativeCallException("GetQueuedCompletionStatusEx", error, null);
        }
        int n = removed.get(ValueLayout.JAVA_INT, 0);
        for (int i = 0; i < n; i++) {
            MemorySegment entry = OVERLAPPED_ENTRY.asSlice(entries, i);
            batch.add(OVERLAPPED_ENTRY.lpCompletionKey(entry), OVERLAPPED_ENTRY.dwNumberOfBytesTransferred(entry));
        }
        return n;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Watch w : watches.values()) unregister(w);
        watches.clear();
        if (!Kernel32.closeHandle(port)) throw new NativeCallException("CloseHandle", Kernel32.lastError(), "completion port");
    }

    /** -1 is INFINITE; other values are clamped below it (a DWORD of milliseconds). */
    private static int milliseconds(long timeoutMillis) {
        if (timeoutMillis < 0) return WinApi.INFINITE();
        return (int) Math.min(timeoutMillis, Integer.toUnsignedLong(WinApi.INFINITE()) - 1);
    }

    private static MemorySegment handle(long value) {
        return MemorySegment.ofAddress(value);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("completion port closed");
    }
}
