package io.wsp4j.core.windows;

import io.wsp4j.bindings.WAITORTIMERCALLBACK;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The one WAITORTIMERCALLBACK of {@link IocpCompletionPort}: called by a thread-pool wait thread
 * when a watched event is signalled, it turns the signal into a completion by
 * {@code PostQueuedCompletionStatus(port, 0, key, NULL)}. Port and key travel in a small native
 * context, one per watch, whose address is the wait's {@code Context} parameter.
 */
final class WaitCallback {
    /** The context of one watch: which port to post to, with which key. */
    static final StructLayout CONTEXT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("port"),
            ValueLayout.JAVA_LONG.withName("key"));
    private static final VarHandle PORT = CONTEXT.varHandle(MemoryLayout.PathElement.groupElement("port"));
    private static final VarHandle KEY = CONTEXT.varHandle(MemoryLayout.PathElement.groupElement("key"));

    private WaitCallback() {}

    static MemorySegment newContext(SegmentAllocator allocator, MemorySegment port, long key) {
        MemorySegment context = allocator.allocate(CONTEXT);
        PORT.set(context, 0L, port);
        KEY.set(context, 0L, key);
        return context;
    }

    /** The upcall stub, made once per JVM and never freed: a wait may call it until it is unregistered. */
    static MemorySegment stub() {
        return Stub.ADDRESS;
    }

    private static final class Stub {
        static final MemorySegment ADDRESS = WAITORTIMERCALLBACK.allocate(WaitCallback::signalled, Arena.global());
    }

    /**
     * Runs on the wait thread (WT_EXECUTEINWAITTHREAD): short and lock-free, as the docs require of
     * such callbacks. An exception must not escape an upcall (it would end the process): a failed
     * post is reported and otherwise lost, which the port's contract tolerates only as a lost wake-up,
     * so it is printed where an operator sees it.
     */
    private static void signalled(MemorySegment context, byte timedOut) {
        try {
            MemorySegment c = context.reinterpret(CONTEXT.byteSize());
            MemorySegment port = (MemorySegment) PORT.get(c, 0L);
            long key = (long) KEY.get(c, 0L);
            if (!Kernel32.postQueuedCompletionStatus(port, 0, key, MemorySegment.NULL)) {
                System.err.println("wsp4j: PostQueuedCompletionStatus from a wait callback failed: error " + Kernel32.lastError());
            }
        } catch (Throwable t) {
            try {
                t.printStackTrace();
            } catch (Throwable ignored) {
                // nothing left to report with
            }
        }
    }
}
