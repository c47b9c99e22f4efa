package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolChain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
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
        if (!c.installsInto32BitAlone() && image.has(Bitness.X86) && image.has(Bitness.X64)) recreatePairs(c, image);
        for (Bitness b : Bitness.values()) {
            if (image.has(b)) restore(c, image, b);
        }
        applications(c, image);
    }

    /**
     * The applications the image knows get their permitted categories back. WSCSetApplicationCategory
     * only adds categories, so one added since cannot be taken back: that is said, not hidden.
     */
    private static void applications(CatalogWriter c, CatalogImage image) {
        image.applications().forEach((app, want) -> {
            OptionalInt have = c.applicationCategories(app);
            if (have.equals(want)) return;
            int extra = have.orElse(0) & ~want.orElse(0);
            if (want.isEmpty() || extra != 0) {
                throw new CatalogException("cannot take back what application " + app + " was permitted ("
                        + (want.isEmpty() ? "it was not categorized" : "it permitted " + LspCategory.describe(want.getAsInt()))
                        + ", now " + LspCategory.describe(have.orElse(0)) + "): WSCSetApplicationCategory only adds"
                        + " categories and Windows has no call that removes them");
            }
            c.setApplicationCategories(app, want.getAsInt());
        });
    }

    /** Each provider gets the image's LSP categories back (re-created entries have none). */
    private static void categories(CatalogWriter c, CatalogImage image, Bitness b) {
        CatalogImage now = c.read();
        for (var e : byProvider(image.entries(b)).entrySet()) {
            int want = e.getValue().getFirst().categories();
            List<ProtocolEntry> current = now.byProvider(b, e.getKey());
            if (!current.isEmpty() && current.stream().anyMatch(x -> x.categories() != want)) c.setProviderCategories(b, e.getKey(), want);
        }
    }

    /**
     * Where 32-bit entries cannot be installed alone (a 64-bit process on Windows), an LSP the image has
     * in both catalogs and that is missing entries in the 32-bit one now is put back as a whole: what is
     * left of it in either catalog is removed (chains first), then one WSCInstallProviderAndChains64_32
     * re-creates it with its two DLL paths and its protocols. The steps after this one then find it
     * present and bring its fields, the chains above it and the order back to the image.
     */
    private static void recreatePairs(CatalogWriter c, CatalogImage image) {
        for (ProtocolEntry hidden32 : image.entries(Bitness.X86)) {
            if (!hidden32.isLayered()) continue;
            UUID g = hidden32.info().providerId();
            List<ProtocolEntry> chains32 = chainsOf(image, Bitness.X86, hidden32);
            CatalogImage now = c.read();
            boolean complete = !now.byProvider(Bitness.X86, g).isEmpty()
                    && chains32.stream().allMatch(x -> !now.byProvider(Bitness.X86, x.info().providerId()).isEmpty());
            if (complete) continue;
            String name = hidden32.info().protocolName();
            ProtocolEntry hidden64 = image.byProvider(Bitness.X64, g).stream().filter(ProtocolEntry::isLayered).findFirst()
                    .orElseThrow(() -> new CatalogException("cannot re-create the 32-bit entries of \"" + name + "\" " + Guids.format(g)
                            + ": a 64-bit process installs into the 32-bit catalog only together with the 64-bit one, and it has no"
                            + " 64-bit layered entry to re-create with them"));
            List<ProtocolEntry> chains64 = chainsOf(image, Bitness.X64, hidden64);
            if (!chains32.stream().map(ProtocolEntry::triple).toList().equals(chains64.stream().map(ProtocolEntry::triple).toList())) {
                throw new CatalogException("cannot re-create the 32-bit entries of \"" + name + "\" " + Guids.format(g)
                        + ": its chains in the two catalogs layer over different protocols, and WSCInstallProviderAndChains64_32"
                        + " makes the same ones in both");
            }
            for (Bitness b : List.of(Bitness.X64, Bitness.X86)) {
                CatalogImage current = c.read();
                Set<UUID> left = new LinkedHashSet<>();
                current.byProvider(b, g).stream().filter(ProtocolEntry::isLayered).findFirst().ifPresent(h ->
                        chainsOf(current, b, h).forEach(x -> left.add(x.info().providerId())));
                (b == Bitness.X64 ? chains64 : chains32).forEach(x -> {
                    if (!current.byProvider(b, x.info().providerId()).isEmpty()) left.add(x.info().providerId());
                });
                for (UUID chain : left) c.deinstallProvider(b, chain);
                if (!current.byProvider(b, g).isEmpty()) c.deinstallProvider(b, g);
                // The call layers over the top-most entry of each protocol: put the ones it layered over first.
                CatalogImage after = c.read();
                Map<Integer, Integer> ids = idMap(image, after, b);
                List<Integer> order = new ArrayList<>();
                for (ProtocolEntry x : b == Bitness.X64 ? chains64 : chains32) {
                    Integer below = ids.get(x.chain().get(1));
                    if (below == null) {
                        throw new CatalogException("cannot re-create \"" + x.info().protocolName() + "\": the entry it layered over ("
                                + b.label() + "-bit id " + x.chain().get(1) + ") is gone");
                    }
                    if (!order.contains(below)) order.add(below);
                }
                after.order(b).stream().filter(id -> !order.contains(id)).forEach(order::add);
                if (!order.equals(after.order(b))) c.writeOrder(b, order);
            }
            c.installProviderAndChains(g, hidden64.path(), hidden32.path(), name,
                    hidden32.info().serviceFlags1() & Protocols.XP1_IFS_HANDLES, chains32);
        }
    }

    /** The chain entries whose first id is {@code hidden}'s, by id (the order they were installed in). */
    private static List<ProtocolEntry> chainsOf(CatalogImage image, Bitness b, ProtocolEntry hidden) {
        int id = hidden.info().catalogEntryId();
        return sortById(image.entries(b).stream().filter(e -> e.isChain() && e.chain().getFirst() == id).toList());
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

        // 4. LSP categories.
        categories(c, image, b);

        // 5. The order, by the ids entries have now.
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
            if (!Objects.equals(a.get(i).withCatalogId(0).withCategories(0), b.get(i).withCatalogId(0).withCategories(0))) return false;
        }
        return true;
    }
}
