package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's posts through the WPUPostMessage of an upcall table: arguments passed through as
 * given, the BOOL result as the sink's answer, and no allocation per post. The table's
 * WPUPostMessage is a Java upcall stub (its HWND taken as a 64-bit integer too, so the callee side
 * allocates nothing either).
 */
class UpcallsPostTest {
    private static long lastHWnd;
    private static int lastMsg;
    private static long lastWParam;
    private static long lastLParam;
    private static int answer;
    private static long calls;

    /** The fake WPUPostMessage. Stores only primitives: it must not throw (an upcall). */
    static int postMessage(long hWnd, int wMsg, long wParam, long lParam) {
        lastHWnd = hWnd;
        lastMsg = wMsg;
        lastWParam = wParam;
        lastLParam = lParam;
        calls++;
        return answer;
    }

    private Arena arena;
    private Upcalls upcalls;

    @BeforeEach
    void table() throws Exception {
        arena = Arena.ofConfined();
        MemorySegment post = Linker.nativeLinker().upcallStub(
                MethodHandles.lookup().findStatic(UpcallsPostTest.class, "postMessage",
                        MethodType.methodType(int.class, long.class, int.class, long.class, long.class)),
                Upcalls.POST_MESSAGE, arena);
        MemorySegment table = arena.allocate(WSPUPCALLTABLE.layout());
        WSPUPCALLTABLE.lpWPUPostMessage(table, post);
        // Upcalls requires the three handle upcalls too; this test never calls them.
        WSPUPCALLTABLE.lpWPUCreateSocketHandle(table, post);
        WSPUPCALLTABLE.lpWPUCloseSocketHandle(table, post);
        WSPUPCALLTABLE.lpWPUQuerySocketHandleContext(table, post);
        upcalls = new Upcalls(table);
        answer = 1;
        calls = 0;
    }

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void argumentsReachWpuPostMessageUnchangedAndItsResultIsTheAnswer() {
        long hWnd = 0xFFFF_FFFF_8000_1234L; // every bit of a 64-bit handle matters
        assertTrue(upcalls.post(hWnd, 0x401, 0x2A4, 0x0010_0001L));
        assertEquals(hWnd, lastHWnd);
        assertEquals(0x401, lastMsg);
        assertEquals(0x2A4, lastWParam);
        assertEquals(0x0010_0001L, lastLParam);
        answer = 0; // the window's queue is full
        assertFalse(upcalls.post(0x7000, 0x402, 0x2A8, 0));
        assertEquals(0x7000, lastHWnd);
        assertEquals(2, calls);
    }

    @Test
    void aPostAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes");
        int posts = 200_000;
        for (int i = 0; i < posts; i++) upcalls.post(0x7000 + i, 0x401, i, i); // compiled before measuring
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < posts; i++) upcalls.post(0x7000 + i, 0x401, i, i);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(2L * posts, calls);
        // A segment per post would be tens of bytes each; allow only the measurement's own noise.
        assertTrue(allocated < 1024, allocated + " bytes allocated by " + posts + " posts");
    }
}
