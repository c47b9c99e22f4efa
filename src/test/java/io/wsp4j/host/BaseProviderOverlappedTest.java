package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The overlapped conformance suite against the host's base provider alone, and what only its IFS handles show. */
@EnabledOnOs(OS.LINUX)
class BaseProviderOverlappedTest extends OverlappedConformanceSuite {
    @Override
    protected Host newHost() {
        return new Host();
    }

    @Test
    void wpuCompleteOverlappedRequestRefusesAnIfsHandle() throws Throwable {
        long[] p = connectedPair();
        MemorySegment fn = host.platform().ws2().find("WPUCompleteOverlappedRequest").orElseThrow();
        MethodHandle complete = Linker.nativeLinker().downcallHandle(fn, Spi.WPUCOMPLETEOVERLAPPEDREQUEST);
        MemorySegment ov = overlapped(event());
        MemorySegment err = arena.allocate(JAVA_INT);
        assertEquals(SOCKET_ERROR, (int) complete.invokeExact(p[0], ov, 0, 4, err));
        assertEquals(WSAEINVAL, err.get(JAVA_INT, 0));
        assertEquals(0L, io.wsp4j.bindings._OVERLAPPED.InternalHigh(ov), "nothing written");
    }

    @Test
    void overlappedCallsComeThroughTheProviderTable() {
        long[] p = connectedPair();
        MemorySegment ov = overlapped(0);
        int[] flags = {0};
        ws2.WSARecv(p[0], new MemorySegment[] {buffer(4)}, null, flags, ov);
        int[] n = {0};
        ws2.WSAGetOverlappedResult(p[0], ov, n, false, flags);
        assertEquals(1, host.baseProvider().upcallCount("lpWSPRecv"));
        assertEquals(1, host.baseProvider().upcallCount("lpWSPGetOverlappedResult"));
    }

    @Test
    void anOverlappedIoctlCompletesAtOnceWithItsNotification() {
        long[] p = connectedPair();
        send(p[1], "abc");
        awaitReadable(p[0], 3);
        long e = event();
        long port = port();
        associate(p[0], port, 11);
        MemorySegment ov = overlapped(e);
        MemorySegment out = arena.allocate(JAVA_INT);
        MemorySegment returned = arena.allocate(JAVA_INT);
        MemorySegment err = arena.allocate(JAVA_INT);
        MemorySegment none = MemorySegment.NULL;
        assertEquals(0, host.baseProvider().WSPIoctl(p[0], io.wsp4j.winsock.Ioctls.FIONREAD, none, 0, out, 4, returned,
                ov, none, none, err));
        assertEquals(3, out.get(JAVA_INT, 0));
        awaitSignalled(e);
        assertEquals(new QueuedCompletion(11, ov.address(), 4, 0), packet(port));
        assertEquals(4, result(p[0], ov));
    }
}
