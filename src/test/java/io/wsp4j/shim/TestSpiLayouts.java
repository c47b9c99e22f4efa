package io.wsp4j.shim;

import static java.lang.foreign.ValueLayout.*;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;

/**
 * The SPI structs the shim's tests touch, as FFM layouts of Windows x64 (SpiLayoutsTest checks them
 * against the Windows SDK). WSPUPCALLTABLE has 15 entries (120 bytes), as in ws2spi.h.
 */
final class TestSpiLayouts {
    private TestSpiLayouts() {}

    static final StructLayout UPCALL_TABLE = MemoryLayout.structLayout(
            ADDRESS.withName("lpWPUCloseEvent"),
            ADDRESS.withName("lpWPUCloseSocketHandle"),
            ADDRESS.withName("lpWPUCreateEvent"),
            ADDRESS.withName("lpWPUCreateSocketHandle"),
            ADDRESS.withName("lpWPUFDIsSet"),
            ADDRESS.withName("lpWPUGetProviderPath"),
            ADDRESS.withName("lpWPUModifyIFSHandle"),
            ADDRESS.withName("lpWPUPostMessage"),
            ADDRESS.withName("lpWPUQueryBlockingCallback"),
            ADDRESS.withName("lpWPUQuerySocketHandleContext"),
            ADDRESS.withName("lpWPUQueueApc"),
            ADDRESS.withName("lpWPUResetEvent"),
            ADDRESS.withName("lpWPUSetEvent"),
            ADDRESS.withName("lpWPUOpenCurrentThread"),
            ADDRESS.withName("lpWPUCloseThread"))
            .withName("WSPUPCALLTABLE");

    static final int UPCALL_TABLE_ENTRIES = UPCALL_TABLE.memberLayouts().size();

    static final int PROC_TABLE_ENTRIES = 30;

    /** WSPPROC_TABLE as a sequence: the shim's tests address its entries by index only. */
    static final SequenceLayout PROC_TABLE = MemoryLayout.sequenceLayout(PROC_TABLE_ENTRIES, ADDRESS).withName("WSPPROC_TABLE");

    static final StructLayout GUID = MemoryLayout.structLayout(
            JAVA_INT.withName("Data1"),
            JAVA_SHORT.withName("Data2"),
            JAVA_SHORT.withName("Data3"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("Data4"))
            .withName("GUID");

    static final StructLayout PROTOCOL_CHAIN = MemoryLayout.structLayout(
            JAVA_INT.withName("ChainLen"),
            MemoryLayout.sequenceLayout(7, JAVA_INT).withName("ChainEntries"))
            .withName("WSAPROTOCOLCHAIN");

    static final StructLayout PROTOCOL_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("dwServiceFlags1"),
            JAVA_INT.withName("dwServiceFlags2"),
            JAVA_INT.withName("dwServiceFlags3"),
            JAVA_INT.withName("dwServiceFlags4"),
            JAVA_INT.withName("dwProviderFlags"),
            GUID.withName("ProviderId"),
            JAVA_INT.withName("dwCatalogEntryId"),
            PROTOCOL_CHAIN.withName("ProtocolChain"),
            JAVA_INT.withName("iVersion"),
            JAVA_INT.withName("iAddressFamily"),
            JAVA_INT.withName("iMaxSockAddr"),
            JAVA_INT.withName("iMinSockAddr"),
            JAVA_INT.withName("iSocketType"),
            JAVA_INT.withName("iProtocol"),
            JAVA_INT.withName("iProtocolMaxOffset"),
            JAVA_INT.withName("iNetworkByteOrder"),
            JAVA_INT.withName("iSecurityScheme"),
            JAVA_INT.withName("dwMessageSize"),
            JAVA_INT.withName("dwProviderReserved"),
            MemoryLayout.sequenceLayout(256, JAVA_CHAR).withName("szProtocol"))
            .withName("WSAPROTOCOL_INFOW");

    static final StructLayout WSP_DATA = MemoryLayout.structLayout(
            JAVA_SHORT.withName("wVersion"),
            JAVA_SHORT.withName("wHighVersion"),
            MemoryLayout.sequenceLayout(256, JAVA_CHAR).withName("szDescription"))
            .withName("WSPDATA");
}
