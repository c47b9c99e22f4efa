package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A third-party non-IFS LSP for tests, installed into a catalog the way Microsoft's sample installer
 * does it entry by entry (Windows-classic-samples, lsp/install/lspadd.cpp: CreateDummyEntry,
 * InstallNonIfsLspProtocolChains, ReorderCatalog):
 * <ol>
 * <li>a hidden entry copied from the first target: XP1_IFS_HANDLES cleared, iSocketType and iProtocol 0,
 *     PFL_HIDDEN set, PFL_MATCHES_PROTOCOL_ZERO cleared, ChainLen = LAYERED_PROTOCOL, the LSP's name;
 *     its id is read back by its GUID;
 * <li>one chain entry per target, in catalog order, each under a GUID of its own: a copy of the target
 *     named "&lt;name&gt; over [&lt;target&gt;]", XP1_IFS_HANDLES cleared, its chain the target's with the
 *     hidden id inserted first and ChainEntries[1] set to the target's own id
 *     ({@code [hidden, target id, target chain[1..]]}: over another LSP's chain entry, the chain names
 *     that entry, never that LSP's hidden entry);
 * <li>the order rewritten: every entry whose chain holds the hidden id first, then the rest as they were.
 * </ol>
 */
public record ForeignLsp(Bitness catalog, UUID hiddenGuid, List<UUID> chainGuids, String path) {

    public static ForeignLsp install(CatalogWriter c, Bitness b, String name, String path, List<Integer> targetIds) {
        UUID hiddenGuid = UUID.randomUUID();
        CatalogImage now = c.read();
        ProtocolEntry first = now.byId(b, targetIds.getFirst()).orElseThrow();
        ProtocolInfo t = first.info();
        ProtocolInfo dummy = t.withFlags(t.serviceFlags1() & ~Protocols.XP1_IFS_HANDLES,
                        (t.providerFlags() | Protocols.PFL_HIDDEN) & ~Protocols.PFL_MATCHES_PROTOCOL_ZERO)
                .withSocket(0, 0).withChain(ProtocolChain.layered()).withProtocolName(name);
        c.installProvider(b, hiddenGuid, path, List.of(new ProtocolEntry(dummy, path)));

        now = c.read();
        int hiddenId = now.byProvider(b, hiddenGuid).getFirst().info().catalogEntryId();
        List<UUID> chainGuids = new ArrayList<>();
        for (ProtocolEntry target : now.entries(b)) {
            if (!targetIds.contains(target.info().catalogEntryId())) continue;
            ProtocolInfo ti = target.info();
            List<Integer> targetChain = ti.protocolChain().entries(); // a base entry's is its own id
            List<Integer> chain = new ArrayList<>();
            chain.add(hiddenId);
            chain.add(ti.catalogEntryId());
            chain.addAll(targetChain.subList(1, targetChain.size()));
            String entryName = name + " over [" + ti.protocolName() + "]";
            if (entryName.length() > Protocols.WSAPROTOCOL_LEN) entryName = entryName.substring(0, Protocols.WSAPROTOCOL_LEN);
            ProtocolInfo layered = ti.withFlags(ti.serviceFlags1() & ~Protocols.XP1_IFS_HANDLES, ti.providerFlags())
                    .withChain(ProtocolChain.of(chain)).withProtocolName(entryName);
            UUID g = UUID.randomUUID();
            c.installProvider(b, g, path, List.of(new ProtocolEntry(layered, path)));
            chainGuids.add(g);
        }

        now = c.read();
        List<Integer> order = new ArrayList<>();
        for (ProtocolEntry e : now.entries(b)) if (e.isChain() && e.chain().contains(hiddenId)) order.add(e.info().catalogEntryId());
        for (ProtocolEntry e : now.entries(b)) if (!order.contains(e.info().catalogEntryId())) order.add(e.info().catalogEntryId());
        c.writeOrder(b, order);
        return new ForeignLsp(b, hiddenGuid, List.copyOf(chainGuids), path);
    }

    /** Its chain entries now, in catalog order. */
    public List<ProtocolEntry> chains(CatalogImage image) {
        return image.entries(catalog).stream().filter(e -> chainGuids.contains(e.info().providerId())).toList();
    }

    public int hiddenId(CatalogImage image) {
        return image.byProvider(catalog, hiddenGuid).getFirst().info().catalogEntryId();
    }
}
