package io.wsp4j.core.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** epoll and eventfd constants, and the {@code struct epoll_event} layout. */
public final class Epoll {
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLET = 1 << 31;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    /**
     * {@code struct epoll_event { uint32_t events; epoll_data_t data; }}: packed on x86-64 (12 bytes,
     * the kernel ABI there), naturally aligned elsewhere (16 bytes).
     */
    public static final StructLayout EVENT = packedOnX64();
    private static final VarHandle EVENTS = EVENT.varHandle(MemoryLayout.PathElement.groupElement("events"));
    private static final VarHandle DATA = EVENT.varHandle(MemoryLayout.PathElement.groupElement("data"));

    private Epoll() {}

    private static StructLayout packedOnX64() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return MemoryLayout.structLayout(JAVA_INT.withName("events"),
                    JAVA_LONG.withByteAlignment(4).withName("data"));
        }
        return MemoryLayout.structLayout(JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4),
                JAVA_LONG.withName("data"));
    }

    public static int events(MemorySegment array, long index) {
        return (int) EVENTS.get(array, index * EVENT.byteSize());
    }

    public static long data(MemorySegment array, long index) {
        return (long) DATA.get(array, index * EVENT.byteSize());
    }

    public static void set(MemorySegment event, int events, long data) {
        EVENTS.set(event, 0L, events);
        DATA.set(event, 0L, data);
    }
}
