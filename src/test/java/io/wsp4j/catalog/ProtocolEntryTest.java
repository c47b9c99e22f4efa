package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.winsock.Bitness;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the Windows catalog writes with WSCInstallProvider and reads back from WSCEnumProtocols:
 * every kind of entry survives the trip through the generated WSAPROTOCOL_INFOW layout unchanged.
 */
class ProtocolEntryTest {
    @Test
    void everyKindOfEntryRoundTripsThroughTheWindowsLayout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(WSAPROTOCOL_INFOW.layout(), 1);
            for (ProtocolEntry e : StockCatalog.image().entries(Bitness.X64)) {
                List<ProtocolEntry> kinds = List.of(e, e.withChain(ProtocolChain.layered()),
                        e.withChain(ProtocolChain.of(List.of(1013, 1020, e.info().catalogEntryId()))));
                for (ProtocolEntry x : kinds) {
                    x.info().write(s);
                    assertEquals(x, new ProtocolEntry(ProtocolInfo.read(s), x.path()),
                            x.info().protocolName() + " chainLen " + x.info().protocolChain().length());
                }
            }
        }
    }

    @Test
    void aBaseEntryIsWrittenWithItsOwnIdAsTheOnlyChainEntry() {
        ProtocolEntry tcp = StockCatalog.image().entries(Bitness.X64).getFirst();
        assertTrue(tcp.isBase());
        assertEquals(List.of(), tcp.chain());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(WSAPROTOCOL_INFOW.layout(), 1);
            tcp.info().write(s);
            MemorySegment chain = WSAPROTOCOL_INFOW.ProtocolChain(s);
            assertEquals(1, WSAPROTOCOLCHAIN.ChainLen(chain));
            assertEquals(tcp.info().catalogEntryId(), WSAPROTOCOLCHAIN.ChainEntries(chain, 0));
            assertEquals(StockCatalog.MSAFD_TCPIP, Guids.parse(Guids.format(ProtocolInfo.read(s).providerId())));
        }
    }

    /** Windows leaves a base provider's ChainEntries[0] unspecified: whatever it holds, the entry is the same. */
    @Test
    void aBaseEntryReadFromWindowsEqualsTheSameEntryReadFromAFile() {
        ProtocolEntry tcp = StockCatalog.image().entries(Bitness.X64).getFirst();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(WSAPROTOCOL_INFOW.layout(), 1);
            tcp.info().write(s);
            WSAPROTOCOLCHAIN.ChainEntries(WSAPROTOCOL_INFOW.ProtocolChain(s), 0, 0x7777);
            ProtocolEntry read = new ProtocolEntry(ProtocolInfo.read(s), tcp.path());
            assertEquals(tcp, read);
            assertEquals(ProtocolChain.base(tcp.info().catalogEntryId()), read.info().protocolChain());
        }
    }

    @Test
    void aBaseEntryRenumberedKeepsItsOwnIdInItsChain() {
        ProtocolEntry tcp = StockCatalog.image().entries(Bitness.X64).getFirst();
        ProtocolEntry moved = tcp.withCatalogId(2001);
        assertEquals(2001, moved.info().catalogEntryId());
        assertEquals(ProtocolChain.base(2001), moved.info().protocolChain());
        assertEquals(tcp, moved.withCatalogId(tcp.info().catalogEntryId()));
    }
}
