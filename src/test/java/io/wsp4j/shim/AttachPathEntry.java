package io.wsp4j.shim;

import static java.lang.foreign.ValueLayout.*;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java side of the attach path: called by the shim inside the JVM that runs the tests. It records
 * what it got in static fields, which the test reads back: seeing them at all proves the shim used
 * this JVM (and this class loader) rather than creating another.
 */
public final class AttachPathEntry {
    private AttachPathEntry() {}

    /** Written into the proc table's first entry, so the caller can see its table was filled by Java. */
    static final long MARKER = 0x4a41564aL;

    record Call(Thread thread, short version, long wspData, long protocolInfo, long upcallTable, long procTable, List<Long> upcalls) {}

    private static final List<Call> calls = new ArrayList<>();

    public static synchronized int wspStartup(short version, long lpWSPData, long lpProtocolInfo, long lpUpcallTable, long lpProcTable) {
        MemorySegment upcallTable = MemorySegment.ofAddress(lpUpcallTable).reinterpret(WSPUPCALLTABLE.layout().byteSize());
        List<Long> upcalls = new ArrayList<>();
        for (MemoryLayout entry : WSPUPCALLTABLE.layout().memberLayouts()) {
            long offset = WSPUPCALLTABLE.layout().byteOffset(PathElement.groupElement(entry.name().orElseThrow()));
            upcalls.add(upcallTable.get(ADDRESS, offset).address());
        }
        calls.add(new Call(Thread.currentThread(), version, lpWSPData, lpProtocolInfo, lpUpcallTable, lpProcTable, List.copyOf(upcalls)));
        MemorySegment procTable = MemorySegment.ofAddress(lpProcTable).reinterpret(WSPPROC_TABLE.layout().byteSize());
        procTable.setAtIndex(ADDRESS, 0, MemorySegment.ofAddress(MARKER));
        // The shim refuses a table without WSPCleanup (it wraps that entry); never called here.
        procTable.set(ADDRESS, WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement("lpWSPCleanup")), MemorySegment.ofAddress(MARKER + 5));
        return 0;
    }

    static synchronized List<Call> takeCalls() {
        List<Call> taken = List.copyOf(calls);
        calls.clear();
        return taken;
    }
}
