package io.wsp4j.provider;

import io.wsp4j.bindings.fd_set;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * WSPSelect's fd_sets, ours ↔ the lower provider's: every handle of the caller's sets is replaced by
 * its lower handle in per-thread copies, and after the lower select the caller's sets keep exactly
 * the sockets whose lower handles the lower provider left in its copies.
 */
final class FdSetTranslation {
    private static final ThreadLocal<FdSetTranslation> PER_THREAD = ThreadLocal.withInitial(FdSetTranslation::new);
    private static final long SOCKET_SIZE = ValueLayout.JAVA_LONG.byteSize();

    private final MemorySegment[] lower = new MemorySegment[3];
    private long[][] ours = {new long[64], new long[64], new long[64]};
    private long[][] theirs = {new long[64], new long[64], new long[64]};
    private final int[] counts = new int[3];

    static FdSetTranslation get() {
        return PER_THREAD.get();
    }

    /** The lower copy of set {@code which} (NULL where the caller passed none). */
    MemorySegment lower(int which) {
        return lower[which];
    }

    /**
     * Builds the lower sets. Returns the lower provider they all belong to, or null with *lpErrno:
     * WSAENOTSOCK for a handle that is not ours, WSAEINVAL for no sockets at all or sockets of
     * different lower providers.
     */
    LowerProvider toLower(SocketContexts sockets, MemorySegment readfds, MemorySegment writefds, MemorySegment exceptfds, MemorySegment lpErrno) {
        MemorySegment[] sets = {readfds, writefds, exceptfds};
        LowerProvider below = null;
        Scratch scratch = Scratch.get();
        for (int w = 0; w < 3; w++) {
            MemorySegment set = sets[w];
            if (set.address() == 0) {
                lower[w] = MemorySegment.NULL;
                counts[w] = 0;
                continue;
            }
            int n = fd_set.fd_count(set.reinterpret(fd_set.sizeof()));
            MemorySegment callers = set.reinterpret(fd_set.fd_array$offset() + (long) n * SOCKET_SIZE);
            MemorySegment copy = scratch.fdSet(w, n);
            if (ours[w].length < n) {
                ours[w] = new long[n];
                theirs[w] = new long[n];
            }
            for (int i = 0; i < n; i++) {
                long h = callers.get(ValueLayout.JAVA_LONG, fd_set.fd_array$offset() + i * SOCKET_SIZE);
                LayeredSocket s = sockets.get(h);
                if (s == null) {
                    LayeredSpi.setErrno(lpErrno, WsaErrors.WSAENOTSOCK);
                    return null;
                }
                if (below == null) below = s.below;
                else if (below != s.below) {
                    LayeredSpi.setErrno(lpErrno, WsaErrors.WSAEINVAL);
                    return null;
                }
                ours[w][i] = h;
                theirs[w][i] = s.lowerHandle();
                copy.set(ValueLayout.JAVA_LONG, fd_set.fd_array$offset() + i * SOCKET_SIZE, s.lowerHandle());
            }
            fd_set.fd_count(copy, n);
            counts[w] = n;
            lower[w] = copy;
        }
        if (below == null) LayeredSpi.setErrno(lpErrno, WsaErrors.WSAEINVAL); // select with no sockets
        return below;
    }

    /** Rewrites the caller's sets to the sockets whose lower handles survived the lower select. */
    void toCaller(MemorySegment readfds, MemorySegment writefds, MemorySegment exceptfds) {
        MemorySegment[] sets = {readfds, writefds, exceptfds};
        for (int w = 0; w < 3; w++) {
            if (sets[w].address() == 0) continue;
            MemorySegment copy = lower[w];
            int kept = fd_set.fd_count(copy);
            MemorySegment callers = sets[w].reinterpret(fd_set.fd_array$offset() + (long) counts[w] * SOCKET_SIZE);
            int out = 0;
            for (int i = 0; i < counts[w]; i++) {
                if (contains(copy, kept, theirs[w][i])) {
                    callers.set(ValueLayout.JAVA_LONG, fd_set.fd_array$offset() + out * SOCKET_SIZE, ours[w][i]);
                    out++;
                }
            }
            fd_set.fd_count(callers, out);
        }
    }

    private static boolean contains(MemorySegment set, int count, long handle) {
        for (int i = 0; i < count; i++) {
            if (set.get(ValueLayout.JAVA_LONG, fd_set.fd_array$offset() + i * SOCKET_SIZE) == handle) return true;
        }
        return false;
    }
}
