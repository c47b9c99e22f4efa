package io.wsp4j.core.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** poll(2) on one fd: how blocking calls wait, and how level conditions are re-checked. */
public final class Poll {
    public static final short POLLIN = 0x001;
    public static final short POLLPRI = 0x002;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;

    /** struct pollfd { int fd; short events; short revents; }. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
    private static final VarHandle FD = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("fd"));
    private static final VarHandle EVENTS = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("events"));
    private static final VarHandle REVENTS = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("revents"));
    private static final ThreadLocal<MemorySegment> PFD = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(POLLFD));

    private Poll() {}

    /**
     * Waits up to {@code timeoutMillis} ({@code -1}: forever, 0: just look) for {@code events} on
     * {@code fd}; returns the revents (0 on timeout), or -1 with errno. Retries after EINTR.
     */
    public static int once(int fd, short events, int timeoutMillis) {
        MemorySegment p = PFD.get();
        while (true) {
            FD.set(p, 0L, fd);
            EVENTS.set(p, 0L, events);
            REVENTS.set(p, 0L, (short) 0);
            int n = Libc.poll(p, 1, timeoutMillis);
            if (n < 0 && Libc.errno() == Errno.EINTR) continue;
            if (n < 0) return -1;
            return n == 0 ? 0 : Short.toUnsignedInt((short) REVENTS.get(p, 0L));
        }
    }
}
