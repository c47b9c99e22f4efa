package io.wsp4j.host;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's table of application I/O completion ports (CreateIoCompletionPort / CloseHandle), by
 * handle. Port handles come from their own range, in steps of 4 like Windows handles, and never
 * collide with socket handles or event objects.
 */
final class IoCompletionPorts {
    private static final long FIRST = 0x7000_0000L;
    private final ConcurrentHashMap<Long, IoCompletionPort> ports = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(FIRST);

    /** A new, empty port. */
    long create() {
        long h = next.getAndAdd(4);
        ports.put(h, new IoCompletionPort());
        return h;
    }

    /** The port of handle {@code h}, or null. */
    IoCompletionPort get(long h) {
        return ports.get(h);
    }

    /** Closes the port; false if {@code h} is not an open port. */
    boolean close(long h) {
        IoCompletionPort port = ports.remove(h);
        if (port == null) return false;
        port.close();
        return true;
    }

    /** WSACleanup: every port closes, waiters are released. */
    void closeAll() {
        for (Long h : ports.keySet()) close(h);
    }
}
