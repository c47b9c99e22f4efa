package io.wsp4j.catalog;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    private final Map<Bitness, List<ProtocolEntry>> entries = new EnumMap<>(Bitness.class);
    private final Map<Bitness, Integer> nextIds = new EnumMap<>(Bitness.class);

    public CatalogModel(CatalogImage image, Map<Bitness, Integer> nextIds) {
        image.catalogs().forEach((b, list) -> {
            entries.put(b, new ArrayList<>(list));
            int maxId = list.stream().mapToInt(x -> x.info().catalogEntryId()).max().orElse(1000);
            this.nextIds.put(b, Math.max(nextIds.getOrDefault(b, 1001), maxId + 1));
        });
    }

    @Override
    public CatalogImage read() {
        return image();
    }

    public CatalogImage image() {
        return new CatalogImage(entries);
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
        for (ProtocolEntry entry : infos) list.add(entry.withProvider(providerId, path).withCatalogId(next++));
        nextIds.put(b, next);
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
            int id = list.get(pos).info().catalogEntryId();
            list.set(pos, infos.get(k).withProvider(providerId, path).withCatalogId(id));
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
