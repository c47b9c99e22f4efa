package io.wsp4j.catalog;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One Winsock catalog entry: the fields of WSAPROTOCOL_INFOW plus the provider DLL path
 * (WSCGetProviderPath; unexpanded, e.g. {@code %SystemRoot%\system32\mswsock.dll}).
 *
 * <p>{@code chainLen} keeps Winsock's meaning: {@link Protocols#LAYERED_PROTOCOL} for a layered
 * provider's hidden entry, {@link Protocols#BASE_PROTOCOL} for a base provider, more for a protocol
 * chain whose {@code chain} lists the catalog ids from the top layer down to the base provider.
 */
public record ProtocolEntry(
        int catalogId,
        UUID providerId,
        String name,
        String path,
        int serviceFlags1,
        int serviceFlags2,
        int serviceFlags3,
        int serviceFlags4,
        int providerFlags,
        int chainLen,
        List<Integer> chain,
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
        int providerReserved) {

    public ProtocolEntry {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        chain = List.copyOf(chain);
        if (chainLen < 0 || chainLen > Protocols.MAX_PROTOCOL_CHAIN) {
            throw new IllegalArgumentException("ChainLen " + chainLen + " outside 0.." + Protocols.MAX_PROTOCOL_CHAIN);
        }
        if (chainLen > Protocols.BASE_PROTOCOL ? chain.size() != chainLen : !chain.isEmpty()) {
            throw new IllegalArgumentException("ChainLen " + chainLen + " with " + chain.size() + " chain entries");
        }
        if (name.length() > Protocols.WSAPROTOCOL_LEN) {
            throw new IllegalArgumentException("szProtocol longer than " + Protocols.WSAPROTOCOL_LEN + " characters: " + name);
        }
    }

    public boolean isLayered() {
        return chainLen == Protocols.LAYERED_PROTOCOL;
    }

    public boolean isBase() {
        return chainLen == Protocols.BASE_PROTOCOL;
    }

    public boolean isChain() {
        return chainLen > Protocols.BASE_PROTOCOL;
    }

    public boolean isHidden() {
        return (providerFlags & Protocols.PFL_HIDDEN) != 0;
    }

    public ProtocolEntry withCatalogId(int id) {
        return new ProtocolEntry(id, providerId, name, path, serviceFlags1, serviceFlags2, serviceFlags3,
                serviceFlags4, providerFlags, chainLen, chain, version, addressFamily, maxSockAddr, minSockAddr,
                socketType, protocol, protocolMaxOffset, networkByteOrder, securityScheme, messageSize,
                providerReserved);
    }

    public ProtocolEntry withChain(int newChainLen, List<Integer> newChain) {
        return new ProtocolEntry(catalogId, providerId, name, path, serviceFlags1, serviceFlags2, serviceFlags3,
                serviceFlags4, providerFlags, newChainLen, newChain, version, addressFamily, maxSockAddr,
                minSockAddr, socketType, protocol, protocolMaxOffset, networkByteOrder, securityScheme,
                messageSize, providerReserved);
    }

    public ProtocolEntry withIdentity(UUID newProviderId, String newName, String newPath) {
        return new ProtocolEntry(catalogId, newProviderId, newName, newPath, serviceFlags1, serviceFlags2,
                serviceFlags3, serviceFlags4, providerFlags, chainLen, chain, version, addressFamily, maxSockAddr,
                minSockAddr, socketType, protocol, protocolMaxOffset, networkByteOrder, securityScheme,
                messageSize, providerReserved);
    }

    public ProtocolEntry withFlags(int newServiceFlags1, int newProviderFlags) {
        return new ProtocolEntry(catalogId, providerId, name, path, newServiceFlags1, serviceFlags2,
                serviceFlags3, serviceFlags4, newProviderFlags, chainLen, chain, version, addressFamily,
                maxSockAddr, minSockAddr, socketType, protocol, protocolMaxOffset, networkByteOrder,
                securityScheme, messageSize, providerReserved);
    }

    public ProtocolEntry withSocket(int newSocketType, int newProtocol) {
        return new ProtocolEntry(catalogId, providerId, name, path, serviceFlags1, serviceFlags2, serviceFlags3,
                serviceFlags4, providerFlags, chainLen, chain, version, addressFamily, maxSockAddr, minSockAddr,
                newSocketType, newProtocol, protocolMaxOffset, networkByteOrder, securityScheme, messageSize,
                providerReserved);
    }

    /** "AF_INET/SOCK_STREAM/IPPROTO_TCP". */
    public String triple() {
        return Protocols.familyName(addressFamily) + "/" + Protocols.socketTypeName(socketType) + "/"
                + Protocols.protocolName(protocol);
    }
}
