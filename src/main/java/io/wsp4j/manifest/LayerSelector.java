package io.wsp4j.manifest;

import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.Protocols;
import io.wsp4j.catalog.ProtocolEntry;
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
            of(Protocols.AF_INET, Protocols.SOCK_STREAM, Protocols.IPPROTO_TCP),
            of(Protocols.AF_INET, Protocols.SOCK_DGRAM, Protocols.IPPROTO_UDP),
            of(Protocols.AF_INET, Protocols.SOCK_RAW, Protocols.IPPROTO_IP),
            of(Protocols.AF_INET6, Protocols.SOCK_STREAM, Protocols.IPPROTO_TCP),
            of(Protocols.AF_INET6, Protocols.SOCK_DGRAM, Protocols.IPPROTO_UDP),
            of(Protocols.AF_INET6, Protocols.SOCK_RAW, Protocols.IPPROTO_IP));

    static LayerSelector of(int af, int type, int protocol) {
        return new LayerSelector(af, type, protocol, null);
    }

    public boolean matches(ProtocolEntry e) {
        return (addressFamily == null || addressFamily == e.info().addressFamily())
                && (socketType == null || socketType == e.info().socketType())
                && (protocol == null || protocol == e.info().protocol())
                && (baseProvider == null || baseProvider.equals(e.info().providerId()));
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        if (addressFamily != null) parts.add(Protocols.familyName(addressFamily));
        if (socketType != null) parts.add(Protocols.socketTypeName(socketType));
        if (protocol != null) parts.add("protocol " + Protocols.protocolName(protocol));
        if (baseProvider != null) parts.add("provider " + Guids.format(baseProvider));
        return String.join(" ", parts);
    }
}
