package io.wsp4j.winsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolChainTest {
    @Test
    void kinds() {
        assertTrue(ProtocolChain.layered().isLayered());
        assertEquals(0, ProtocolChain.layered().length());
        assertTrue(ProtocolChain.base(1001).isBase());
        assertTrue(ProtocolChain.of(List.of(3, 2, 1001)).isChain());
        assertEquals(7, ProtocolChain.MAX_LENGTH);
    }

    @Test
    void writesLengthEntriesAndZeroesTheRest() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chain = WSAPROTOCOLCHAIN.allocate(arena).fill((byte) 0x7F);
            ProtocolChain.of(List.of(2001, 1001)).write(chain);
            assertEquals(2, WSAPROTOCOLCHAIN.ChainLen(chain));
            assertEquals(2001, WSAPROTOCOLCHAIN.ChainEntries(chain, 0));
            assertEquals(1001, WSAPROTOCOLCHAIN.ChainEntries(chain, 1));
            for (int i = 2; i < ProtocolChain.MAX_LENGTH; i++) assertEquals(0, WSAPROTOCOLCHAIN.ChainEntries(chain, i));
            assertEquals(ProtocolChain.of(List.of(2001, 1001)), ProtocolChain.read(chain));
        }
    }

    @Test
    void rejectsImpossibleLengths() {
        assertThrows(IllegalArgumentException.class, () -> ProtocolChain.of(List.of(1, 2, 3, 4, 5, 6, 7, 8)));
        assertThrows(IllegalArgumentException.class, () -> new ProtocolChain(2, List.of(1)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chain = WSAPROTOCOLCHAIN.allocate(arena).fill((byte) 0);
            WSAPROTOCOLCHAIN.ChainLen(chain, 8);
            assertThrows(IllegalArgumentException.class, () -> ProtocolChain.read(chain));
        }
    }
}
