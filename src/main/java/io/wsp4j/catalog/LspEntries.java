package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How a layered provider's catalog entries are built, after Microsoft's LSP sample (lspadd.cpp:
 * CreateDummyEntry, InstallNonIfsLspProtocolChains), for the installer's own WSCInstallProvider path
 * and for the model of WSCInstallProviderAndChains64_32, which builds the same entries in Windows.
 */
public final class LspEntries {
    private LspEntries() {}

    /**
     * The hidden layered entry: a copy of the first target with iSocketType and iProtocol 0, PFL_HIDDEN
     * set, PFL_MATCHES_PROTOCOL_ZERO cleared, ChainLen = LAYERED_PROTOCOL, the LSP's name, and
     * XP1_IFS_HANDLES only if {@code serviceFlags} has it (a non-IFS provider: 0).
     */
    public static ProtocolEntry hidden(String lspName, ProtocolEntry first, int serviceFlags) {
        ProtocolInfo t = first.info();
        return first.withInfo(t.withProtocolName(lspName)
                .withSocket(0, 0)
                .withFlags((t.serviceFlags1() & ~Protocols.XP1_IFS_HANDLES) | (serviceFlags & Protocols.XP1_IFS_HANDLES),
                        (t.providerFlags() | Protocols.PFL_HIDDEN) & ~Protocols.PFL_MATCHES_PROTOCOL_ZERO)
                .withChain(ProtocolChain.layered())
                .withCatalogEntryId(0));
    }

    /**
     * A chain entry over {@code target}: a copy of it named "&lt;name&gt; over [&lt;target&gt;]" (cut to
     * WSAPROTOCOL_LEN), XP1_IFS_HANDLES as {@code serviceFlags} says, and the chain {@code [hidden id,
     * target id, target chain[1..]]}: the second id is always the target's own, a base entry or another
     * LSP's chain entry (never that LSP's hidden entry).
     */
    public static ProtocolEntry chain(String lspName, ProtocolEntry target, int hiddenId, int serviceFlags) {
        ProtocolInfo t = target.info();
        String name = lspName + " over [" + t.protocolName() + "]";
        if (name.length() > Protocols.WSAPROTOCOL_LEN) name = name.substring(0, Protocols.WSAPROTOCOL_LEN);
        return target.withInfo(t.withProtocolName(name)
                .withFlags((t.serviceFlags1() & ~Protocols.XP1_IFS_HANDLES) | (serviceFlags & Protocols.XP1_IFS_HANDLES), t.providerFlags())
                .withChain(ProtocolChain.of(chainOver(hiddenId, target)))
                .withCatalogEntryId(0));
    }

    /** {@code [hidden id, target id, target chain[1..]]}. */
    public static List<Integer> chainOver(int hiddenId, ProtocolEntry target) {
        List<Integer> below = target.info().protocolChain().entries(); // a base entry's is its own id
        List<Integer> chain = new ArrayList<>();
        chain.add(hiddenId);
        chain.add(target.info().catalogEntryId());
        if (!below.isEmpty()) chain.addAll(below.subList(1, below.size()));
        return chain;
    }

    /**
     * The GUID of our chain entry over {@code target} in catalog {@code b}: name-based, from the
     * provider's GUID, so the same manifest always yields the same chain GUIDs and an uninstall finds
     * them again. The model of WSCInstallProviderAndChains64_32 gives its chain entries these GUIDs too
     * (Windows assigns them itself; nothing but verification depends on their values).
     */
    public static UUID chainGuid(UUID providerGuid, Bitness b, ProtocolEntry target) {
        ProtocolInfo t = target.info();
        return Guids.derive(providerGuid, b.label() + "-bit chain over " + Guids.format(t.providerId()) + " "
                + t.addressFamily() + "/" + t.socketType() + "/" + t.protocol());
    }
}
