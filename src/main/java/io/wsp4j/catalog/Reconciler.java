package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolChain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Brings a catalog that only offers the WSC* operations back to an image: the way the Windows
 * catalog rolls back, since the system catalog cannot be overwritten wholesale. Providers are
 * matched by GUID and entries by their rank within the provider (WSC assigns ascending ids), so
 * re-created entries may get new ids; every chain is rewritten to the ids they got. Idempotent: run
 * again after a crash, it continues where it stopped.
 */
public final class Reconciler {
    private Reconciler() {}

    public static void restore(CatalogWriter c, CatalogImage image) {
        for (Bitness b : Bitness.values()) {
            if (image.has(b)) restore(c, image, b);
        }
    }

    private static void restore(CatalogWriter c, CatalogImage image, Bitness b) {
        Map<UUID, List<ProtocolEntry>> want = byProvider(image.entries(b));

        // 1. Remove providers the image does not have: chains first, so no step leaves a chain to a removed layer.
        Map<UUID, List<ProtocolEntry>> have = byProvider(c.read().entries(b));
        List<UUID> extra = have.keySet().stream().filter(g -> !want.containsKey(g))
                .sorted(Comparator.comparing((UUID g) -> !have.get(g).getFirst().isChain())).toList();
        for (UUID g : extra) c.deinstallProvider(b, g);

        // 2. Re-create missing providers: layered and base entries first, then chains (which name them).
        have.clear();
        have.putAll(byProvider(c.read().entries(b)));
        List<UUID> missing = want.keySet().stream().filter(g -> !have.containsKey(g))
                .sorted(Comparator.comparing((UUID g) -> want.get(g).getFirst().isChain())).toList();
        for (UUID g : missing) {
            List<ProtocolEntry> entries = mapChains(want.get(g), image, c.read(), b);
            c.installProvider(b, g, entries.getFirst().path(), entries);
        }

        // 3. Providers present in both whose entries differ (e.g. chains rewritten by --force): update in place.
        CatalogImage now = c.read();
        for (var e : want.entrySet()) {
            List<ProtocolEntry> current = now.byProvider(b, e.getKey());
            List<ProtocolEntry> target = mapChains(e.getValue(), image, now, b);
            if (current.size() != target.size()) {
                c.deinstallProvider(b, e.getKey());
                c.installProvider(b, e.getKey(), target.getFirst().path(), target);
            } else if (!sameIgnoringIds(sortById(current), target)) {
                c.updateProvider(b, e.getKey(), target.getFirst().path(), target);
            }
        }

        // 4. The order, by the ids entries have now.
        now = c.read();
        Map<Integer, Integer> ids = idMap(image, now, b);
        List<Integer> order = image.order(b).stream().map(ids::get).toList();
        if (!order.equals(now.order(b))) c.writeOrder(b, order);
    }

    private static Map<UUID, List<ProtocolEntry>> byProvider(List<ProtocolEntry> entries) {
        Map<UUID, List<ProtocolEntry>> m = new LinkedHashMap<>();
        for (ProtocolEntry e : sortById(entries)) m.computeIfAbsent(e.info().providerId(), k -> new ArrayList<>()).add(e);
        return m;
    }

    private static List<ProtocolEntry> sortById(List<ProtocolEntry> entries) {
        return entries.stream().sorted(Comparator.comparingInt(x -> x.info().catalogEntryId())).toList();
    }

    /** Image id → current id, by (GUID, rank within the provider). */
    private static Map<Integer, Integer> idMap(CatalogImage image, CatalogImage now, Bitness b) {
        Map<Integer, Integer> m = new HashMap<>();
        Map<UUID, List<ProtocolEntry>> cur = byProvider(now.entries(b));
        byProvider(image.entries(b)).forEach((g, list) -> {
            List<ProtocolEntry> c = cur.getOrDefault(g, List.of());
            for (int i = 0; i < list.size() && i < c.size(); i++) m.put(list.get(i).info().catalogEntryId(), c.get(i).info().catalogEntryId());
        });
        return m;
    }

    private static List<ProtocolEntry> mapChains(List<ProtocolEntry> entries, CatalogImage image, CatalogImage now, Bitness b) {
        Map<Integer, Integer> ids = idMap(image, now, b);
        List<ProtocolEntry> out = new ArrayList<>();
        for (ProtocolEntry e : entries) {
            if (!e.isChain()) {
                out.add(e);
                continue;
            }
            List<Integer> chain = new ArrayList<>();
            for (int id : e.chain()) {
                Integer mapped = ids.get(id);
                if (mapped == null) {
                    throw new CatalogException("cannot restore \"" + e.info().protocolName() + "\": its chain names id " + id
                            + ", which neither exists nor was re-created");
                }
                chain.add(mapped);
            }
            out.add(e.withChain(ProtocolChain.of(chain)));
        }
        return out;
    }

    private static boolean sameIgnoringIds(List<ProtocolEntry> a, List<ProtocolEntry> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Objects.equals(a.get(i).withCatalogId(0), b.get(i).withCatalogId(0))) return false;
        }
        return true;
    }
}
