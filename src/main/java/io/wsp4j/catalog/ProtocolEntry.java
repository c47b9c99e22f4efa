package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolInfo;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One installed Winsock catalog entry: its WSAPROTOCOL_INFOW and the path of its provider's DLL
 * (WSCGetProviderPath; unexpanded, e.g. {@code %SystemRoot%\system32\mswsock.dll}), which Windows
 * keeps beside the entry, per provider GUID.
 *
 * <p>Windows leaves a base provider's ChainEntries[0] unspecified; an entry holds it as the entry's
 * own id, which is what the installer writes back, so the same entry read from Windows and from a
 * file is equal.
 *
 * @param categories the LSP categories of the entry's provider (WSCGetProviderInfo with
 *                   ProviderInfoLspCategories, see {@link LspCategory}); 0 when none are set
 */
public record ProtocolEntry(ProtocolInfo info, String path, int categories) {

    public ProtocolEntry {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(path, "path");
        if (info.protocolChain().isBase()) info = info.withChain(ProtocolChain.base(info.catalogEntryId()));
    }

    /** An entry with no LSP categories (as every entry is when installed). */
    public ProtocolEntry(ProtocolInfo info, String path) {
        this(info, path, 0);
    }

    public boolean isLayered() {
        return info.protocolChain().isLayered();
    }

    public boolean isBase() {
        return info.protocolChain().isBase();
    }

    public boolean isChain() {
        return info.protocolChain().isChain();
    }

    public boolean isHidden() {
        return (info.providerFlags() & Protocols.PFL_HIDDEN) != 0;
    }

    /** The catalog ids of a protocol chain, top layer first; none for a layered or a base entry. */
    public List<Integer> chain() {
        return isChain() ? info.protocolChain().entries() : List.of();
    }

    public ProtocolEntry withInfo(ProtocolInfo newInfo) {
        return new ProtocolEntry(newInfo, path, categories);
    }

    public ProtocolEntry withCategories(int newCategories) {
        return new ProtocolEntry(info, path, newCategories);
    }

    public ProtocolEntry withCatalogId(int id) {
        return withInfo(info.withCatalogEntryId(id));
    }

    public ProtocolEntry withChain(ProtocolChain chain) {
        return withInfo(info.withChain(chain));
    }

    /** This entry as a provider installs it: under the provider's GUID, with the provider's DLL. */
    public ProtocolEntry withProvider(UUID providerId, String providerPath) {
        return new ProtocolEntry(info.withProviderId(providerId), providerPath, categories);
    }

    /** "AF_INET/SOCK_STREAM/IPPROTO_TCP". */
    public String triple() {
        return Protocols.familyName(info.addressFamily()) + "/" + Protocols.socketTypeName(info.socketType()) + "/"
                + Protocols.protocolName(info.protocol());
    }
}
