package io.wsp4j.core.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls the Linux host and the epoll backend make, as FFM downcalls that capture
 * {@code errno}. Thin on purpose: each method is the C function with the same arguments and result;
 * on failure ({@code -1}) the caller reads {@link #errno()} on the same thread. Policy (error
 * mapping, retries, blocking) lives in the callers.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    /** One capture buffer per thread: errno is per-thread in C too, and the hot path allocates nothing. */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle SOCKET = fn("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKETPAIR = fn("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle BIND = fn("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = fn("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = fn("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = fn("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SEND = fn("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECV = fn("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SENDTO =
            fn("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECVFROM =
            fn("recvfrom", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    // The data path's forms: pointers as raw addresses (JAVA_LONG; the same argument to the ABI), so a
    // caller holding an address wraps it in no segment.
    private static final MethodHandle SENDTO_RAW =
            fn("sendto", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECVFROM_RAW =
            fn("recvfrom", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SHUTDOWN = fn("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = fn("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle DUP3 = fn("dup3", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SETSOCKOPT =
            fn("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKOPT =
            fn("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETSOCKNAME = fn("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETPEERNAME = fn("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    /** ioctl(int, unsigned long, ...): the third argument is variadic (a pointer here). */
    private static final MethodHandle IOCTL =
            variadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    /** fcntl(int, int, ...): the third argument is variadic (an int for F_SETFL). */
    private static final MethodHandle FCNTL = variadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle POLL = fn("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle EPOLL_CREATE1 = fn("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL = fn("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle EPOLL_WAIT = fn("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD = fn("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle READ = fn("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = fn("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);

    private Libc() {}

    private static MethodHandle fn(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args),
                Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle variadic(String name, int firstVariadic, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** errno of this thread's last failed call made through this class. */
    public static int errno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    private static MemorySegment state() {
        return STATE.get();
    }

    // Downcalls never throw checked exceptions in practice; a Throwable here is a linkage bug.
    private static RuntimeException bug(Throwable t) {
        if (t instanceof Error e) throw e;
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    public static int socket(int domain, int type, int protocol) {
        try { return (int) SOCKET.invokeExact(state(), domain, type, protocol); } catch (Throwable t) { throw bug(t); }
    }

    public static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        try { return (int) SOCKETPAIR.invokeExact(state(), domain, type, protocol, fds); } catch (Throwable t) { throw bug(t); }
    }

    public static int bind(int fd, MemorySegment addr, int len) {
        try { return (int) BIND.invokeExact(state(), fd, addr, len); } catch (Throwable t) { throw bug(t); }
    }

    public static int listen(int fd, int backlog) {
        try { return (int) LISTEN.invokeExact(state(), fd, backlog); } catch (Throwable t) { throw bug(t); }
    }

    public static int accept4(int fd, MemorySegment addr, MemorySegment lenp, int flags) {
        try { return (int) ACCEPT4.invokeExact(state(), fd, addr, lenp, flags); } catch (Throwable t) { throw bug(t); }
    }

    public static int connect(int fd, MemorySegment addr, int len) {
        try { return (int) CONNECT.invokeExact(state(), fd, addr, len); } catch (Throwable t) { throw bug(t); }
    }

    public static long send(int fd, MemorySegment buf, long len, int flags) {
        try { return (long) SEND.invokeExact(state(), fd, buf, len, flags); } catch (Throwable t) { throw bug(t); }
    }

    public static long recv(int fd, MemorySegment buf, long len, int flags) {
        try { return (long) RECV.invokeExact(state(), fd, buf, len, flags); } catch (Throwable t) { throw bug(t); }
    }

    public static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment to, int tolen) {
        try {
            return (long) SENDTO.invokeExact(state(), fd, buf, len, flags, to, tolen);
        } catch (Throwable t) { throw bug(t); }
    }

    public static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment from, MemorySegment fromlen) {
        try {
            return (long) RECVFROM.invokeExact(state(), fd, buf, len, flags, from, fromlen);
        } catch (Throwable t) { throw bug(t); }
    }

    /** sendto(2) with its pointers as addresses ({@code to} 0: none). */
    public static long sendto(int fd, long buf, long len, int flags, long to, int tolen) {
        try {
            return (long) SENDTO_RAW.invokeExact(state(), fd, buf, len, flags, to, tolen);
        } catch (Throwable t) { throw bug(t); }
    }

    /** recvfrom(2) with its pointers as addresses ({@code from}, {@code fromlen} 0: none). */
    public static long recvfrom(int fd, long buf, long len, int flags, long from, long fromlen) {
        try {
            return (long) RECVFROM_RAW.invokeExact(state(), fd, buf, len, flags, from, fromlen);
        } catch (Throwable t) { throw bug(t); }
    }

    public static int shutdown(int fd, int how) {
        try { return (int) SHUTDOWN.invokeExact(state(), fd, how); } catch (Throwable t) { throw bug(t); }
    }

    public static int close(int fd) {
        try { return (int) CLOSE.invokeExact(state(), fd); } catch (Throwable t) { throw bug(t); }
    }

    public static int dup3(int oldfd, int newfd, int flags) {
        try { return (int) DUP3.invokeExact(state(), oldfd, newfd, flags); } catch (Throwable t) { throw bug(t); }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(state(), fd, level, name, value, len);
        } catch (Throwable t) { throw bug(t); }
    }

    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment lenp) {
        try {
            return (int) GETSOCKOPT.invokeExact(state(), fd, level, name, value, lenp);
        } catch (Throwable t) { throw bug(t); }
    }

    public static int getsockname(int fd, MemorySegment addr, MemorySegment lenp) {
        try { return (int) GETSOCKNAME.invokeExact(state(), fd, addr, lenp); } catch (Throwable t) { throw bug(t); }
    }

    public static int getpeername(int fd, MemorySegment addr, MemorySegment lenp) {
        try { return (int) GETPEERNAME.invokeExact(state(), fd, addr, lenp); } catch (Throwable t) { throw bug(t); }
    }

    public static int ioctl(int fd, long request, MemorySegment arg) {
        try { return (int) IOCTL.invokeExact(state(), fd, request, arg); } catch (Throwable t) { throw bug(t); }
    }

    public static int fcntl(int fd, int cmd, int arg) {
        try { return (int) FCNTL.invokeExact(state(), fd, cmd, arg); } catch (Throwable t) { throw bug(t); }
    }

    /** poll(struct pollfd *fds, nfds_t nfds, int timeout); see {@link Poll} for the struct. */
    public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        try { return (int) POLL.invokeExact(state(), fds, nfds, timeoutMillis); } catch (Throwable t) { throw bug(t); }
    }

    public static int epollCreate1(int flags) {
        try { return (int) EPOLL_CREATE1.invokeExact(state(), flags); } catch (Throwable t) { throw bug(t); }
    }

    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        try { return (int) EPOLL_CTL.invokeExact(state(), epfd, op, fd, event); } catch (Throwable t) { throw bug(t); }
    }

    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(state(), epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) { throw bug(t); }
    }

    public static int eventfd(int initval, int flags) {
        try { return (int) EVENTFD.invokeExact(state(), initval, flags); } catch (Throwable t) { throw bug(t); }
    }

    public static long read(int fd, MemorySegment buf, long len) {
        try { return (long) READ.invokeExact(state(), fd, buf, len); } catch (Throwable t) { throw bug(t); }
    }

    public static long write(int fd, MemorySegment buf, long len) {
        try { return (long) WRITE.invokeExact(state(), fd, buf, len); } catch (Throwable t) { throw bug(t); }
    }
}
