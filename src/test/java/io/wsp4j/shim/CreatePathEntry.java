package io.wsp4j.shim;

import static java.lang.foreign.ValueLayout.*;

import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The Java side of the create path, run in the JVM that the shim creates inside shim_host (a process
 * with no JVM of its own). It has the entry contract's signature and reports what it received by
 * writing it into the proc table, which shim_host prints: the raw pointers, the version, how many
 * times it was called in this JVM, and the upcall table's entries read through the pointer it got.
 * Its lpWSPCleanup entry is a real function, which reports each call through *lpErrno.
 */
public final class CreatePathEntry {
    private CreatePathEntry() {}

    static final int SLOT_WSP_DATA = 0;
    static final int SLOT_PROTOCOL_INFO = 1;
    static final int SLOT_PROC_TABLE = 2;
    static final int SLOT_UPCALL_TABLE = 3;
    static final int SLOT_VERSION = 4;
    /** lpWSPCleanup's own place: this class's cleanup function, as Java put it there. */
    static final int SLOT_CLEANUP = (int) (WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement("lpWSPCleanup")) / ADDRESS.byteSize());
    static final int SLOT_CALLS = 6;
    /** The upcall table's 15 entries follow, in order. */
    static final int SLOT_FIRST_UPCALL = 7;
    /** The address of this class's cleanup function again, where the shim leaves it alone. */
    static final int SLOT_JAVA_CLEANUP = 22;
    /** What the cleanup function writes into *lpErrno: this plus how many times it ran. */
    static final int CLEANUP_MARK = 7000;

    private static int calls;
    private static int cleanups;
    private static MemorySegment cleanupFunction;

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
        put(procTable, SLOT_CLEANUP, cleanupFunction().address());
        put(procTable, SLOT_CALLS, calls);
        int slot = SLOT_FIRST_UPCALL;
        for (MemoryLayout entry : WSPUPCALLTABLE.layout().memberLayouts()) {
            long offset = WSPUPCALLTABLE.layout().byteOffset(PathElement.groupElement(entry.name().orElseThrow()));
            put(procTable, slot++, upcallTable.get(ADDRESS, offset).address());
        }
        put(procTable, SLOT_JAVA_CLEANUP, cleanupFunction().address());
        wspData.set(JAVA_SHORT, WSPData.layout().byteOffset(PathElement.groupElement("wVersion")), version);
        return 0;
    }

    /** WSPCleanup(LPINT lpErrno): reports the call through *lpErrno and succeeds. */
    static synchronized int cleanup(MemorySegment lpErrno) {
        try {
            lpErrno.reinterpret(JAVA_INT.byteSize()).set(JAVA_INT, 0, CLEANUP_MARK + ++cleanups);
            return 0;
        } catch (Throwable t) {
            return -1;
        }
    }

    private static MemorySegment cleanupFunction() {
        if (cleanupFunction == null) {
            try {
                cleanupFunction = Linker.nativeLinker().upcallStub(
                        MethodHandles.lookup().findStatic(CreatePathEntry.class, "cleanup", MethodType.methodType(int.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS), Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return cleanupFunction;
    }

    private static void put(MemorySegment procTable, int slot, long value) {
        procTable.setAtIndex(ADDRESS, slot, MemorySegment.ofAddress(value));
    }
}
