package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The host's format of AcceptEx's address slots (Windows' own is private to mswsock; applications
 * read the slots only through GetAcceptExSockaddrs). After the {@code dwReceiveDataLength} bytes of
 * data, a slot of {@code dwLocalAddressLength} bytes holds the local address and the next one, of
 * {@code dwRemoteAddressLength} bytes, the remote address. A slot is {@link #SLOT}: the length of
 * the address (a 4-byte int), then the Windows sockaddr itself; its remaining bytes are left alone.
 * Windows requires each slot to be at least 16 bytes longer than the family's largest sockaddr; the
 * host's 4-byte header fits in those 16.
 */
final class AcceptExAddresses {
    /** What Windows asks beyond the largest sockaddr of the family. */
    static final int SLOT_RESERVE = 16;

    static final StructLayout SLOT = MemoryLayout.structLayout(
            JAVA_INT_UNALIGNED.withName("length"),
            MemoryLayout.sequenceLayout(SockAddrs.MAX_SIZE, JAVA_BYTE).withName("address"));
    private static final long LENGTH = SLOT.byteOffset(MemoryLayout.PathElement.groupElement("length"));
    private static final long ADDRESS = SLOT.byteOffset(MemoryLayout.PathElement.groupElement("address"));

    private AcceptExAddresses() {}

    /** The smallest slot AcceptEx accepts for sockets of the Windows address family {@code family}. */
    static int minimumSlot(int family) {
        return (family == Ws2Def.AF_INET6 ? SocketAddresses.IPV6_LENGTH : SocketAddresses.IPV4_LENGTH) + SLOT_RESERVE;
    }

    /** Stores the Windows sockaddr {@code address} ({@code length} bytes) in {@code slot}. */
    static void write(MemorySegment slot, MemorySegment address, int length) {
        slot.set(JAVA_INT_UNALIGNED, LENGTH, length);
        MemorySegment.copy(address, 0, slot, ADDRESS, length);
    }

    /** The sockaddr a slot holds: where it starts (inside the slot) ... */
    static MemorySegment address(MemorySegment slot) {
        return slot.asSlice(ADDRESS);
    }

    /** ... and its length. */
    static int length(MemorySegment slot) {
        return slot.get(JAVA_INT_UNALIGNED, LENGTH);
    }
}
