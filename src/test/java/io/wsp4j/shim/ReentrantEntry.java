package io.wsp4j.shim;

import static java.lang.foreign.ValueLayout.*;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * An entry class that calls the shim's WSPStartup again from inside its own, on the same thread, as a
 * JVM making Winsock calls while it starts would: the shim must pass that call through to the lower
 * provider instead of calling Java again.
 */
public final class ReentrantEntry {
    private ReentrantEntry() {}

    record Outcome(int calls, int nestedStatus, long nestedFirstEntry, Throwable nestedFailure) {}

    /** The shim's WSPStartup, set by the test before it calls the shim. */
    static volatile MethodHandle shimStartup;

    private static int calls;
    private static Outcome outcome;

    public static synchronized int wspStartup(short version, long lpWSPData, long lpProtocolInfo, long lpUpcallTable, long lpProcTable) {
        if (++calls > 1) return 0; // re-entered: the guard failed; stop here, the test sees calls == 2
        int nestedStatus = -1;
        long nestedFirstEntry = 0;
        Throwable nestedFailure = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nestedTable = arena.allocate(WSPPROC_TABLE.layout());
            nestedStatus = (int) shimStartup.invokeExact(version, MemorySegment.ofAddress(lpWSPData),
                    MemorySegment.ofAddress(lpProtocolInfo),
                    MemorySegment.ofAddress(lpUpcallTable).reinterpret(WSPUPCALLTABLE.layout().byteSize()), nestedTable);
            nestedFirstEntry = nestedTable.getAtIndex(ADDRESS, 0).address();
        } catch (Throwable t) {
            nestedFailure = t;
        }
        outcome = new Outcome(calls, nestedStatus, nestedFirstEntry, nestedFailure);
        // The shim refuses a table without WSPCleanup (it wraps that entry); never called here.
        MemorySegment.ofAddress(lpProcTable).reinterpret(WSPPROC_TABLE.layout().byteSize())
                .set(ADDRESS, WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement("lpWSPCleanup")), MemorySegment.ofAddress(0x5245_454eL));
        return 0;
    }

    static synchronized Outcome takeOutcome() {
        Outcome taken = new Outcome(calls, outcome == null ? -1 : outcome.nestedStatus(),
                outcome == null ? 0 : outcome.nestedFirstEntry(), outcome == null ? null : outcome.nestedFailure());
        calls = 0;
        outcome = null;
        return taken;
    }
}
