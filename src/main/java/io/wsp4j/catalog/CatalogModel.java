package io.wsp4j.catalog;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.Set;
import java.util.UUID;

/**
 * The WSC* semantics on plain data: what the file catalog stores and what the planner simulates.
 * Ids come from a per-catalog counter that only goes up, as Windows' Next_Catalog_Entry_ID does.
 * Every operation checks its arguments first and changes nothing when it fails.
 */
public final class CatalogModel implements CatalogWriter {
    /** WSAEINVAL: the argument does not fit the catalog. */
    public static final int WSAEINVAL = 10022;
    /** WSAEINVALIDPROVIDER: no such provider. */
    public static final int WSAEINVALIDPROVIDER = 10105;
    /** WSANO_RECOVERY: a nonrecoverable error (e.g. a chain that cannot grow). */
    public static final int WSANO_RECOVERY = 11003;

    private final Map<Bitness, List<ProtocolEntry>> entries = new EnumMap<>(Bitness.class);
    private final Map<Bitness, Integer> nextIds = new EnumMap<>(Bitness.class);
    private final Map<AppId, OptionalInt> applications = new TreeMap<>();

    public CatalogModel(CatalogImage image, Map<Bitness, Integer> nextIds) {
        image.catalogs().forEach((b, list) -> {
            entries.put(b, new ArrayList<>(list));
            int maxId = list.stream().mapToInt(x -> x.info().catalogEntryId()).max().orElse(1000);
            this.nextIds.put(b, Math.max(nextIds.getOrDefault(b, 1001), maxId + 1));
        });
        applications.putAll(image.applications());
    }

    @Override
    public CatalogImage read() {
        return image();
    }

    public CatalogImage image() {
        return new CatalogImage(entries, applications);
    }

    public Map<Bitness, Integer> nextIds() {
        return Map.copyOf(nextIds);
    }

    @Override
    public void installProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> infos) {
        List<ProtocolEntry> list = catalog(b);
        if (infos.isEmpty()) throw new CatalogException("no protocol entries to install", WSAEINVAL);
        if (list.stream().anyMatch(e -> e.info().providerId().equals(providerId))) {
            throw new CatalogException("provider " + Guids.format(providerId) + " is already in the "
                    + b.label() + "-bit catalog", WSAEINVAL);
        }
        for (ProtocolEntry entry : infos) checkChain(b, entry, Set.of());
        int next = nextIds.get(b);
        for (ProtocolEntry entry : infos) list.add(entry.withProvider(providerId, path).withCatalogId(next++).withCategories(0));
        nextIds.put(b, next);
    }

    /**
     * The documented behaviour of WSCInstallProviderAndChains64_32, checked first so that a failure
     * changes nothing: WSAEINVAL for an empty list, a name longer than WSAPROTOCOL_LEN, a provider GUID
     * or LSP name already in a catalog, or a protocol that matches no entry; WSANO_RECOVERY when a
     * chain would exceed MAX_PROTOCOL_CHAIN. Then, in each catalog, the entries Microsoft's sample
     * builds ({@link LspEntries}): the hidden entry (appended) and one chain per protocol, in the order
     * given, moved to the top of the order. Windows assigns the chain entries' GUIDs; the model derives
     * them from {@code providerId} ({@link LspEntries#chainGuid}).
     */
    @Override
    public void installProviderAndChains(UUID providerId, String path64, String path32, String lspName, int serviceFlags,
                                         List<ProtocolEntry> protocols) {
        if (protocols.isEmpty()) throw new CatalogException("no protocols to layer over", WSAEINVAL);
        if (lspName.isEmpty() || lspName.length() > Protocols.WSAPROTOCOL_LEN) {
            throw new CatalogException("the LSP name \"" + lspName + "\" is empty or longer than " + Protocols.WSAPROTOCOL_LEN + " characters", WSAEINVAL);
        }
        Map<Bitness, List<ProtocolEntry>> targets = new EnumMap<>(Bitness.class);
        for (Bitness b : List.of(Bitness.X64, Bitness.X86)) {
            List<ProtocolEntry> list = catalog(b);
            for (ProtocolEntry e : list) {
                if (e.info().providerId().equals(providerId) || e.info().protocolName().equals(lspName)) {
                    throw new CatalogException("provider " + Guids.format(providerId) + " or the name \"" + lspName + "\" is already in the "
                            + b.label() + "-bit catalog (id " + e.info().catalogEntryId() + ")", WSAEINVAL);
                }
            }
            List<ProtocolEntry> picked = new ArrayList<>();
            for (ProtocolEntry p : protocols) {
                ProtocolEntry top = list.stream().filter(e -> !e.isLayered() && !e.isHidden() && e.triple().equals(p.triple()))
                        .findFirst().orElseThrow(() -> new CatalogException("no entry of the " + b.label() + "-bit catalog matches "
                                + p.triple(), WSAEINVAL));
                if (picked.contains(top)) continue; // only the tuple counts: duplicates are ignored
                if (top.info().protocolChain().length() >= Protocols.MAX_PROTOCOL_CHAIN) {
                    throw new CatalogException("the chain of \"" + top.info().protocolName() + "\" is as long as a chain can be", WSANO_RECOVERY);
                }
                picked.add(top);
            }
            targets.put(b, picked);
        }
        for (Bitness b : List.of(Bitness.X64, Bitness.X86)) {
            List<ProtocolEntry> list = catalog(b);
            String path = b == Bitness.X64 ? path64 : path32;
            int next = nextIds.get(b);
            int hiddenId = next++;
            list.add(LspEntries.hidden(lspName, targets.get(b).getFirst(), serviceFlags).withProvider(providerId, path)
                    .withCatalogId(hiddenId).withCategories(0));
            List<ProtocolEntry> chains = new ArrayList<>();
            for (ProtocolEntry t : targets.get(b)) {
                chains.add(LspEntries.chain(lspName, t, hiddenId, serviceFlags)
                        .withProvider(LspEntries.chainGuid(providerId, b, t), path).withCatalogId(next++).withCategories(0));
            }
            nextIds.put(b, next);
            list.addAll(0, chains);
        }
    }

    @Override
    public void writeOrder(Bitness b, List<Integer> order) {
        List<ProtocolEntry> list = catalog(b);
        Set<Integer> ids = new HashSet<>();
        list.forEach(e -> ids.add(e.info().catalogEntryId()));
        if (order.size() != list.size() || !ids.equals(new HashSet<>(order))) {
            throw new CatalogException("the new order " + order + " is not a permutation of the "
                    + b.label() + "-bit catalog's ids " + ids, WSAEINVAL);
        }
        List<ProtocolEntry> reordered = new ArrayList<>();
        for (int id : order) {
            reordered.add(list.stream().filter(e -> e.info().catalogEntryId() == id).findFirst().orElseThrow());
        }
        list.clear();
        list.addAll(reordered);
    }

    @Override
    public void updateProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> infos) {
        List<ProtocolEntry> list = catalog(b);
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).info().providerId().equals(providerId)) positions.add(i);
        }
        if (positions.isEmpty()) {
            throw new CatalogException("provider " + Guids.format(providerId) + " is not in the "
                    + b.label() + "-bit catalog", WSAEINVAL);
        }
        if (positions.size() != infos.size()) {
            throw new CatalogException("provider " + Guids.format(providerId) + " has " + positions.size()
                    + " entries; the update gives " + infos.size(), WSAEINVAL);
        }
        Set<Integer> own = new HashSet<>();
        positions.forEach(p -> own.add(list.get(p).info().catalogEntryId()));
        for (ProtocolEntry entry : infos) checkChain(b, entry, own);
        for (int k = 0; k < positions.size(); k++) {
            int pos = positions.get(k);
            ProtocolEntry was = list.get(pos);
            // WSCUpdateProvider rewrites the protocol information; the provider's categories stay.
            list.set(pos, infos.get(k).withProvider(providerId, path).withCatalogId(was.info().catalogEntryId()).withCategories(was.categories()));
        }
    }

    @Override
    public void deinstallProvider(Bitness b, UUID providerId) {
        List<ProtocolEntry> list = catalog(b);
        if (!list.removeIf(e -> e.info().providerId().equals(providerId))) {
            throw new CatalogException("provider " + Guids.format(providerId) + " is not in the "
                    + b.label() + "-bit catalog", WSAEINVAL);
        }
    }

    /** WSAEINVALIDPROVIDER (10105) when the catalog has no entry of the provider. */
    @Override
    public void setProviderCategories(Bitness b, UUID providerId, int categories) {
        List<ProtocolEntry> list = catalog(b);
        boolean any = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).info().providerId().equals(providerId)) {
                list.set(i, list.get(i).withCategories(categories));
                any = true;
            }
        }
        if (!any) {
            throw new CatalogException("provider " + Guids.format(providerId) + " is not in the " + b.label() + "-bit catalog",
                    WSAEINVALIDPROVIDER);
        }
    }

    @Override
    public OptionalInt applicationCategories(AppId app) {
        return applications.getOrDefault(app, OptionalInt.empty());
    }

    /** Categories add up, as Windows ORs them with those the application has. */
    @Override
    public void setApplicationCategories(AppId app, int permitted) {
        applications.put(app, OptionalInt.of(applicationCategories(app).orElse(0) | permitted));
    }

    private List<ProtocolEntry> catalog(Bitness b) {
        List<ProtocolEntry> list = entries.get(b);
        if (list == null) throw new CatalogException("there is no " + b.label() + "-bit catalog", WSAEINVAL);
        return list;
    }

    /** A chain may name only ids that exist (or are the provider's own, for an update). */
    private void checkChain(Bitness b, ProtocolEntry entry, Set<Integer> own) {
        for (int id : entry.chain()) {
            boolean exists = own.contains(id) || catalog(b).stream().anyMatch(e -> e.info().catalogEntryId() == id);
            if (!exists) {
                throw new CatalogException("protocol chain of \"" + entry.info().protocolName() + "\" names catalog id " + id
                        + ", which is not in the " + b.label() + "-bit catalog", WSAEINVAL);
            }
        }
    }
}
