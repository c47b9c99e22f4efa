package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsp4j.core.linux.LinuxSockets;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The one conversion of a caller's Windows sockaddr, and the one choice of its error. */
@EnabledOnOs(OS.LINUX)
class SockAddrsTest {

    @Test
    void ipv4AndIpv6CrossWithTheirFamilyRewritten() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment linux = a.allocate(SockAddrs.MAX_SIZE);
            MemorySegment v4 = windows(a, new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 4242));
            assertEquals(SocketAddresses.IPV4_LENGTH, SockAddrs.windowsToLinux(v4, (int) v4.byteSize(), linux));
            assertEquals(LinuxSockets.AF_INET, linux.get(JAVA_SHORT, 0));
            assertEquals(-1, linux.asSlice(2, 14).mismatch(v4.asSlice(2, 14)), "port and address unchanged");

            MemorySegment v6 = windows(a, new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 4242));
            assertEquals(SocketAddresses.IPV6_LENGTH, SockAddrs.windowsToLinux(v6, (int) v6.byteSize(), linux));
            assertEquals(LinuxSockets.AF_INET6, linux.get(JAVA_SHORT, 0));
            assertEquals(-1, linux.asSlice(2, 26).mismatch(v6.asSlice(2, 26)));
        }
    }

    @Test
    void noAddressOrNoRoomForAFamilyIsAFault() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment linux = a.allocate(SockAddrs.MAX_SIZE);
            MemorySegment v4 = windows(a, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
            assertEquals(-WsaErrors.WSAEFAULT, SockAddrs.windowsToLinux(MemorySegment.NULL, 16, linux));
            assertEquals(-WsaErrors.WSAEFAULT, SockAddrs.windowsToLinux(v4, 1, linux));
        }
    }

    @Test
    void anotherFamilyOrTooShortForItsFamilyIsNotSupported() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment linux = a.allocate(SockAddrs.MAX_SIZE);
            MemorySegment v4 = windows(a, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
            assertEquals(-WsaErrors.WSAEAFNOSUPPORT, SockAddrs.windowsToLinux(v4, SocketAddresses.IPV4_LENGTH - 1, linux));
            v4.set(JAVA_SHORT, 0, (short) Ws2Def.AF_UNSPEC);
            assertEquals(-WsaErrors.WSAEAFNOSUPPORT, SockAddrs.windowsToLinux(v4, (int) v4.byteSize(), linux));
        }
    }

    private static MemorySegment windows(Arena a, InetSocketAddress address) {
        MemorySegment s = a.allocate(SocketAddresses.length(address));
        SocketAddresses.write(address, s);
        return s;
    }
}
