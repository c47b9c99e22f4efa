package io.wsp4j.core.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.wsp4j.core.NativeCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An eventfd used as an event object (a WSAEVENT on the Linux host): signalled while its counter is
 * non-zero. Set adds to the counter, reset drains it; both are non-blocking.
 */
public final class EventFd {
    private static final ThreadLocal<MemorySegment> WORD =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(JAVA_LONG));

    private EventFd() {}

    /** A new non-blocking, close-on-exec eventfd, not signalled. */
    public static int create() {
        int fd = Libc.eventfd(0, Epoll.EFD_NONBLOCK | Epoll.EFD_CLOEXEC);
        if (fd < 0) throw new NativeCallException("eventfd", Libc.errno(), null);
        return fd;
    }

    /** Signals the event; false (with errno) if fd is not a usable eventfd. */
    public static boolean set(int fd) {
        MemorySegment one = WORD.get();
        one.set(JAVA_LONG, 0, 1L);
        // EAGAIN means the counter is at its maximum: the event is signalled already.
        return Libc.write(fd, one, 8) == 8 || Libc.errno() == Errno.EAGAIN;
    }

    /** Resets the event (drains the counter); false (with errno) if fd is not a usable eventfd. */
    public static boolean reset(int fd) {
        return Libc.read(fd, WORD.get(), 8) == 8 || Libc.errno() == Errno.EAGAIN;
    }
}
