package io.wsp4j.catalog.windows;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.StockCatalog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The private WSAPROTOCOL_INFOW layout against the facts of the Windows x64 headers (sizeof 628,
 * the GUID's mixed-endian bytes), and a lossless round trip of catalog entries through it.
 */
class ProtocolInfoLayoutTest {
    @Test
    void sizesAndOffsetsMatchWinsock2H() {
        assertEquals(628, ProtocolInfoLayout.WSAPROTOCOL_INFOW.byteSize());
        assertEquals(16, ProtocolInfoLayout.GUID.byteSize());
        assertEquals(32, ProtocolInfoLayout.PROTOCOL_CHAIN.byteSize());
        assertEquals(20, ProtocolInfoLayout.WSAPROTOCOL_INFOW.byteOffset(PathElement.groupElement("ProviderId")));
        assertEquals(116, ProtocolInfoLayout.WSAPROTOCOL_INFOW.byteOffset(PathElement.groupElement("szProtocol")));
    }

    @Test
    void guidBytesAreTheWindowsLayout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = arena.allocate(ProtocolInfoLayout.GUID);
            ProtocolInfoLayout.writeGuid(g, StockCatalog.MSAFD_TCPIP); // {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}
            assertEquals("a01a0fe78babcf118ca300805f48a192", HexFormat.of().formatHex(g.toArray(ValueLayout.JAVA_BYTE)));
            assertEquals(StockCatalog.MSAFD_TCPIP, ProtocolInfoLayout.readGuid(g));
        }
    }

    @Test
    void entriesRoundTrip() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ProtocolInfoLayout.WSAPROTOCOL_INFOW);
            for (ProtocolEntry e : StockCatalog.image().entries(io.wsp4j.catalog.Bitness.X64)) {
                ProtocolEntry chained = e.withChain(3, List.of(1013, 1020, e.catalogId()));
                for (ProtocolEntry x : List.of(e, chained, e.withChain(0, List.of()))) {
                    ProtocolInfoLayout.write(s, x);
                    assertEquals(x, ProtocolInfoLayout.read(s, x.path()), Guids.format(x.providerId()) + " " + x.name());
                }
            }
        }
    }
}
