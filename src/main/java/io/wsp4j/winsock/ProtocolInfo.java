package io.wsp4j.winsock;

import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WinApi;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A WSAPROTOCOL_INFOW catalog entry as a value: what WSCEnumProtocols returns, what WSPStartup
 * receives, what an installer writes with WSCInstallProvider. {@link #read} and {@link #write}
 * convert through the generated layout; nothing else here knows an offset.
 */
public record ProtocolInfo(
        int serviceFlags1, int serviceFlags2, int serviceFlags3, int serviceFlags4,
        int providerFlags,
        UUID providerId,
        int catalogEntryId,
        ProtocolChain protocolChain,
        int version,
        int addressFamily,
        int maxSockAddr,
        int minSockAddr,
        int socketType,
        int protocol,
        int protocolMaxOffset,
        int networkByteOrder,
        int securityScheme,
        int messageSize,
        int providerReserved,
        String protocolName) {

    /** sizeof(WSAPROTOCOL_INFOW): 628 on Windows x64. */
    public static final long BYTE_SIZE = WSAPROTOCOL_INFOW.sizeof();
    /** WSAPROTOCOL_LEN: the longest szProtocol, in UTF-16 units, without its terminating NUL. */
    public static final int MAX_NAME_LENGTH = WinApi.WSAPROTOCOL_LEN();
    /** iNetworkByteOrder's values. */
    public static final int BIGENDIAN = WinApi.BIGENDIAN();
    public static final int LITTLEENDIAN = WinApi.LITTLEENDIAN();
    /** iSecurityScheme of a provider with no security. */
    public static final int SECURITY_PROTOCOL_NONE = WinApi.SECURITY_PROTOCOL_NONE();
    /** szProtocol's array length: MAX_NAME_LENGTH + 1. */
    private static final int NAME_CAPACITY = Math.toIntExact(WSAPROTOCOL_INFOW.szProtocol$dimensions()[0]);

    public ProtocolInfo {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(protocolChain, "protocolChain");
        Objects.requireNonNull(protocolName, "protocolName");
        if (protocolName.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("protocol name longer than " + MAX_NAME_LENGTH + " UTF-16 units: " + protocolName.length());
        }
        if (protocolName.indexOf('\0') >= 0) throw new IllegalArgumentException("protocol name contains NUL");
    }

    /** Reads the WSAPROTOCOL_INFOW at the start of {@code info}. */
    public static ProtocolInfo read(MemorySegment info) {
        return new ProtocolInfo(
                WSAPROTOCOL_INFOW.dwServiceFlags1(info), WSAPROTOCOL_INFOW.dwServiceFlags2(info),
                WSAPROTOCOL_INFOW.dwServiceFlags3(info), WSAPROTOCOL_INFOW.dwServiceFlags4(info),
                WSAPROTOCOL_INFOW.dwProviderFlags(info),
                Guids.read(WSAPROTOCOL_INFOW.ProviderId(info)),
                WSAPROTOCOL_INFOW.dwCatalogEntryId(info),
                ProtocolChain.read(WSAPROTOCOL_INFOW.ProtocolChain(info)),
                WSAPROTOCOL_INFOW.iVersion(info),
                WSAPROTOCOL_INFOW.iAddressFamily(info),
                WSAPROTOCOL_INFOW.iMaxSockAddr(info),
                WSAPROTOCOL_INFOW.iMinSockAddr(info),
                WSAPROTOCOL_INFOW.iSocketType(info),
                WSAPROTOCOL_INFOW.iProtocol(info),
                WSAPROTOCOL_INFOW.iProtocolMaxOffset(info),
                WSAPROTOCOL_INFOW.iNetworkByteOrder(info),
                WSAPROTOCOL_INFOW.iSecurityScheme(info),
                WSAPROTOCOL_INFOW.dwMessageSize(info),
                WSAPROTOCOL_INFOW.dwProviderReserved(info),
                readName(info));
    }

    /** Reads {@code count} consecutive entries, as WSCEnumProtocols leaves them in its buffer. */
    public static List<ProtocolInfo> readArray(MemorySegment buffer, int count) {
        List<ProtocolInfo> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) entries.add(read(WSAPROTOCOL_INFOW.asSlice(buffer, i)));
        return entries;
    }

    /** Writes this entry as a WSAPROTOCOL_INFOW at the start of {@code info} (all of it, szProtocol NUL-padded). */
    public void write(MemorySegment info) {
        WSAPROTOCOL_INFOW.dwServiceFlags1(info, serviceFlags1);
        WSAPROTOCOL_INFOW.dwServiceFlags2(info, serviceFlags2);
        WSAPROTOCOL_INFOW.dwServiceFlags3(info, serviceFlags3);
        WSAPROTOCOL_INFOW.dwServiceFlags4(info, serviceFlags4);
        WSAPROTOCOL_INFOW.dwProviderFlags(info, providerFlags);
        Guids.write(WSAPROTOCOL_INFOW.ProviderId(info), providerId);
        WSAPROTOCOL_INFOW.dwCatalogEntryId(info, catalogEntryId);
        protocolChain.write(WSAPROTOCOL_INFOW.ProtocolChain(info));
        WSAPROTOCOL_INFOW.iVersion(info, version);
        WSAPROTOCOL_INFOW.iAddressFamily(info, addressFamily);
        WSAPROTOCOL_INFOW.iMaxSockAddr(info, maxSockAddr);
        WSAPROTOCOL_INFOW.iMinSockAddr(info, minSockAddr);
        WSAPROTOCOL_INFOW.iSocketType(info, socketType);
        WSAPROTOCOL_INFOW.iProtocol(info, protocol);
        WSAPROTOCOL_INFOW.iProtocolMaxOffset(info, protocolMaxOffset);
        WSAPROTOCOL_INFOW.iNetworkByteOrder(info, networkByteOrder);
        WSAPROTOCOL_INFOW.iSecurityScheme(info, securityScheme);
        WSAPROTOCOL_INFOW.dwMessageSize(info, messageSize);
        WSAPROTOCOL_INFOW.dwProviderReserved(info, providerReserved);
        for (int i = 0; i < NAME_CAPACITY; i++) {
            WSAPROTOCOL_INFOW.szProtocol(info, i, i < protocolName.length() ? (short) protocolName.charAt(i) : 0);
        }
    }

    public ProtocolInfo withProviderId(UUID id) {
        return new ProtocolInfo(serviceFlags1, serviceFlags2, serviceFlags3, serviceFlags4, providerFlags, id,
                catalogEntryId, protocolChain, version, addressFamily, maxSockAddr, minSockAddr, socketType, protocol,
                protocolMaxOffset, networkByteOrder, securityScheme, messageSize, providerReserved, protocolName);
    }

    public ProtocolInfo withFlags(int serviceFlags1, int providerFlags) {
        return new ProtocolInfo(serviceFlags1, serviceFlags2, serviceFlags3, serviceFlags4, providerFlags, providerId,
                catalogEntryId, protocolChain, version, addressFamily, maxSockAddr, minSockAddr, socketType, protocol,
                protocolMaxOffset, networkByteOrder, securityScheme, messageSize, providerReserved, protocolName);
    }

    public ProtocolInfo withCatalogEntryId(int id) {
        return new ProtocolInfo(serviceFlags1, serviceFlags2, serviceFlags3, serviceFlags4, providerFlags, providerId,
                id, protocolChain, version, addressFamily, maxSockAddr, minSockAddr, socketType, protocol,
                protocolMaxOffset, networkByteOrder, securityScheme, messageSize, providerReserved, protocolName);
    }

    public ProtocolInfo withSocket(int socketType, int protocol) {
        return new ProtocolInfo(serviceFlags1, serviceFlags2, serviceFlags3, serviceFlags4, providerFlags, providerId,
                catalogEntryId, protocolChain, version, addressFamily, maxSockAddr, minSockAddr, socketType, protocol,
                protocolMaxOffset, networkByteOrder, securityScheme, messageSize, providerReserved, protocolName);
    }

    public ProtocolInfo withChain(ProtocolChain chain) {
        return new ProtocolInfo(serviceFlags1, serviceFlags2, serviceFlags3, serviceFlags4, providerFlags, providerId,
                catalogEntryId, chain, version, addressFamily, maxSockAddr, minSockAddr, socketType, protocol,
                protocolMaxOffset, networkByteOrder, securityScheme, messageSize, providerReserved, protocolName);
    }

    public ProtocolInfo withProtocolName(String name) {
        return new ProtocolInfo(serviceFlags1, serviceFlags2, serviceFlags3, serviceFlags4, providerFlags, providerId,
                catalogEntryId, protocolChain, version, addressFamily, maxSockAddr, minSockAddr, socketType, protocol,
                protocolMaxOffset, networkByteOrder, securityScheme, messageSize, providerReserved, name);
    }

    /** szProtocol up to its NUL; a malformed entry without one is cut at {@link #MAX_NAME_LENGTH}. */
    private static String readName(MemorySegment info) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < MAX_NAME_LENGTH; i++) {
            char c = (char) WSAPROTOCOL_INFOW.szProtocol(info, i);
            if (c == 0) break;
            name.append(c);
        }
        return name.toString();
    }
}
