package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.wsp4j.core.linux.LinuxSockets;
import io.wsp4j.winsock.Ws2Def;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * sockaddr_in and sockaddr_in6: the same layout on Windows and Linux, only the family values differ
 * (AF_INET6 is 23 on Windows, 10 on Linux). Converts between the two and to InetSocketAddress.
 */
public final class SockAddrs {
    private SockAddrs() {}

    /** Ports are in network byte order. */
    private static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"), NET_SHORT.withName("sin_port"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero")).withName("sockaddr_in");

    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin6_family"), NET_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"), MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id")).withName("sockaddr_in6");

    /** Big enough for either (SOCKADDR_STORAGE is larger; these are all the host serves). */
    public static final long MAX_SIZE = SOCKADDR_IN6.byteSize();

    private static final long FAMILY = 0; // sa_family is the first member of every sockaddr
    private static final long PORT4 = Spi.offset(SOCKADDR_IN, "sin_port");
    private static final long ADDR4 = Spi.offset(SOCKADDR_IN, "sin_addr");
    private static final long PORT6 = Spi.offset(SOCKADDR_IN6, "sin6_port");
    private static final long ADDR6 = Spi.offset(SOCKADDR_IN6, "sin6_addr");
    private static final long SCOPE6 = Spi.offset(SOCKADDR_IN6, "sin6_scope_id");

    /** A Windows sockaddr for {@code a}. */
    public static MemorySegment toWindows(InetSocketAddress a, SegmentAllocator alloc) {
        return encode(a, alloc, Ws2Def.AF_INET, Ws2Def.AF_INET6);
    }

    /** A Linux sockaddr for {@code a}. */
    public static MemorySegment toLinux(InetSocketAddress a, SegmentAllocator alloc) {
        return encode(a, alloc, LinuxSockets.AF_INET, LinuxSockets.AF_INET6);
    }

    private static MemorySegment encode(InetSocketAddress a, SegmentAllocator alloc, int af4, int af6) {
        InetAddress ip = a.getAddress();
        if (ip instanceof Inet4Address) {
            MemorySegment s = alloc.allocate(SOCKADDR_IN);
            s.fill((byte) 0);
            s.set(JAVA_SHORT, FAMILY, (short) af4);
            s.set(NET_SHORT, PORT4, (short) a.getPort());
            MemorySegment.copy(MemorySegment.ofArray(ip.getAddress()), 0, s, ADDR4, 4);
            return s;
        }
        MemorySegment s = alloc.allocate(SOCKADDR_IN6);
        s.fill((byte) 0);
        s.set(JAVA_SHORT, FAMILY, (short) af6);
        s.set(NET_SHORT, PORT6, (short) a.getPort());
        MemorySegment.copy(MemorySegment.ofArray(ip.getAddress()), 0, s, ADDR6, 16);
        if (ip instanceof Inet6Address v6) s.set(JAVA_INT, SCOPE6, v6.getScopeId());
        return s;
    }

    /** Decodes a Windows sockaddr of {@code len} bytes; null if it is not IPv4/IPv6 or too short. */
    public static InetSocketAddress fromWindows(MemorySegment s, int len) {
        return decode(s, len, Ws2Def.AF_INET, Ws2Def.AF_INET6);
    }

    /** Decodes a Linux sockaddr of {@code len} bytes; null if it is not IPv4/IPv6 or too short. */
    public static InetSocketAddress fromLinux(MemorySegment s, int len) {
        return decode(s, len, LinuxSockets.AF_INET, LinuxSockets.AF_INET6);
    }

    private static InetSocketAddress decode(MemorySegment s, int len, int af4, int af6) {
        if (len < 2) return null;
        s = s.reinterpret(Math.max(len, 2));
        int family = s.get(JAVA_SHORT, FAMILY);
        try {
            if (family == af4 && len >= SOCKADDR_IN.byteSize()) {
                byte[] ip = s.asSlice(ADDR4, 4).toArray(JAVA_BYTE);
                int port = Short.toUnsignedInt(s.get(NET_SHORT, PORT4));
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == af6 && len >= SOCKADDR_IN6.byteSize()) {
                byte[] ip = s.asSlice(ADDR6, 16).toArray(JAVA_BYTE);
                int port = Short.toUnsignedInt(s.get(NET_SHORT, PORT6));
                int scope = s.get(JAVA_INT, SCOPE6);
                return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port);
            }
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4- and 16-byte addresses
        }
        return null;
    }

    /**
     * Copies a Windows sockaddr into {@code linux} as a Linux sockaddr (only the family changes);
     * returns its length, or -1 if the family is not one the host serves or {@code len} is too short.
     */
    public static int windowsToLinux(MemorySegment win, int len, MemorySegment linux) {
        if (len < 2) return -1;
        win = win.reinterpret(len);
        int family = win.get(JAVA_SHORT, FAMILY);
        int size;
        int linuxFamily;
        if (family == Ws2Def.AF_INET && len >= SOCKADDR_IN.byteSize()) {
            size = (int) SOCKADDR_IN.byteSize();
            linuxFamily = LinuxSockets.AF_INET;
        } else if (family == Ws2Def.AF_INET6 && len >= SOCKADDR_IN6.byteSize()) {
            size = (int) SOCKADDR_IN6.byteSize();
            linuxFamily = LinuxSockets.AF_INET6;
        } else {
            return -1;
        }
        MemorySegment.copy(win, 0, linux, 0, size);
        linux.set(JAVA_SHORT, FAMILY, (short) linuxFamily);
        return size;
    }

    /** Rewrites, in place, the family of a Linux sockaddr to its Windows value; returns its length. */
    public static int linuxToWindowsInPlace(MemorySegment s, int len) {
        if (len < 2) return len;
        s = s.reinterpret(len);
        int family = s.get(JAVA_SHORT, FAMILY);
        if (family == LinuxSockets.AF_INET6) s.set(JAVA_SHORT, FAMILY, (short) Ws2Def.AF_INET6);
        return len;
    }

}
