package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A wsp4j provider's entries in one catalog: its hidden layered entry, the chains whose first link
 * it is, and the chains of other LSPs layered above it (dependants: chains that name any id of ours,
 * the hidden entry's or a chain entry's). The hidden entry has the manifest's providerGuid in each
 * catalog; chain entries are found by their first id, so no state is kept beside the catalog.
 */
public record OurEntries(Bitness catalog, Optional<ProtocolEntry> layered, List<ProtocolEntry> chains,
                         List<ProtocolEntry> dependants) {

    /**
     * Our hidden entry's GUID: the manifest's providerGuid, in each catalog (WSCInstallProviderAndChains64_32
     * installs it under the same GUID in both).
     */
    public static UUID layeredGuid(UUID providerGuid, Bitness b) {
        return providerGuid;
    }

    /** The 32-bit hidden entry's GUID of earlier installs, which installed that catalog entry by entry. */
    static UUID legacyLayeredGuid(UUID providerGuid, Bitness b) {
        return b == Bitness.X64 ? providerGuid : Guids.derive(providerGuid, b.label() + "-bit layered entry");
    }

    public static OurEntries find(CatalogImage image, Bitness b, UUID providerGuid) {
        Optional<ProtocolEntry> layered = image.byProvider(b, layeredGuid(providerGuid, b)).stream().filter(ProtocolEntry::isLayered).findFirst();
        if (layered.isEmpty()) {
            layered = image.byProvider(b, legacyLayeredGuid(providerGuid, b)).stream().filter(ProtocolEntry::isLayered).findFirst();
        }
        List<ProtocolEntry> chains = new ArrayList<>();
        List<ProtocolEntry> dependants = new ArrayList<>();
        if (layered.isPresent()) {
            int id = layered.get().info().catalogEntryId();
            Set<Integer> ours = new HashSet<>(Set.of(id));
            for (ProtocolEntry e : image.entries(b)) {
                if (e.isChain() && e.chain().getFirst() == id) {
                    chains.add(e);
                    ours.add(e.info().catalogEntryId());
                }
            }
            // Microsoft's installer layers over an entry by naming that entry's own id (our chain
            // entry's), so a chain above ours may never name our hidden entry: look for every id.
            for (ProtocolEntry e : image.entries(b)) {
                if (e.isChain() && e.chain().getFirst() != id && e.chain().stream().anyMatch(ours::contains)) dependants.add(e);
            }
        }
        return new OurEntries(b, layered, chains, dependants);
    }

    public boolean installed() {
        return layered.isPresent();
    }

    /** Every catalog id of ours: the hidden entry's and each chain entry's. */
    public Set<Integer> ids() {
        Set<Integer> s = new LinkedHashSet<>();
        layered.ifPresent(l -> s.add(l.info().catalogEntryId()));
        chains.forEach(c -> s.add(c.info().catalogEntryId()));
        return s;
    }

    /** The provider GUIDs of our chain entries, in catalog order. */
    public Set<UUID> chainGuids() {
        Set<UUID> s = new LinkedHashSet<>();
        chains.forEach(c -> s.add(c.info().providerId()));
        return s;
    }
}
