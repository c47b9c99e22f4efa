package io.wsp4j.provider;

import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.MemorySegment;

/**
 * The native shim's way in: its WSPStartup attaches to (or creates) the JVM and calls
 * {@link #wspStartup} through JNI ({@code (SJJJJ)I}) with its raw arguments; {@code lpUpcallTable}
 * points to the shim's own copy of the by-value WSPUPCALLTABLE.
 */
public final class ShimEntry {
    private static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();

    private ShimEntry() {}

    /** How often the shim called in (tests prove the native path was taken). */
    static int calls() {
        return CALLS.get();
    }

    /** Returns 0 or a WSAE* code, as WSPStartup does; never throws (JNI would have to clear it). */
    public static int wspStartup(short version, long lpWSPData, long lpProtocolInfo, long lpUpcallTable, long lpProcTable) {
        try {
            CALLS.incrementAndGet();
            return LayeredStartup.startup(version, MemorySegment.ofAddress(lpWSPData), MemorySegment.ofAddress(lpProtocolInfo),
                    MemorySegment.ofAddress(lpUpcallTable), MemorySegment.ofAddress(lpProcTable));
        } catch (Throwable t) {
            return WsaErrors.WSAEPROVIDERFAILEDINIT;
        }
    }
}
