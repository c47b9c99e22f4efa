package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread native memory for the base provider's own calls to Linux whose memory does not outlive the
 * call (a sockaddr and its length, an int out-parameter, a byte, a gathered copy of several buffers):
 * allocated once per thread, so the data path allocates nothing per call. Each use fills a slot and
 * reads it back before the call returns, with no upcall in between; distinct uses that may follow one
 * another in a call (a receive, then its re-check) use distinct slots.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);
    /** The largest gathered copy kept per thread; bigger ones get memory of their own for the call. */
    static final long GATHER_LIMIT = 64 * 1024;

    private final Arena arena = Arena.ofAuto();
    /** A Linux sockaddr (recvfrom's sender, sendto's destination) and its length. */
    final MemorySegment address = arena.allocate(SockAddrs.MAX_SIZE, 8);
    final MemorySegment addressLength = arena.allocate(JAVA_INT);
    /** getpeername's address and length (whether a connect made a connection). */
    final MemorySegment peer = arena.allocate(SockAddrs.MAX_SIZE, 8);
    final MemorySegment peerLength = arena.allocate(JAVA_INT);
    /** An int out-parameter (FIONREAD, SO_ERROR) and its length. */
    final MemorySegment value = arena.allocate(JAVA_INT);
    final MemorySegment valueLength = arena.allocate(JAVA_INT);
    /** A larger out-parameter (SO_MEMINFO's counters, TCP_INFO's state) and its length. */
    final MemorySegment info = arena.allocate(256, 8);
    final MemorySegment infoLength = arena.allocate(JAVA_INT);
        /** One byte: the peek at urgent data. */
    final MemorySegment oneByte = arena.allocate(1);
    private MemorySegment gather = MemorySegment.NULL;

    private Scratch() {}

    static Scratch get() {
        return PER_THREAD.get();
    }

    /** Room for a gathered copy of {@code size} bytes ({@code size <= GATHER_LIMIT}), grown as needed. */
    MemorySegment gather(long size) {
        if (gather.byteSize() < size) gather = arena.allocate(Math.min(GATHER_LIMIT, Math.max(size, 2 * gather.byteSize())));
        return gather;
    }
}
