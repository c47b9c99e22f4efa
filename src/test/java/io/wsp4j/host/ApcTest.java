package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings.LPWSAUSERAPC;
import io.wsp4j.bindings._WSATHREADID;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** WPUOpenCurrentThread, WPUQueueApc and WPUCloseThread of the host's upcall table, and the alertable wait that runs the APCs. */
@EnabledOnOs(OS.LINUX)
class ApcTest {
    private record Ran(long context, Thread thread) {}

    private final HostEvents events = new HostEvents();
    private final ApcQueues apcs = new ApcQueues(events);
    private final MemorySegment table =
            new HostUpcalls(new Windows(), new SocketHandles(), new Catalog(), events, apcs).table();
    private final Arena arena = Arena.ofShared();
    private final ConcurrentLinkedQueue<Ran> ran = new ConcurrentLinkedQueue<>();
    private final MemorySegment apc = LPWSAUSERAPC.allocate(context -> {
        try {
            ran.add(new Ran(context, Thread.currentThread()));
        } catch (Throwable t) {
            // an upcall must not throw; the test sees the missing call
        }
    }, arena);

    @AfterEach
    void free() {
        apcs.close();
        arena.close();
    }

    private MethodHandle entry(String name) {
        return Native.downcall(table.get(ADDRESS, Spi.offset(Spi.WSPUPCALLTABLE, name)), Spi.upcallDescriptor(name));
    }

    private MemorySegment openCurrentThread() throws Throwable {
        MemorySegment id = _WSATHREADID.allocate(arena);
        MemorySegment err = arena.allocate(JAVA_INT);
        assertEquals(0, (int) entry("lpWPUOpenCurrentThread").invokeExact(id, err));
        assertNotEquals(0L, _WSATHREADID.ThreadHandle(id).address());
        assertEquals(0L, _WSATHREADID.Reserved(id));
        return id;
    }

    private int queueApc(MemorySegment threadId, long context, MemorySegment err) throws Throwable {
        return (int) entry("lpWPUQueueApc").invokeExact(threadId, apc, context, err);
    }

    @Test
    void anApcRunsOnItsThreadInAnAlertableWait() throws Throwable {
        MemorySegment me = openCurrentThread();
        MemorySegment err = arena.allocate(JAVA_INT);
        assertEquals(0, queueApc(me, 41, err));
        assertEquals(0, queueApc(me, 42, err));
        assertEquals(0, apcs.sleep(0, false));
        assertTrue(ran.isEmpty(), "not in a non-alertable wait");
        assertEquals(ApcQueues.WAIT_IO_COMPLETION, apcs.sleep(5_000, true));
        assertEquals(new Ran(41, Thread.currentThread()), ran.poll());
        assertEquals(new Ran(42, Thread.currentThread()), ran.poll());
        assertEquals(0, (int) entry("lpWPUCloseThread").invokeExact(me, err));
    }

    @Test
    void anApcForAnotherThreadDoesNotRunHereAndWakesThatThread() throws Throwable {
        CompletableFuture<MemorySegment> other = new CompletableFuture<>();
        CompletableFuture<Integer> otherWait = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                other.complete(openCurrentThread());
                otherWait.complete(apcs.sleep(-1, true));
            } catch (Throwable e) {
                other.completeExceptionally(e);
                otherWait.completeExceptionally(e);
            }
        });
        MemorySegment err = arena.allocate(JAVA_INT);
        openCurrentThread(); // this thread has a queue too
        assertEquals(0, queueApc(other.get(5, TimeUnit.SECONDS), 7, err));
        assertEquals(ApcQueues.WAIT_IO_COMPLETION, otherWait.get(5, TimeUnit.SECONDS), "the waiting thread woke and ran it");
        assertEquals(0, apcs.sleep(0, true), "nothing ran here");
        assertEquals(new Ran(7, t), ran.poll());
        t.join();
    }

    @Test
    void unknownThreadsAreRefused() throws Throwable {
        MemorySegment stranger = _WSATHREADID.allocate(arena);
        stranger.fill((byte) 0);
        _WSATHREADID.ThreadHandle(stranger, MemorySegment.ofAddress(0x1234));
        MemorySegment err = arena.allocate(JAVA_INT);
        assertEquals(SOCKET_ERROR, queueApc(stranger, 1, err));
        assertEquals(WSAEINVAL, err.get(JAVA_INT, 0));
        err.set(JAVA_INT, 0, 0);
        assertEquals(SOCKET_ERROR, (int) entry("lpWPUCloseThread").invokeExact(stranger, err));
        assertEquals(WSAEINVAL, err.get(JAVA_INT, 0));
        assertTrue(ran.isEmpty());
    }
}
