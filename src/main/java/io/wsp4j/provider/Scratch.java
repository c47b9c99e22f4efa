package io.wsp4j.provider;

import io.wsp4j.bindings.GUID;
import io.wsp4j.bindings.WSABUF;
import io.wsp4j.bindings.WSANETWORKEVENTS;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.fd_set;
import io.wsp4j.bindings.sockaddr_storage;
import io.wsp4j.select.SelectEngine;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-thread native memory for the provider's own calls below (its errno, a network-events record,
 * an address, an ioctl argument, a protocol info, translated fd_sets) and its re-entry flag: allocated
 * once per thread, so the SPI entries allocate nothing on their way down.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    final MemorySegment errno;
    final MemorySegment networkEvents;
    final MemorySegment address;
    final MemorySegment addressLength;
    final MemorySegment word;
    final MemorySegment bytesReturned;
    final MemorySegment protocolInfo;
    final MemorySegment guid;
    /** Two pointers (GetAcceptExSockaddrs' out parameters). */
    final MemorySegment pointers;
    /** One WSABUF (ConnectEx's send data as an array). */
    final MemorySegment wsabuf;
    final Buffers buffers = new Buffers();
    /** A registration's read of the lower record, and the messages it decided (the bridge's, on application threads). */
    final NetworkEvents record = new NetworkEvents();
    final SelectEngine.PendingPosts registrationPosts = new SelectEngine.PendingPosts();
    /** This thread is inside one of our entries (set and cleared by {@link Reentry} only). */
    boolean insideEntry;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment[] fdSets = new MemorySegment[3];

    private Scratch() {
        errno = arena.allocate(ValueLayout.JAVA_INT);
        networkEvents = arena.allocate(WSANETWORKEVENTS.layout());
        address = arena.allocate(sockaddr_storage.layout());
        addressLength = arena.allocate(ValueLayout.JAVA_INT);
        word = arena.allocate(ValueLayout.JAVA_LONG);
        bytesReturned = arena.allocate(ValueLayout.JAVA_INT);
        protocolInfo = arena.allocate(WSAPROTOCOL_INFOW.layout());
        guid = arena.allocate(GUID.layout());
        pointers = arena.allocate(ValueLayout.ADDRESS, 2);
        wsabuf = arena.allocate(WSABUF.layout());
    }

    static Scratch get() {
        return PER_THREAD.get();
    }

    int errnoValue() {
        return errno.get(ValueLayout.JAVA_INT, 0);
    }

    /** An fd_set with room for {@code count} sockets (more than FD_SETSIZE if the caller used more). */
    MemorySegment fdSet(int which, int count) {
        long size = Math.max(fd_set.sizeof(), fd_set.fd_array$offset() + (long) count * ValueLayout.JAVA_LONG.byteSize());
        MemorySegment s = fdSets[which];
        if (s == null || s.byteSize() < size) {
            s = arena.allocate(size, 8);
            fdSets[which] = s;
        }
        return s;
    }
}
