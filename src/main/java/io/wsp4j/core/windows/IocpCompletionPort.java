package io.wsp4j.core.windows;

import io.wsp4j.bindings.OVERLAPPED_ENTRY;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.NativeCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The event core on Windows: an I/O completion port that the kernel itself feeds. A watched event is
 * associated with the port through a <em>wait completion packet</em> ({@link Ntdll}, Windows 8 and
 * later): when the event is signalled the kernel queues one completion carrying the watch's key, and
 * no thread waits for it. {@link #post} posts directly; {@link #poll} drains with
 * {@code GetQueuedCompletionStatusEx}. Windows only (see {@link Kernel32}).
 *
 * <p>Why wait packets: the obvious alternative, {@code RegisterWaitForSingleObject}, runs its callback
 * on the thread pool's wait threads, which belong to the application we are loaded into; with a Java
 * callback each first use attaches a foreign thread to the JVM and every signal runs Java there
 * (stalled by GC safepoints, an upcall that must never fail), and a signal takes two hops (wait thread,
 * then the port) before the dispatcher sees it. A wait packet makes the signal a completion in the
 * kernel: no Java on anyone else's thread, one hop. It is the mechanism the Windows thread pool itself
 * uses for its waits since Windows 8. A native callback that only posts would also keep Java off the
 * wait threads, but keeps both hops and needs native code of its own.
 *
 * <p>An association delivers one completion, then must be made again: {@link #poll} re-associates the
 * watches its previous call delivered before it waits, i.e. after the consumer has handled them. A
 * signal in between is not lost: the event stays signalled (nobody waits on it), so the new
 * association completes at once. The events are <em>auto-reset</em> (CreateEventW with bManualReset
 * FALSE): the packet's wait is satisfied like any wait and resets the event, so each signal yields one
 * completion; a manual-reset event would complete again at every re-association.
 *
 * <p>A completion's lpOverlapped tells a watch's completion from a post (NULL): it carries the watch's
 * slot and generation, so a completion of a watch that was unwatched since (or whose slot was reused)
 * is dropped and never re-associated. {@link #unwatch} cancels the association and takes a completion
 * it already queued back out of the port; one that still arrives is dropped the same way.
 *
 * <p>An event must be unwatched before it is closed. {@link #poll} is for one dispatcher thread at a
 * time; everything else is callable from any thread and never waits for the dispatcher. Close the port
 * after its dispatcher stopped polling.
 */
public final class IocpCompletionPort implements CompletionPort {
    /** How many completions one GetQueuedCompletionStatusEx may remove. */
    private static final int MAX_ENTRIES = 256;

    /** One watched event: its wait completion packet and where its completions are recognised. */
    private static final class Watch {
        final long event;
        final long key;
        final MemorySegment packet;
        final int slot;
        final int generation;
        boolean live = true; // guarded by the port

        Watch(long event, long key, MemorySegment packet, int slot, int generation) {
            this.event = event;
            this.key = key;
            this.packet = packet;
            this.slot = slot;
            this.generation = generation;
        }

        /** The association's ApcContext, the completion's lpOverlapped: never 0 (that is a post). */
        long token() {
            return ((long) generation << 32) | (slot + 1L);
        }
    }

    private final MemorySegment port;
    /** Freed by the GC, not by close: a dispatcher still inside GetQueuedCompletionStatusEx must not see it go. */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment entries; // dispatcher thread only
    private final MemorySegment removed; // dispatcher thread only
    private final MemorySegment packetOut; // guarded by this
    private final Map<Long, Watch> byEvent = new HashMap<>(); // guarded by this
    private Watch[] slots = new Watch[16]; // guarded by this
    private int[] generations = new int[16]; // guarded by this
    private int[] freeSlots = new int[16]; // guarded by this
    private int freeCount;
    private int slotCount;
    /** The watches the last poll delivered, to re-associate at the start of the next (dispatcher thread; cleared under this). */
    private final Watch[] delivered = new Watch[MAX_ENTRIES];
    private int deliveredCount;
    private volatile boolean closed;

    public IocpCompletionPort() {
        Kernel32.requireWindows("IocpCompletionPort");
        // A new port not associated with a file; concurrency 1: one dispatcher drains it.
        MemorySegment p = Kernel32.createIoCompletionPort(WinApi.INVALID_HANDLE_VALUE(), MemorySegment.NULL, 0, 1);
        if (p.equals(MemorySegment.NULL)) throw new NativeCallException("CreateIoCompletionPort", Kernel32.lastError(), null);
        this.port = p;
        this.entries = OVERLAPPED_ENTRY.allocateArray(MAX_ENTRIES, arena);
        this.removed = arena.allocate(ValueLayout.JAVA_INT);
        this.packetOut = arena.allocate(ValueLayout.ADDRESS);
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
        Watch previous = byEvent.remove(event);
        if (previous != null) retire(previous, true);
        MemorySegment packet = Ntdll.createWaitCompletionPacket(packetOut);
        int slot = takeSlot();
        Watch w = new Watch(event, key, packet, slot, ++generations[slot]);
        int status = Ntdll.associate(packet, port, handle(event), key, w.token());
        if (!Ntdll.succeeded(status)) {
            giveSlot(slot);
            Kernel32.closeHandle(packet); // the association's failure is the one reported
            throw Ntdll.failure("NtAssociateWaitCompletionPacket", status, "event 0x" + Long.toHexString(event));
        }
        slots[slot] = w;
        byEvent.put(event, w);
    }

    @Override
    public synchronized void unwatch(long event) {
        if (closed) return;
        Watch w = byEvent.remove(event);
        if (w != null) retire(w, true);
    }

    /**
     * Forgets a watch (under this): its slot is free, a completion of it still arriving is dropped by
     * {@link #poll}. With {@code cancel}, its association is cancelled first, a completion already
     * queued taken back out of the port (STATUS_SUCCESS), or one still on its way left to be dropped
     * (STATUS_PENDING); STATUS_CANCELLED means the dispatcher took its completion already, and will
     * not re-associate a watch that is no longer live. Then the packet's handle is closed.
     */
    private void retire(Watch w, boolean cancel) {
        w.live = false;
        slots[w.slot] = null;
        giveSlot(w.slot);
        int status = cancel ? Ntdll.cancel(w.packet, true) : Ntdll.STATUS_SUCCESS;
        boolean handleClosed = Kernel32.closeHandle(w.packet);
        if (!Ntdll.succeeded(status) && status != Ntdll.STATUS_CANCELLED) {
            throw Ntdll.failure("NtCancelWaitCompletionPacket", status, "event 0x" + Long.toHexString(w.event));
        }
        if (!handleClosed) throw new NativeCallException("CloseHandle", Kernel32.lastError(), "wait completion packet");
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
        reassociateDelivered();
        int count = Math.min(batch.capacity(), MAX_ENTRIES);
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        long wait = timeoutMillis;
        while (true) {
            if (!Kernel32.getQueuedCompletionStatusEx(port, entries, count, removed, milliseconds(wait), false)) {
                int error = Kernel32.lastError();
                if (error == WinApi.WAIT_TIMEOUT()) return 0; // the expected outcome of a timed wait
                throw new NativeCallException("GetQueuedCompletionStatusEx", error, null);
            }
            if (take(batch, removed.get(ValueLayout.JAVA_INT, 0)) > 0 || timeoutMillis == 0) return batch.size();
            // Every completion was a forgotten watch's: wait out the rest of the timeout.
            if (timeoutMillis > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return 0;
                wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
            }
        }
    }

    /** Moves the removed completions into the batch, dropping those of forgotten watches; returns how many it kept. */
    private synchronized int take(CompletionBatch batch, int n) {
        for (int i = 0; i < n; i++) {
            MemorySegment entry = OVERLAPPED_ENTRY.asSlice(entries, i);
            long key = OVERLAPPED_ENTRY.lpCompletionKey(entry);
            long token = OVERLAPPED_ENTRY.lpOverlapped(entry).address();
            if (token == 0) { // a post
                batch.add(key, OVERLAPPED_ENTRY.dwNumberOfBytesTransferred(entry));
                continue;
            }
            int slot = (int) (token & 0xffff_ffffL) - 1;
            Watch w = slot >= 0 && slot < slotCount ? slots[slot] : null;
            if (w == null || w.generation != (int) (token >>> 32)) continue; // unwatched since it was queued
            delivered[deliveredCount++] = w;
            batch.add(w.key, 0);
        }
        return batch.size();
    }

    /**
     * Associates again the watches the previous poll delivered (an association completes once). A
     * watch that cannot be (its event was closed while watched) is forgotten and reported after the
     * others are done: the next poll goes on normally.
     */
    private synchronized void reassociateDelivered() {
        NativeCallException failure = null;
        for (int i = 0; i < deliveredCount; i++) {
            Watch w = delivered[i];
            delivered[i] = null;
            if (!w.live) continue;
            int status = Ntdll.associate(w.packet, port, handle(w.event), w.key, w.token());
            if (Ntdll.succeeded(status)) continue;
            byEvent.remove(w.event);
            try {
                retire(w, false);
            } catch (NativeCallException e) {
                // the association's failure is the one reported
            }
            if (failure == null) failure = Ntdll.failure("NtAssociateWaitCompletionPacket", status, "event 0x" + Long.toHexString(w.event));
        }
        deliveredCount = 0;
        if (failure != null) throw failure;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        RuntimeException failure = null;
        for (Watch w : byEvent.values()) {
            try {
                retire(w, true);
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        byEvent.clear();
        Arrays.fill(delivered, null);
        deliveredCount = 0;
        if (!Kernel32.closeHandle(port)) throw new NativeCallException("CloseHandle", Kernel32.lastError(), "completion port");
        if (failure != null) throw failure;
    }

    private int takeSlot() {
        if (freeCount > 0) return freeSlots[--freeCount];
        if (slotCount == slots.length) {
            slots = Arrays.copyOf(slots, slotCount * 2);
            generations = Arrays.copyOf(generations, slotCount * 2);
            freeSlots = Arrays.copyOf(freeSlots, slotCount * 2);
        }
        return slotCount++;
    }

    private void giveSlot(int slot) {
        freeSlots[freeCount++] = slot;
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
