package io.wsp4j.provider;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.bindings.sockaddr_in;
import io.wsp4j.bindings.sockaddr_in6;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Windows sockaddr_in / sockaddr_in6 (ports and addresses in network byte order) as the peer a hook sees. */
final class PeerAddresses {
    private PeerAddresses() {}

    /** The address in {@code name} ({@code length} bytes), or null if it is not a complete IPv4/IPv6 address. */
    static InetSocketAddress parse(MemorySegment name, int length) {
        if (name.address() == 0 || length < 2) return null;
        MemorySegment sa = name.reinterpret(length);
        int family = Short.toUnsignedInt(sa.get(ValueLayout.JAVA_SHORT, 0)); // sa_family: first 16 bits of every sockaddr
        try {
            if (family == WinApi.AF_INET() && length >= sockaddr_in.sizeof()) {
                byte[] ip = sa.asSlice(sockaddr_in.sin_addr$offset(), 4).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port(sockaddr_in.sin_port(sa)));
            }
            if (family == WinApi.AF_INET6() && length >= sockaddr_in6.sizeof()) {
                byte[] ip = sa.asSlice(sockaddr_in6.sin6_addr$offset(), 16).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port(sockaddr_in6.sin6_port(sa)));
            }
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
        return null;
    }

    private static int port(short networkOrder) {
        return Short.toUnsignedInt(Short.reverseBytes(networkOrder)); // the layout reads little-endian
    }
}
