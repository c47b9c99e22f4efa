package io.wsp4j.winsock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings.sockaddr_storage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SocketAddressesTest {
    @Test
    void windowsSizes() {
                assertEquals(16, SocketAddresses.IPV4_LENGTH);
        assertEquals(28, SocketAddresses.IPV6_LENGTH);
    }

    @Test
    void ipv4Bytes() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_storage.allocate(arena).fill((byte) 0x55);
            assertEquals(16, SocketAddresses.write(a, sa));
            // family 2 little-endian, port 8080 = 0x1f90 big-endian, 127.0.0.1, 8 zero bytes
            assertArrayEquals(HexFormat.of().parseHex("0200" + "1f90" + "7f000001" + "0000000000000000"),
                    sa.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(Optional.of(a), SocketAddresses.read(sa, 16));
        }
    }

    @Test
    void ipv6Bytes() throws Exception {
        Inet6Address ip = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 7);
        InetSocketAddress a = new InetSocketAddress(ip, 443);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_storage.allocate(arena).fill((byte) 0x55);
            assertEquals(28, SocketAddresses.write(a, sa));
            assertArrayEquals(HexFormat.of().parseHex("1700" + "01bb" + "00000000"
                            + "fe800000000000000000000000000001" + "07000000"),
                    sa.asSlice(0, 28).toArray(ValueLayout.JAVA_BYTE));
            InetSocketAddress back = SocketAddresses.read(sa, 28).orElseThrow();
            assertEquals(a, back);
            assertEquals(7, ((Inet6Address) back.getAddress()).getScopeId());
        }
    }

    @Test
    void tooSmallBufferGetsTheNeededLengthAndNoBytes() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("::1"), 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(16).fill((byte) 0x55);
            assertEquals(28, SocketAddresses.write(a, small));
            assertTrue(small.elements(ValueLayout.JAVA_BYTE).allMatch(b -> b.get(ValueLayout.JAVA_BYTE, 0) == 0x55));
        }
    }

    @Test
    void otherFamiliesAndShortLengthsAreNotAddresses() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_storage.allocate(arena).fill((byte) 0);
            SocketAddresses.write(new InetSocketAddress(InetAddress.getByName("::1"), 1), sa);
            assertEquals(Optional.empty(), SocketAddresses.read(sa, 27), "sockaddr_in6 cut short");
            sa.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) 10); // Linux AF_INET6 means nothing on Windows
            assertEquals(Optional.empty(), SocketAddresses.read(sa, 28));
            assertEquals(Optional.empty(), SocketAddresses.read(sa, 1));
        }
        assertThrows(IllegalArgumentException.class,
                () -> SocketAddresses.write(InetSocketAddress.createUnresolved("example.org", 80), MemorySegment.NULL));
    }
}
