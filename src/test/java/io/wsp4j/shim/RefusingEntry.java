package io.wsp4j.shim;

import static java.lang.foreign.ValueLayout.ADDRESS;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.MemorySegment;

/**
 * An entry class whose WSPStartup fails the way ShimEntry reports a failed start: it returns a WSAE*
 * code, after writing part of the proc table. The shim must take its fail policy and leave nothing of
 * that half-written table behind.
 */
public final class RefusingEntry {
    private RefusingEntry() {}

    /** Written into the first entries before refusing. */
    static final long HALF_WRITTEN = 0x4841_4c46L;

    public static int wspStartup(short version, long lpWSPData, long lpProtocolInfo, long lpUpcallTable, long lpProcTable) {
        MemorySegment table = MemorySegment.ofAddress(lpProcTable).reinterpret(WSPPROC_TABLE.layout().byteSize());
        for (int i = 0; i < 10; i++) table.setAtIndex(ADDRESS, i, MemorySegment.ofAddress(HALF_WRITTEN + i));
        return WsaErrors.WSAEPROVIDERFAILEDINIT;
    }
}
