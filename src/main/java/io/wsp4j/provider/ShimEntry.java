package io.wsp4j.provider;

import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.MemorySegment;

/**
 * The native shim's way in: its WSPStartup attaches to (or creates) the JVM and calls
 * {@link #wspStartup} through JNI ({@code (SJJJJ)I}) with its raw arguments; {@code lpUpcallTable}
 * points to the shim's own copy of the by-value WSPUPCALLTABLE.
 *
 * <p>The JVM may be a targeted Java application's own, started without native access for wsp4j: then
 * the first restricted FFM call would print JEP 472's warning on that application's stderr, and no
 * API can grant native access from inside a running JVM without the same warning ({@link NativeAccess}).
 * So this entry checks first and, if it is not granted, starts nothing: the failure goes to the
 * provider's log ({@link ProviderLog}), the shim gets {@code WSAEPROVIDERFAILEDINIT}.
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
            if (!NativeAccess.granted()) {
                ProviderLog.error(NativeAccess.refusal());
                return WsaErrors.WSAEPROVIDERFAILEDINIT;
            }
            return LayeredStartup.startup(version, MemorySegment.ofAddress(lpWSPData), MemorySegment.ofAddress(lpProtocolInfo),
                    MemorySegment.ofAddress(lpUpcallTable), MemorySegment.ofAddress(lpProcTable));
        } catch (Throwable t) {
            return WsaErrors.WSAEPROVIDERFAILEDINIT;
        }
    }
}
