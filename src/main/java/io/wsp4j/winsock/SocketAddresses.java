package io.wsp4j.winsock;

import io.wsp4j.bindings.in6_addr;
import io.wsp4j.bindings.in_addr;
import io.wsp4j.bindings.sockaddr;
import io.wsp4j.bindings.sockaddr_in;
import io.wsp4j.bindings.sockaddr_in6;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Windows sockaddr_in / sockaddr_in6 ↔ {@link InetSocketAddress}. sa_family is a 16-bit host-order
 * (little-endian) field at offset 0 as on Linux, but the values differ ({@link Ws2Def#AF_INET6} is 23 on Windows,
 * 10 on Linux): these are Windows structures only. Ports and IPv4/IPv6 addresses are in network
 * byte order; flow info is carried as 0, the IPv6 scope id both ways.
 */
public final class SocketAddresses {
    /** sizeof(struct sockaddr_in): 16. */
    public static final int IPV4_LENGTH = Math.toIntExact(sockaddr_in.sizeof());
    /** sizeof(struct sockaddr_in6): 28. */
    public static final int IPV6_LENGTH = Math.toIntExact(sockaddr_in6.sizeof());

    private static final ValueLayout.OfShort NETWORK_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long IPV4_ADDRESS_OFFSET = sockaddr_in.sin_addr$offset();
    private static final long IPV4_ADDRESS_LENGTH = in_addr.sizeof();
    private static final long IPV6_ADDRESS_OFFSET = sockaddr_in6.sin6_addr$offset();
    private static final long IPV6_ADDRESS_LENGTH = in6_addr.sizeof();

    private SocketAddresses() {}

    /** The address family of the sockaddr at the start of {@code address} (sa_family). */
    public static int family(MemorySegment address) {
        return Short.toUnsignedInt(sockaddr.sa_family(address));
    }

    /**
     * The IPv4 or IPv6 address in the first {@code length} bytes of {@code address}; empty for another
     * family or a length too short for its family (what a provider answers with WSAEFAULT/WSAEAFNOSUPPORT).
     */
    public static Optional<InetSocketAddress> read(MemorySegment address, int length) {
        if (length < sockaddr.sa_family$offset() + sockaddr.sa_family$layout().byteSize()) return Optional.empty();
        int family = family(address);
        try {
            if (family == Ws2Def.AF_INET && length >= IPV4_LENGTH) {
                byte[] ip = address.asSlice(IPV4_ADDRESS_OFFSET, IPV4_ADDRESS_LENGTH).toArray(ValueLayout.JAVA_BYTE);
                int port = Short.toUnsignedInt(address.get(NETWORK_SHORT, sockaddr_in.sin_port$offset()));
                return Optional.of(new InetSocketAddress(InetAddress.getByAddress(ip), port));
            }
            if (family == Ws2Def.AF_INET6 && length >= IPV6_LENGTH) {
                byte[] ip = address.asSlice(IPV6_ADDRESS_OFFSET, IPV6_ADDRESS_LENGTH).toArray(ValueLayout.JAVA_BYTE);
                int port = Short.toUnsignedInt(address.get(NETWORK_SHORT, sockaddr_in6.sin6_port$offset()));
                int scope = sockaddr_in6.sin6_scope_id(address);
                return Optional.of(new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port));
            }
        } catch (UnknownHostException e) {
            throw new AssertionError("an address of the right length was refused", e); // getByAddress only rejects lengths
        }
        return Optional.empty();
    }

    /** How many bytes {@link #write} needs for {@code address}: {@link #IPV4_LENGTH} or {@link #IPV6_LENGTH}. */
    public static int length(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? IPV4_LENGTH : IPV6_LENGTH;
    }

    /**
     * Writes {@code address} as a Windows sockaddr_in or sockaddr_in6 at the start of {@code target}
     * if it fits, and returns the length it needs (write nothing and compare, like a provider filling
     * a caller's buffer: a result larger than the buffer means WSAEFAULT). Unresolved addresses are
     * rejected: a sockaddr holds an address, not a name.
     */
    public static int write(InetSocketAddress address, MemorySegment target) {
        if (address.isUnresolved()) throw new IllegalArgumentException("unresolved address: " + address);
        int needed = length(address);
        if (target.byteSize() < needed) return needed;
        MemorySegment sa = target.asSlice(0, needed);
        sa.fill((byte) 0);
        InetAddress ip = address.getAddress();
        if (ip instanceof Inet4Address) {
            sockaddr_in.sin_family(sa, (short) Ws2Def.AF_INET);
            sa.set(NETWORK_SHORT, sockaddr_in.sin_port$offset(), (short) address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, IPV4_ADDRESS_OFFSET, ip.getAddress().length);
        } else {
            Inet6Address ip6 = (Inet6Address) ip;
            sockaddr_in6.sin6_family(sa, (short) Ws2Def.AF_INET6);
            sa.set(NETWORK_SHORT, sockaddr_in6.sin6_port$offset(), (short) address.getPort());
            MemorySegment.copy(ip6.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, IPV6_ADDRESS_OFFSET, ip6.getAddress().length);
            sockaddr_in6.sin6_scope_id(sa, ip6.getScopeId());
        }
        return needed;
    }
}
