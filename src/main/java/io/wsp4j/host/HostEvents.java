package io.wsp4j.host;

import io.wsp4j.core.linux.EventFd;
import io.wsp4j.core.linux.Libc;
import io.wsp4j.core.linux.Poll;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's event objects (WSAEVENTs), the one place that creates, signals, resets, waits on and
 * closes them: WPUCreateEvent/WSACreateEvent, the base provider signalling a WSPEventSelect event or an
 * overlapped request's {@code hEvent}, applications waiting. Each is an eventfd, signalled while its
 * counter is non-zero (manual reset: waiting does not consume the signal).
 *
 * <p>{@link #set} and {@link #reset} also accept events this table did not make (a provider's event core
 * makes its own and hands them to the base provider through WSPEventSelect); only the ones made here
 * count as valid for the application-facing calls ({@link #isEvent}).
 */
final class HostEvents {
    private final Set<Long> made = ConcurrentHashMap.newKeySet();

    /** A new event, not signalled. */
    long create() {
        long e = EventFd.create();
        made.add(e);
        return e;
    }

    /** True if {@code e} was made by {@link #create} and is not closed. */
    boolean isEvent(long e) {
        return made.contains(e);
    }

    /** Closes an event made here; false if it is not one. */
    boolean close(long e) {
        if (!made.remove(e)) return false;
        Libc.close((int) e);
        return true;
    }

    /** Signals {@code e}; false if it is not a usable event. */
    boolean set(long e) {
        return fits(e) && EventFd.set((int) e);
    }

    /** Resets {@code e}; false if it is not a usable event. */
    boolean reset(long e) {
        return fits(e) && EventFd.reset((int) e);
    }

    /**
     * Waits up to {@code timeoutMillis} ({@code -1}: forever, 0: just look) for {@code e} to be
     * signalled, without resetting it. True if it is signalled, false on timeout or if {@code e} is
     * not a usable event.
     */
    boolean await(long e, int timeoutMillis) {
        if (!fits(e)) return false;
        int revents = Poll.once((int) e, Poll.POLLIN, timeoutMillis);
        return revents > 0 && (revents & Poll.POLLIN) != 0;
    }

    private static boolean fits(long e) {
        return e > 0 && e <= Integer.MAX_VALUE;
    }
}
