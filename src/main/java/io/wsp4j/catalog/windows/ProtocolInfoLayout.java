package io.wsp4j.catalog.windows;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.wsp4j.catalog.Protocols;
import io.wsp4j.catalog.ProtocolEntry;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * WSAPROTOCOL_INFOW and GUID as FFM layouts (winsock2.h, Windows x64: DWORD and int are 4 bytes,
 * WCHAR 2), and the conversion to and from {@link ProtocolEntry}. Offsets come from the layout,
 * never from numbers. Private to the Windows catalog until the generated bindings replace it.
 */
final class ProtocolInfoLayout {
    static final StructLayout GUID = MemoryLayout.structLayout(
            JAVA_INT.withName("Data1"),
            JAVA_SHORT.withName("Data2"),
            JAVA_SHORT.withName("Data3"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("Data4")).withName("GUID");

    static final StructLayout PROTOCOL_CHAIN = MemoryLayout.structLayout(
            JAVA_INT.withName("ChainLen"),
            MemoryLayout.sequenceLayout(Protocols.MAX_PROTOCOL_CHAIN, JAVA_INT).withName("ChainEntries"))
            .withName("WSAPROTOCOLCHAIN");

    static final StructLayout WSAPROTOCOL_INFOW = MemoryLayout.structLayout(
            JAVA_INT.withName("dwServiceFlags1"),
            JAVA_INT.withName("dwServiceFlags2"),
            JAVA_INT.withName("dwServiceFlags3"),
            JAVA_INT.withName("dwServiceFlags4"),
            JAVA_INT.withName("dwProviderFlags"),
            GUID.withName("ProviderId"),
            JAVA_INT.withName("dwCatalogEntryId"),
            PROTOCOL_CHAIN.withName("ProtocolChain"),
            JAVA_INT.withName("iVersion"),
            JAVA_INT.withName("iAddressFamily"),
            JAVA_INT.withName("iMaxSockAddr"),
            JAVA_INT.withName("iMinSockAddr"),
            JAVA_INT.withName("iSocketType"),
            JAVA_INT.withName("iProtocol"),
            JAVA_INT.withName("iProtocolMaxOffset"),
            JAVA_INT.withName("iNetworkByteOrder"),
            JAVA_INT.withName("iSecurityScheme"),
            JAVA_INT.withName("dwMessageSize"),
            JAVA_INT.withName("dwProviderReserved"),
            MemoryLayout.sequenceLayout(Protocols.WSAPROTOCOL_LEN + 1, JAVA_CHAR).withName("szProtocol"))
            .withName("WSAPROTOCOL_INFOW");

    private static final VarHandle SERVICE_FLAGS1 = field("dwServiceFlags1");
    private static final VarHandle SERVICE_FLAGS2 = field("dwServiceFlags2");
    private static final VarHandle SERVICE_FLAGS3 = field("dwServiceFlags3");
    private static final VarHandle SERVICE_FLAGS4 = field("dwServiceFlags4");
    private static final VarHandle PROVIDER_FLAGS = field("dwProviderFlags");
    private static final long PROVIDER_ID = WSAPROTOCOL_INFOW.byteOffset(groupElement("ProviderId"));
    private static final VarHandle CATALOG_ENTRY_ID = field("dwCatalogEntryId");
    private static final VarHandle CHAIN_LEN = WSAPROTOCOL_INFOW.varHandle(groupElement("ProtocolChain"), groupElement("ChainLen"));
    private static final VarHandle CHAIN_ENTRY = WSAPROTOCOL_INFOW.varHandle(groupElement("ProtocolChain"),
            groupElement("ChainEntries"), sequenceElement());
    private static final VarHandle VERSION = field("iVersion");
    private static final VarHandle ADDRESS_FAMILY = field("iAddressFamily");
    private static final VarHandle MAX_SOCKADDR = field("iMaxSockAddr");
    private static final VarHandle MIN_SOCKADDR = field("iMinSockAddr");
    private static final VarHandle SOCKET_TYPE = field("iSocketType");
    private static final VarHandle PROTOCOL = field("iProtocol");
    private static final VarHandle PROTOCOL_MAX_OFFSET = field("iProtocolMaxOffset");
    private static final VarHandle NETWORK_BYTE_ORDER = field("iNetworkByteOrder");
    private static final VarHandle SECURITY_SCHEME = field("iSecurityScheme");
    private static final VarHandle MESSAGE_SIZE = field("dwMessageSize");
    private static final VarHandle PROVIDER_RESERVED = field("dwProviderReserved");
    private static final long SZ_PROTOCOL = WSAPROTOCOL_INFOW.byteOffset(groupElement("szProtocol"));

    private ProtocolInfoLayout() {}

    private static VarHandle field(String name) {
        return WSAPROTOCOL_INFOW.varHandle(groupElement(name));
    }

    /** Reads one WSAPROTOCOL_INFOW; {@code path} comes from WSCGetProviderPath. */
    static ProtocolEntry read(MemorySegment s, String path) {
        int chainLen = (int) CHAIN_LEN.get(s, 0L);
        List<Integer> chain = new ArrayList<>();
        if (chainLen > Protocols.BASE_PROTOCOL) {
            for (int i = 0; i < Math.min(chainLen, Protocols.MAX_PROTOCOL_CHAIN); i++) chain.add((int) CHAIN_ENTRY.get(s, 0L, (long) i));
        }
        return new ProtocolEntry((int) CATALOG_ENTRY_ID.get(s, 0L), readGuid(s.asSlice(PROVIDER_ID, GUID)),
                wideString(s.asSlice(SZ_PROTOCOL, (Protocols.WSAPROTOCOL_LEN + 1) * 2L)), path,
                (int) SERVICE_FLAGS1.get(s, 0L), (int) SERVICE_FLAGS2.get(s, 0L), (int) SERVICE_FLAGS3.get(s, 0L),
                (int) SERVICE_FLAGS4.get(s, 0L), (int) PROVIDER_FLAGS.get(s, 0L), chainLen, chain,
                (int) VERSION.get(s, 0L), (int) ADDRESS_FAMILY.get(s, 0L), (int) MAX_SOCKADDR.get(s, 0L),
                (int) MIN_SOCKADDR.get(s, 0L), (int) SOCKET_TYPE.get(s, 0L), (int) PROTOCOL.get(s, 0L),
                (int) PROTOCOL_MAX_OFFSET.get(s, 0L), (int) NETWORK_BYTE_ORDER.get(s, 0L),
                (int) SECURITY_SCHEME.get(s, 0L), (int) MESSAGE_SIZE.get(s, 0L), (int) PROVIDER_RESERVED.get(s, 0L));
    }

    /** Writes one WSAPROTOCOL_INFOW (the segment is zeroed first: unused chain slots are 0). */
    static void write(MemorySegment s, ProtocolEntry e) {
        s.fill((byte) 0);
        SERVICE_FLAGS1.set(s, 0L, e.serviceFlags1());
        SERVICE_FLAGS2.set(s, 0L, e.serviceFlags2());
        SERVICE_FLAGS3.set(s, 0L, e.serviceFlags3());
        SERVICE_FLAGS4.set(s, 0L, e.serviceFlags4());
        PROVIDER_FLAGS.set(s, 0L, e.providerFlags());
        writeGuid(s.asSlice(PROVIDER_ID, GUID), e.providerId());
        CATALOG_ENTRY_ID.set(s, 0L, e.catalogId());
        CHAIN_LEN.set(s, 0L, e.chainLen());
        for (int i = 0; i < e.chain().size(); i++) CHAIN_ENTRY.set(s, 0L, (long) i, e.chain().get(i));
        VERSION.set(s, 0L, e.version());
        ADDRESS_FAMILY.set(s, 0L, e.addressFamily());
        MAX_SOCKADDR.set(s, 0L, e.maxSockAddr());
        MIN_SOCKADDR.set(s, 0L, e.minSockAddr());
        SOCKET_TYPE.set(s, 0L, e.socketType());
        PROTOCOL.set(s, 0L, e.protocol());
        PROTOCOL_MAX_OFFSET.set(s, 0L, e.protocolMaxOffset());
        NETWORK_BYTE_ORDER.set(s, 0L, e.networkByteOrder());
        SECURITY_SCHEME.set(s, 0L, e.securityScheme());
        MESSAGE_SIZE.set(s, 0L, e.messageSize());
        PROVIDER_RESERVED.set(s, 0L, e.providerReserved());
        char[] name = e.name().toCharArray();
        MemorySegment.copy(name, 0, s, JAVA_CHAR, SZ_PROTOCOL, name.length);
    }

    /** GUID: Data1..3 little-endian integers, Data4 bytes as written; UUID is the big-endian reading. */
    static UUID readGuid(MemorySegment g) {
        ByteBuffer b = g.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long d1 = Integer.toUnsignedLong(b.getInt(0));
        long d2 = Short.toUnsignedLong(b.getShort(4));
        long d3 = Short.toUnsignedLong(b.getShort(6));
        long d4 = g.asSlice(8, 8).asByteBuffer().order(ByteOrder.BIG_ENDIAN).getLong(0);
        return new UUID((d1 << 32) | (d2 << 16) | d3, d4);
    }

    static void writeGuid(MemorySegment g, UUID u) {
        ByteBuffer b = g.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long msb = u.getMostSignificantBits();
        b.putInt(0, (int) (msb >>> 32));
        b.putShort(4, (short) (msb >>> 16));
        b.putShort(6, (short) msb);
        g.asSlice(8, 8).asByteBuffer().order(ByteOrder.BIG_ENDIAN).putLong(0, u.getLeastSignificantBits());
    }

    /** A NUL-terminated UTF-16LE string in a fixed buffer. */
    static String wideString(MemorySegment buf) {
        StringBuilder sb = new StringBuilder();
        for (long i = 0; i < buf.byteSize() / 2; i++) {
            char c = buf.getAtIndex(JAVA_CHAR, i);
            if (c == 0) break;
            sb.append(c);
        }
        return sb.toString();
    }
}
