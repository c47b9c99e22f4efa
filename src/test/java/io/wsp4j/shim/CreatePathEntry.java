package io.wsp4j.shim;

import static java.lang.foreign.ValueLayout.*;

import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * The Java side of the create path, run in the JVM that the shim creates inside shim_host (a process
 * with no JVM of its own). It has the entry contract's signature and reports what it received by
 * writing it into the proc table, which shim_host prints: the raw pointers, the version, how many
 * times it was called in this JVM, and the upcall table's entries read through the pointer it got.
 */
public final class CreatePathEntry {
    private CreatePathEntry() {}

    static final int SLOT_WSP_DATA = 0;
    static final int SLOT_PROTOCOL_INFO = 1;
    static final int SLOT_PROC_TABLE = 2;
    static final int SLOT_UPCALL_TABLE = 3;
    static final int SLOT_VERSION = 4;
    static final int SLOT_CALLS = 5;
    /** The upcall table's 15 entries follow, in order. */
    static final int SLOT_FIRST_UPCALL = 6;

    private static int calls;

    public static synchronized int wspStartup(short version, long lpWSPData, long lpProtocolInfo, long lpUpcallTable, long lpProcTable) {
        calls++;
        MemorySegment procTable = MemorySegment.ofAddress(lpProcTable).reinterpret(WSPPROC_TABLE.layout().byteSize());
        MemorySegment upcallTable = MemorySegment.ofAddress(lpUpcallTable).reinterpret(WSPUPCALLTABLE.layout().byteSize());
        MemorySegment wspData = MemorySegment.ofAddress(lpWSPData).reinterpret(WSPData.layout().byteSize());
        put(procTable, SLOT_WSP_DATA, lpWSPData);
        put(procTable, SLOT_PROTOCOL_INFO, lpProtocolInfo);
        put(procTable, SLOT_PROC_TABLE, lpProcTable);
        put(procTable, SLOT_UPCALL_TABLE, lpUpcallTable);
        put(procTable, SLOT_VERSION, version);
        put(procTable, SLOT_CALLS, calls);
        int slot = SLOT_FIRST_UPCALL;
        for (MemoryLayout entry : WSPUPCALLTABLE.layout().memberLayouts()) {
            long offset = WSPUPCALLTABLE.layout().byteOffset(PathElement.groupElement(entry.name().orElseThrow()));
            put(procTable, slot++, upcallTable.get(ADDRESS, offset).address());
        }
        wspData.set(JAVA_SHORT, WSPData.layout().byteOffset(PathElement.groupElement("wVersion")), version);
        return 0;
    }

    private static void put(MemorySegment procTable, int slot, long value) {
        procTable.setAtIndex(ADDRESS, slot, MemorySegment.ofAddress(value));
    }
}
