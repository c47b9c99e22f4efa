package io.wsp4j.manifest;

import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.ProtocolInfo;
import io.wsp4j.winsock.Ws2Def;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Which base entries to layer over: every given criterion must match (null = any). Without a base
 * provider GUID a selector picks the first matching base entry in the provider order, the one
 * {@code socket(af, type, protocol)} gets today (so RSVP's TCP entry is not picked over MSAFD's);
 * with one it picks every matching entry of that provider. The default set
 * is TCP, UDP and RAW over IPv4 and IPv6, as Microsoft's LSP sample advises (an LSP that skips RAW
 * or IPv6 is bypassed by programs that use them).
 */
public record LayerSelector(Integer addressFamily, Integer socketType, Integer protocol, UUID baseProvider) {

    public static final List<LayerSelector> DEFAULTS = List.of(
            of(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP),
            of(Ws2Def.AF_INET, Ws2Def.SOCK_DGRAM, Ws2Def.IPPROTO_UDP),
            of(Ws2Def.AF_INET, Ws2Def.SOCK_RAW, Ws2Def.IPPROTO_IP),
            of(Ws2Def.AF_INET6, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP),
            of(Ws2Def.AF_INET6, Ws2Def.SOCK_DGRAM, Ws2Def.IPPROTO_UDP),
            of(Ws2Def.AF_INET6, Ws2Def.SOCK_RAW, Ws2Def.IPPROTO_IP));

    static LayerSelector of(int af, int type, int protocol) {
        return new LayerSelector(af, type, protocol, null);
    }

    /** Whether a base entry (its WSAPROTOCOL_INFOW) is one to layer over. */
    public boolean matches(ProtocolInfo base) {
        return (addressFamily == null || addressFamily == base.addressFamily())
                && (socketType == null || socketType == base.socketType())
                && (protocol == null || protocol == base.protocol())
                && (baseProvider == null || baseProvider.equals(base.providerId()));
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        if (addressFamily != null) parts.add(Ws2Def.familyName(addressFamily));
        if (socketType != null) parts.add(Ws2Def.socketTypeName(socketType));
        if (protocol != null) parts.add("protocol " + Ws2Def.protocolName(protocol));
        if (baseProvider != null) parts.add("provider " + Guids.format(baseProvider));
        return String.join(" ", parts);
    }
}
