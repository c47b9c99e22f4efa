package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.winsock.ProtocolInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the Windows catalog writes with WSCInstallProvider and reads back from WSCEnumProtocols:
 * every kind of entry survives the trip through the generated WSAPROTOCOL_INFOW layout unchanged.
 */
class ProtocolInfosTest {
    @Test
    void everyKindOfEntryRoundTripsThroughTheWindowsLayout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(WSAPROTOCOL_INFOW.layout(), 1);
            for (ProtocolEntry e : StockCatalog.image().entries(Bitness.X64)) {
                List<ProtocolEntry> kinds = List.of(e, e.withChain(0, List.of()), e.withChain(3, List.of(1013, 1020, e.catalogId())));
                for (ProtocolEntry x : kinds) {
                    ProtocolInfos.toInfo(x).write(s);
                    assertEquals(x, ProtocolInfos.toEntry(ProtocolInfo.read(s), x.path()), x.name() + " chainLen " + x.chainLen());
                }
            }
        }
    }

    @Test
    void aBaseEntryIsWrittenWithItsOwnIdAsTheOnlyChainEntry() {
        ProtocolEntry tcp = StockCatalog.image().entries(Bitness.X64).getFirst();
        ProtocolInfo info = ProtocolInfos.toInfo(tcp);
        assertEquals(1, info.protocolChain().length());
        assertEquals(List.of(tcp.catalogId()), info.protocolChain().entries());
        assertEquals(StockCatalog.MSAFD_TCPIP, info.providerId());
    }
}
