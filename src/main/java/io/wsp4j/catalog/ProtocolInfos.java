package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolInfo;
import java.util.List;

/**
 * Catalog entries ↔ the WSAPROTOCOL_INFOW view of the bindings: what the Windows catalog writes
 * and reads, and what a host that serves the file catalog to providers hands them. The one difference: the model keeps
 * no chain entries for a base provider (ChainLen 1), whose ChainEntries[0] Windows leaves unspecified;
 * written back, it is the entry's own id.
 */
public final class ProtocolInfos {
    private ProtocolInfos() {}

    public static ProtocolEntry toEntry(ProtocolInfo i, String path) {
        ProtocolChain c = i.protocolChain();
        return new ProtocolEntry(i.catalogEntryId(), i.providerId(), i.protocolName(), path, i.serviceFlags1(),
                i.serviceFlags2(), i.serviceFlags3(), i.serviceFlags4(), i.providerFlags(), c.length(),
                c.isChain() ? c.entries() : List.of(), i.version(), i.addressFamily(), i.maxSockAddr(), i.minSockAddr(),
                i.socketType(), i.protocol(), i.protocolMaxOffset(), i.networkByteOrder(), i.securityScheme(),
                i.messageSize(), i.providerReserved());
    }

    public static ProtocolInfo toInfo(ProtocolEntry e) {
        ProtocolChain chain = e.isLayered() ? ProtocolChain.layered()
                : e.isBase() ? ProtocolChain.base(e.catalogId()) : ProtocolChain.of(e.chain());
        return new ProtocolInfo(e.serviceFlags1(), e.serviceFlags2(), e.serviceFlags3(), e.serviceFlags4(),
                e.providerFlags(), e.providerId(), e.catalogId(), chain, e.version(), e.addressFamily(), e.maxSockAddr(),
                e.minSockAddr(), e.socketType(), e.protocol(), e.protocolMaxOffset(), e.networkByteOrder(),
                e.securityScheme(), e.messageSize(), e.providerReserved(), e.name());
    }
}
