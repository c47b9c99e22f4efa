package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings._OVERLAPPED;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The host's completion of overlapped requests, through the {@code WPUCompleteOverlappedRequest} export
 * a provider with non-IFS handles finds in {@link HostPlatform#ws2()}: the fields, the event, the
 * packet, the low-order bit of hEvent, and the handles it refuses.
 */
@EnabledOnOs(OS.LINUX)
class OverlappedCompletionTest {
    private final SocketHandles handles = new SocketHandles();
    private final HostEvents events = new HostEvents();
    private final OverlappedCompletion completion = new OverlappedCompletion(handles, events);
    private final MethodHandle complete = Linker.nativeLinker().downcallHandle(
            new HostPlatform(new Catalog(), events, completion, new LastError()).ws2().find("WPUCompleteOverlappedRequest").orElseThrow(),
            Spi.WPUCOMPLETEOVERLAPPEDREQUEST);
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment err = arena.allocate(JAVA_INT);
    private final List<Long> made = new ArrayList<>();
    /** An even event: only it can carry the no-packet flag in its low-order bit, as every Windows handle can. */
    private final long event = events.create();

    @AfterEach
    void free() {
        for (long e : made) events.close(e);
        arena.close();
    }

    private MemorySegment overlapped(long hEvent) {
        MemorySegment ov = _OVERLAPPED.allocate(arena);
        ov.fill((byte) 0);
        _OVERLAPPED.hEvent(ov, MemorySegment.ofAddress(hEvent));
        return ov;
    }

    private int completeRequest(long s, MemorySegment ov, int error, int bytes) throws Throwable {
        return (int) complete.invokeExact(s, ov, error, bytes, err);
    }

    @Test
    void writesTheFieldsLeavesOffsetAloneSignalsAndQueues() throws Throwable {
        long s = handles.create(1001, 42);
        IoCompletionPort port = new IoCompletionPort();
        assertEquals(SocketHandles.Association.ASSOCIATED, handles.associate(s, port, 77));
        MemorySegment ov = overlapped(event);
        _OVERLAPPED.Offset(ov, 0x5151);
        OverlappedCompletion.markPending(ov);
        assertTrue(OverlappedCompletion.isPending(ov));
        assertEquals(0, completeRequest(s, ov, WSAECONNABORTED, 12));
        assertEquals(WSAECONNABORTED, _OVERLAPPED.Internal(ov));
        assertEquals(12, _OVERLAPPED.InternalHigh(ov));
        assertEquals(0x5151, _OVERLAPPED.Offset(ov), "the provider's Offset is untouched");
        assertTrue(events.await(event, 0), "hEvent signalled");
        assertEquals(new QueuedCompletion(77, ov.address(), 12, WSAECONNABORTED), port.take(0));
    }

    @Test
    void lowOrderBitSuppressesThePacketNotTheEvent() throws Throwable {
        long s = handles.create(1001, 0);
        IoCompletionPort port = new IoCompletionPort();
        handles.associate(s, port, 1);
        MemorySegment ov = overlapped(event | 1);
        assertEquals(0, completeRequest(s, ov, 0, 3));
        assertTrue(events.await(event, 0));
        assertNull(port.take(0));
    }

    @Test
    void noEventNoPortStillWritesTheFields() throws Throwable {
        long s = handles.create(1001, 0);
        MemorySegment ov = overlapped(0);
        OverlappedCompletion.markPending(ov);
        assertEquals(0, completeRequest(s, ov, 0, 9));
        assertFalse(OverlappedCompletion.isPending(ov));
        assertEquals(9, OverlappedCompletion.bytes(ov));
        assertFalse(events.await(event, 0));
    }

    @Test
    void refusesIfsAndUnknownHandles() throws Throwable {
        long ifs = handles.modifyIfs(1001, 17);
        for (long s : new long[] {ifs, 0x4444_4444L}) {
            MemorySegment ov = overlapped(event);
            err.set(JAVA_INT, 0, 0);
            assertEquals(SOCKET_ERROR, completeRequest(s, ov, 0, 5));
            assertEquals(WSAEINVAL, err.get(JAVA_INT, 0));
            assertEquals(0, _OVERLAPPED.InternalHigh(ov));
            assertFalse(events.await(event, 0), "nothing signalled");
        }
    }

    @Test
    void aHandleIsAssociatedOnce() {
        long s = handles.create(1001, 0);
        assertEquals(SocketHandles.Association.ASSOCIATED, handles.associate(s, new IoCompletionPort(), 1));
        assertEquals(SocketHandles.Association.ALREADY_ASSOCIATED, handles.associate(s, new IoCompletionPort(), 2));
        assertEquals(SocketHandles.Association.NO_SUCH_HANDLE, handles.associate(0x4444_4444L, new IoCompletionPort(), 3));
    }

    @Test
    void everyHostEventHandleLeavesTheLowOrderBitFreeForTheFlag() {
        for (int i = 0; i < 16; i++) {
            long e = events.create();
            made.add(e);
            assertEquals(0, e & 3, "a multiple of 4, like a Windows handle: " + e);
        }
    }
}
