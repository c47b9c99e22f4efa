package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * What {@code wsp4j verify} looks for, and the fixes {@code wsp4j repair} may apply. A fix is offered
 * only where it cannot make things worse: removing entries that cannot work anyway (a chain whose
 * ids are missing makes every Winsock program fail with WSAEPROVIDERFAILEDINIT), and putting our
 * chains back on top. Everything else is reported for a human.
 */
public final class CatalogChecks {

    public enum Kind { DANGLING_CHAIN, ORPHANED_LAYERED_ENTRY, DUPLICATE_ID, DUPLICATE_GUID, MISSING_DLL, NOT_ON_TOP, CATEGORIES_DIFFER }

    public record Problem(Kind kind, Bitness catalog, int catalogId, String message, Optional<Step> fix) {}

    private CatalogChecks() {}

    /** @param ourProvider when known, also checks that its chains come first */
    public static List<Problem> check(Catalog catalog, CatalogImage image, Optional<UUID> ourProvider) {
        return check(catalog, image, ourProvider, OptionalInt.empty());
    }

    /**
     * @param ourProvider when known, also checks that its chains come first
     * @param ourCategories when known (the manifest's), also checks every entry of ours has exactly these LSP categories
     */
    public static List<Problem> check(Catalog catalog, CatalogImage image, Optional<UUID> ourProvider, OptionalInt ourCategories) {
        List<Problem> out = new ArrayList<>();
        for (Bitness b : Bitness.values()) {
            if (!image.has(b)) continue;
            List<ProtocolEntry> entries = image.entries(b);
            Set<Integer> ids = new HashSet<>();
            Map<Integer, ProtocolEntry> byId = new HashMap<>();
            for (ProtocolEntry e : entries) {
                int id = e.info().catalogEntryId();
                if (!ids.add(id)) {
                    out.add(new Problem(Kind.DUPLICATE_ID, b, id, "catalog id " + id + " is used by more than one entry",
                            Optional.empty()));
                }
                byId.put(id, e);
            }
            danglingChains(image, b, byId, out);
            orphanedLayered(image, b, out);
            duplicateGuids(b, entries, out);
            for (ProtocolEntry e : entries) {
                if (checkable(catalog, e.path()) && !catalog.providerFileExists(e.path())) {
                    out.add(new Problem(Kind.MISSING_DLL, b, e.info().catalogEntryId(), "\"" + e.info().protocolName()
                            + "\" names " + e.path() + ", which does not exist", Optional.empty()));
                }
            }
            ourProvider.ifPresent(g -> notOnTop(image, b, g, out));
            if (ourProvider.isPresent() && ourCategories.isPresent()) categories(image, b, ourProvider.get(), ourCategories.getAsInt(), out);
        }
        return out;
    }

    /** Our hidden entry and chains in one catalog, each with the manifest's categories; one fix sets them all. */
    private static void categories(CatalogImage image, Bitness b, UUID provider, int expected, List<Problem> out) {
        OurEntries ours = OurEntries.find(image, b, provider);
        if (!ours.installed()) return;
        ProtocolEntry hidden = ours.layered().get();
        List<ProtocolEntry> entries = new ArrayList<>(List.of(hidden));
        entries.addAll(ours.chains());
        Step fix = new Step.SetLspCategories(b, hidden.info().providerId(), hidden.info().protocolName(), expected);
        for (ProtocolEntry e : entries) {
            if (e.categories() == expected) continue;
            out.add(new Problem(Kind.CATEGORIES_DIFFER, b, e.info().catalogEntryId(), "\"" + e.info().protocolName() + "\" has the LSP categories "
                    + LspCategory.describe(e.categories()) + "; the manifest says " + LspCategory.describe(expected), Optional.of(fix)));
        }
    }

    private static void danglingChains(CatalogImage image, Bitness b, Map<Integer, ProtocolEntry> byId, List<Problem> out) {
        Map<UUID, List<ProtocolEntry>> broken = new LinkedHashMap<>();
        for (ProtocolEntry e : image.entries(b)) {
            if (!e.isChain()) continue;
            List<Integer> missing = e.chain().stream().filter(id -> !byId.containsKey(id)).toList();
            if (!missing.isEmpty()) broken.computeIfAbsent(e.info().providerId(), k -> new ArrayList<>()).add(e);
        }
        broken.forEach((guid, list) -> {
            boolean wholeProvider = image.byProvider(b, guid).size() == list.size();
            for (ProtocolEntry e : list) {
                String name = e.info().protocolName();
                out.add(new Problem(Kind.DANGLING_CHAIN, b, e.info().catalogEntryId(), "\"" + name + "\" chains through "
                        + e.chain() + ", and some of those ids are not in the catalog",
                        wholeProvider && e == list.getFirst()
                                ? Optional.of(new Step.DeinstallProvider(b, guid, name)) : Optional.empty()));
            }
        });
    }

    private static void orphanedLayered(CatalogImage image, Bitness b, List<Problem> out) {
        for (ProtocolEntry e : image.entries(b)) {
            if (!e.isLayered()) continue;
            ProtocolInfo i = e.info();
            boolean used = image.entries(b).stream().anyMatch(c -> c.isChain() && c.chain().contains(i.catalogEntryId()));
            if (!used) {
                boolean alone = image.byProvider(b, i.providerId()).size() == 1;
                out.add(new Problem(Kind.ORPHANED_LAYERED_ENTRY, b, i.catalogEntryId(), "layered entry \"" + i.protocolName()
                        + "\" is in no protocol chain",
                        alone ? Optional.of(new Step.DeinstallProvider(b, i.providerId(), i.protocolName())) : Optional.empty()));
            }
        }
    }

    /** One GUID under two different DLLs: two providers claim one identity. */
    private static void duplicateGuids(Bitness b, List<ProtocolEntry> entries, List<Problem> out) {
        Map<UUID, String> pathOf = new HashMap<>();
        for (ProtocolEntry e : entries) {
            UUID guid = e.info().providerId();
            String p = pathOf.putIfAbsent(guid, e.path());
            if (p != null && !p.equalsIgnoreCase(e.path())) {
                out.add(new Problem(Kind.DUPLICATE_GUID, b, e.info().catalogEntryId(), "GUID " + Guids.format(guid)
                        + " is used with two DLLs: " + p + " and " + e.path(), Optional.empty()));
            }
        }
    }

    /** Our chains first, or right below the chains of LSPs layered over ours (which must stay above them). */
    private static void notOnTop(CatalogImage image, Bitness b, UUID provider, List<Problem> out) {
        OurEntries ours = OurEntries.find(image, b, provider);
        if (!ours.installed() || ours.chains().isEmpty()) return;
        List<Integer> order = image.order(b);
        Set<Integer> ourIds = new HashSet<>();
        ours.chains().forEach(c -> ourIds.add(c.info().catalogEntryId()));
        Set<Integer> above = new HashSet<>();
        ours.dependants().forEach(d -> above.add(d.info().catalogEntryId()));
        int last = 0;
        for (int i = 0; i < order.size(); i++) if (ourIds.contains(order.get(i))) last = i;
        boolean onTop = order.subList(0, last + 1).stream().allMatch(id -> ourIds.contains(id) || above.contains(id));
        if (!onTop) {
            List<IdRef> fixed = new ArrayList<>();
            order.stream().filter(above::contains).forEach(id -> fixed.add(new IdRef.Existing(id)));
            order.stream().filter(ourIds::contains).forEach(id -> fixed.add(new IdRef.Existing(id)));
            order.stream().filter(id -> !ourIds.contains(id) && !above.contains(id)).forEach(id -> fixed.add(new IdRef.Existing(id)));
            out.add(new Problem(Kind.NOT_ON_TOP, b, ours.chains().getFirst().info().catalogEntryId(), "the chains of "
                    + Guids.format(provider) + " are not first in the " + b.label() + "-bit order, so programs may not"
                    + " use them", Optional.of(new Step.WriteOrder(b, fixed))));
        }
    }

    /** A path can be checked here when it expands to an absolute path of this system. */
    private static boolean checkable(Catalog catalog, String path) {
        if (catalog.requiresProviderFiles()) return true;
        return PathExpander.systemDefault().expandOrEmpty(path).map(p -> java.nio.file.Path.of(p).isAbsolute()
                && !p.contains("\\")).orElse(false);
    }

    /** The repair plan: the safe fixes, in the order found. */
    public static Plan repairPlan(Catalog catalog, CatalogImage before, Optional<UUID> ourProvider) {
        return repairPlan(catalog, before, ourProvider, OptionalInt.empty());
    }

    public static Plan repairPlan(Catalog catalog, CatalogImage before, Optional<UUID> ourProvider, OptionalInt ourCategories) {
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Problem p : check(catalog, before, ourProvider, ourCategories)) {
            if (p.fix().isPresent() && !steps.contains(p.fix().get())) steps.add(p.fix().get());
            else if (p.fix().isEmpty()) notes.add("not repaired (needs a human): " + p.message());
        }
        return new Plan("repair", before, steps, notes);
    }
}
