package io.wsp4j.provider;

import io.wsp4j.bindings.LPWSPSTARTUP;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * WSPStartup as a C function pointer in this JVM, with the SPI's exact signature (the
 * WSPUPCALLTABLE by value), for hosts that load a Java provider in-process instead of through the
 * native shim (the Linux SPI host registers it under a provider path).
 */
public final class JavaWspStartup {
    private static volatile MemorySegment stub;

    private JavaWspStartup() {}

    /** The upcall stub (created once, in the global arena). */
    public static MemorySegment stub() {
        MemorySegment s = stub;
        if (s == null) {
            synchronized (JavaWspStartup.class) {
                s = stub;
                if (s == null) stub = s = LPWSPSTARTUP.allocate(JavaWspStartup::startup, Arena.global());
            }
        }
        return s;
    }

    private static int startup(short version, MemorySegment lpWSPData, MemorySegment lpProtocolInfo, MemorySegment upcallTable, MemorySegment lpProcTable) {
        try {
            return LayeredStartup.startup(version, lpWSPData, lpProtocolInfo, upcallTable, lpProcTable);
        } catch (Throwable t) { // startup() does not throw; this stays an upcall's last line of defence
            return WsaErrors.WSAEPROVIDERFAILEDINIT;
        }
    }
}
