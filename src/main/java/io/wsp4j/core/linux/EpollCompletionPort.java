package io.wsp4j.core.linux;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.NativeCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The event core on Linux: an epoll instance watching eventfds (the port's events) and, for the
 * host's base provider, sockets directly. Posts go through a small ring of keys and one wake-up
 * eventfd. Auto-reset is emulated: the completion of an event drains its eventfd.
 *
 * <p>{@link #poll} is for one dispatcher thread at a time; everything else is callable from any
 * thread. Close the port after its dispatcher stopped polling.
 */
public final class EpollCompletionPort implements CompletionPort {
    private static final int MAX_EVENTS_PER_WAIT = 256;
    /** epoll data word of the wake-up eventfd; watched fds use their fd number (never negative). */
    private static final long WAKE = -1L;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Watch[].class);

    /** What one watched fd completes with. Immutable: replaced as a whole, read without locks. */
    private record Watch(int fd, long key, boolean isEvent) {}

    /** Freed by the GC, not by close: a dispatcher still inside epoll_wait must not see its buffer go. */
    private final Arena arena = Arena.ofAuto();
    private final int epfd;
    private final int wakeFd;
    private final MemorySegment ctlEvent; // guarded by this
    private final MemorySegment waitEvents; // dispatcher thread only
    private volatile Watch[] watches = new Watch[64]; // by fd; grown under this
    private volatile boolean closed;

    // Posted keys: a growable ring, guarded by posts.
    private final Object posts = new Object();
    private long[] ring = new long[64];
    private int head;
    private int count;
    private boolean wakeArmed;

    public EpollCompletionPort() {
        int ep = Libc.epollCreate1(Epoll.EPOLL_CLOEXEC);
        if (ep < 0) throw new NativeCallException("epoll_create1", Libc.errno(), null);
        int wake;
        try {
            wake = EventFd.create();
        } catch (RuntimeException e) {
            Libc.close(ep);
            throw e;
        }
        this.epfd = ep;
        this.wakeFd = wake;
        this.ctlEvent = arena.allocate(Epoll.EVENT);
        this.waitEvents = arena.allocate(Epoll.EVENT, MAX_EVENTS_PER_WAIT);
        Epoll.set(ctlEvent, Epoll.EPOLLIN, WAKE);
        if (Libc.epollCtl(epfd, Epoll.EPOLL_CTL_ADD, wakeFd, ctlEvent) < 0) {
            int err = Libc.errno();
            Libc.close(wakeFd);
            Libc.close(epfd);
            throw new NativeCallException("epoll_ctl(ADD wake-up)", err, null);
        }
    }

    @Override
    public long createEvent() {
        return EventFd.create();
    }

    @Override
    public void closeEvent(long event) {
        if (Libc.close(fd(event)) < 0) throw new NativeCallException("close(eventfd)", Libc.errno(), null);
    }

    @Override
    public void watch(long event, long key) {
        // Level-triggered: a signalled eventfd completes until its completion drains it.
        add(new Watch(fd(event), key, true), Epoll.EPOLLIN);
    }

    /**
     * Linux only: watches a socket itself. Every poll that finds it ready under {@code epollMask}
     * (include {@link Epoll#EPOLLET} for edges) yields a completion with {@code key} and the ready
     * mask as its {@link CompletionBatch#detail}. Nothing is drained: the caller reads the socket.
     */
    public void watchSocket(int fd, int epollMask, long key) {
        add(new Watch(fd, key, false), epollMask);
    }

    @Override
    public void unwatch(long event) {
        unwatchFd(fd(event));
    }

    /** Linux only: stops watching a socket watched by {@link #watchSocket}. */
    public void unwatchSocket(int fd) {
        unwatchFd(fd);
    }

    private synchronized void add(Watch w, int mask) {
        ensureOpen();
        Watch[] table = watches;
        if (w.fd >= table.length) {
            Watch[] grown = new Watch[Math.max(w.fd + 1, table.length * 2)];
            System.arraycopy(table, 0, grown, 0, table.length);
            watches = table = grown;
        }
        SLOT.setVolatile(table, w.fd, w);
        Epoll.set(ctlEvent, mask, w.fd);
        String op = "epoll_ctl(ADD)";
        int rc = Libc.epollCtl(epfd, Epoll.EPOLL_CTL_ADD, w.fd, ctlEvent);
        if (rc < 0 && Libc.errno() == Errno.EEXIST) {
            op = "epoll_ctl(MOD)"; // watched already: the new key and mask replace the old
            rc = Libc.epollCtl(epfd, Epoll.EPOLL_CTL_MOD, w.fd, ctlEvent);
        }
        if (rc < 0) {
            int err = Libc.errno();
            SLOT.setVolatile(table, w.fd, (Watch) null);
            throw new NativeCallException(op, err, "fd " + w.fd);
        }
    }

    private synchronized void unwatchFd(int fd) {
        if (closed) return;
        Watch[] table = watches;
        if (fd >= 0 && fd < table.length) SLOT.setVolatile(table, fd, (Watch) null);
        // ENOENT: not watched; EBADF: closed already (the kernel dropped it). Both mean "not watched".
        if (Libc.epollCtl(epfd, Epoll.EPOLL_CTL_DEL, fd, ctlEvent) < 0) {
            int err = Libc.errno();
            if (err != Errno.ENOENT && err != Errno.EBADF) throw new NativeCallException("epoll_ctl(DEL)", err, "fd " + fd);
        }
    }

    @Override
    public void post(long key) {
        boolean wake;
        synchronized (posts) {
            ensureOpen();
            if (count == ring.length) {
                long[] grown = new long[ring.length * 2];
                for (int i = 0; i < count; i++) grown[i] = ring[(head + i) % ring.length];
                ring = grown;
                head = 0;
            }
            ring[(head + count) % ring.length] = key;
            count++;
            wake = !wakeArmed;
            wakeArmed = true;
        }
        if (wake && !EventFd.set(wakeFd)) throw new NativeCallException("write(eventfd)", Libc.errno(), "wake-up");
    }

    private void drainPosts(CompletionBatch batch, boolean disarm) {
        synchronized (posts) {
            if (disarm) wakeArmed = false;
            while (count > 0 && batch.remaining() > 0) {
                batch.add(ring[head]);
                head = (head + 1) % ring.length;
                count--;
            }
        }
    }

    @Override
    public int poll(CompletionBatch batch, long timeoutMillis) {
        ensureOpen();
        batch.clear();
        drainPosts(batch, false);
        if (batch.remaining() == 0) return batch.size();
        int timeout = batch.size() > 0 ? 0 : (int) Math.min(Math.max(timeoutMillis, -1), Integer.MAX_VALUE);
        int n = Libc.epollWait(epfd, waitEvents, Math.min(batch.remaining(), MAX_EVENTS_PER_WAIT), timeout);
        if (n < 0) {
            int err = Libc.errno();
            if (err == Errno.EINTR) return batch.size(); // a signal: the caller polls again
            throw new NativeCallException("epoll_wait", err, null);
        }
        Watch[] table = watches;
        for (int i = 0; i < n; i++) {
            long data = Epoll.data(waitEvents, i);
            if (data == WAKE) {
                EventFd.reset(wakeFd);
                drainPosts(batch, true);
                continue;
            }
            int fd = (int) data;
            Watch w = fd < table.length ? (Watch) SLOT.getVolatile(table, fd) : null;
            if (w == null) continue; // unwatched after the kernel queued it: stale
            if (w.isEvent) {
                EventFd.reset(fd); // auto-reset: this completion consumes the signal
                batch.add(w.key);
            } else {
                batch.add(w.key, Epoll.events(waitEvents, i));
            }
        }
        return batch.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        EventFd.set(wakeFd); // a dispatcher blocked in poll returns
        Libc.close(wakeFd);
        Libc.close(epfd);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("completion port is closed");
    }

    private static int fd(long event) {
        if (event < 0 || event > Integer.MAX_VALUE) throw new IllegalArgumentException("not an eventfd: " + event);
        return (int) event;
    }
}
