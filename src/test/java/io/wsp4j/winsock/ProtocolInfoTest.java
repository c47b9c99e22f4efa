package io.wsp4j.winsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WinApi;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ProtocolInfoTest {
    /** A TCP/IPv4 base entry as Windows' MSAFD provider reports it. */
    static final ProtocolInfo TCP_BASE = new ProtocolInfo(
            ProtocolFlags.XP1_GUARANTEED_DELIVERY | ProtocolFlags.XP1_GUARANTEED_ORDER | ProtocolFlags.XP1_GRACEFUL_CLOSE
                    | ProtocolFlags.XP1_EXPEDITED_DATA | ProtocolFlags.XP1_IFS_HANDLES,
            0, 0, 0,
            ProtocolFlags.PFL_MATCHES_PROTOCOL_ZERO,
            UUID.fromString("e70f1aa0-ab8b-11cf-8ca3-00805f48a192"),
            1001,
            ProtocolChain.base(1001),
            2, Ws2Def.AF_INET, 16, 16, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP, 0,
            WinApi.BIGENDIAN(), WinApi.SECURITY_PROTOCOL_NONE(), 0, 0,
            "MSAFD Tcpip [TCP/IP]");

    @Test
    void fieldsLandInTheirLayoutFields() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = WSAPROTOCOL_INFOW.allocate(arena);
            TCP_BASE.write(info);
            assertEquals(TCP_BASE.serviceFlags1(), WSAPROTOCOL_INFOW.dwServiceFlags1(info));
            assertEquals(1001, WSAPROTOCOL_INFOW.dwCatalogEntryId(info));
            assertEquals(Ws2Def.AF_INET, WSAPROTOCOL_INFOW.iAddressFamily(info));
            assertEquals(Ws2Def.IPPROTO_TCP, WSAPROTOCOL_INFOW.iProtocol(info));
            byte[] name = WSAPROTOCOL_INFOW.szProtocol(info).asSlice(0, 2L * TCP_BASE.protocolName().length())
                    .toArray(ValueLayout.JAVA_BYTE);
            assertEquals("MSAFD Tcpip [TCP/IP]", new String(name, StandardCharsets.UTF_16LE));
            assertEquals(TCP_BASE.providerId(), Guids.read(WSAPROTOCOL_INFOW.ProviderId(info)));
        }
    }

    @Test
    void writeOverwritesEverything() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dirty = WSAPROTOCOL_INFOW.allocate(arena).fill((byte) 0x5A);
            TCP_BASE.write(dirty);
            MemorySegment clean = WSAPROTOCOL_INFOW.allocate(arena).fill((byte) 0);
            TCP_BASE.write(clean);
            assertEquals(-1L, dirty.mismatch(clean), "write leaves no stale byte (chain entries, name tail)");
        }
    }

    @Test
    void readsAnEnumerationBuffer() {
        List<ProtocolInfo> entries = List.of(TCP_BASE,
                TCP_BASE.withProviderId(UUID.randomUUID()).withChain(ProtocolChain.layered()).withProtocolName("wsp4j layer"),
                TCP_BASE.withChain(ProtocolChain.of(List.of(2001, 1001))).withProtocolName("wsp4j over [TCP/IP]"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = WSAPROTOCOL_INFOW.allocateArray(entries.size(), arena);
            for (int i = 0; i < entries.size(); i++) entries.get(i).write(WSAPROTOCOL_INFOW.asSlice(buffer, i));
            assertEquals(entries, ProtocolInfo.readArray(buffer, entries.size()));
            assertEquals(628L * entries.size(), buffer.byteSize());
        }
    }

    @Test
    void nameLimits() {
        String longest = "x".repeat(ProtocolInfo.MAX_NAME_LENGTH);
        assertEquals(longest, roundTrip(TCP_BASE.withProtocolName(longest)).protocolName());
        assertThrows(IllegalArgumentException.class, () -> TCP_BASE.withProtocolName(longest + "x"));
        assertThrows(IllegalArgumentException.class, () -> TCP_BASE.withProtocolName("a\0b"));
    }

    @Property(tries = 300)
    void roundTrips(@ForAll("entries") ProtocolInfo entry) {
        assertEquals(entry, roundTrip(entry));
    }

    private static ProtocolInfo roundTrip(ProtocolInfo entry) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = WSAPROTOCOL_INFOW.allocate(arena).fill((byte) 0x33);
            entry.write(info);
            return ProtocolInfo.read(info);
        }
    }

    @Provide
    Arbitrary<ProtocolInfo> entries() {
        Arbitrary<Integer> ints = Arbitraries.integers();
        Arbitrary<ProtocolChain> chains = Arbitraries.integers().list().ofMaxSize(ProtocolChain.MAX_LENGTH)
                .map(ProtocolChain::of);
        Arbitrary<String> names = Arbitraries.strings().excludeChars('\0').ofMaxLength(ProtocolInfo.MAX_NAME_LENGTH);
        Arbitrary<UUID> ids = Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()));
        return Combinators.combine(ints.list().ofSize(16), ids, chains, names).as((n, id, chain, name) -> {
            List<Integer> v = new ArrayList<>(n);
            return new ProtocolInfo(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), id, v.get(5), chain,
                    v.get(6), v.get(7), v.get(8), v.get(9), v.get(10), v.get(11), v.get(12), v.get(13), v.get(14),
                    v.get(15), v.get(0) ^ v.get(15), name);
        });
    }
}
