package io.wsp4j.selftest;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogChecks;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.OurEntries;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.manifest.ProviderManifest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the catalog must show right after the install, read by a new process: in each catalog the
 * manifest names, our hidden layered entry present and hidden, our chains first in the provider
 * order, every entry of ours naming that catalog's shim (the 32-bit catalog the 32-bit one); in a
 * catalog it does not name, nothing of ours; and none of the problems {@code wsp4j verify} looks for.
 */
public final class CatalogExpectations {
    /** What was seen (for the report) and what is wrong (empty: as expected). */
    public record Findings(List<String> seen, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final ProviderManifest manifest;
    private final PathExpander expander;
    private final boolean windowsPaths;
    private final Set<Bitness> loadedHere;

    /**
     * @param windowsPaths compare paths as Windows does (case-insensitive, either slash)
     * @param loadedHere   the catalogs whose DLLs processes of this platform load: a missing DLL
     *                     elsewhere (the 32-bit shim in the Linux host's file catalog) is noted, not failed
     */
    public CatalogExpectations(ProviderManifest manifest, PathExpander expander, boolean windowsPaths, Set<Bitness> loadedHere) {
        this.manifest = manifest;
        this.expander = expander;
        this.windowsPaths = windowsPaths;
        this.loadedHere = Set.copyOf(loadedHere);
    }

    public Findings check(Catalog catalog, CatalogImage image) {
        List<String> seen = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Bitness b : Bitness.values()) {
            if (!image.has(b)) continue;
            OurEntries ours = OurEntries.find(image, b, manifest.providerGuid());
            String cat = b.label() + "-bit catalog";
            if (!manifest.catalogs().contains(b)) {
                if (ours.installed()) problems.add(cat + ": the manifest does not name it, yet our layered entry is there");
                else seen.add(cat + ": not named by the manifest; nothing of ours there");
                continue;
            }
            if (ours.layered().isEmpty()) {
                problems.add(cat + ": no layered entry of " + Guids.format(OurEntries.layeredGuid(manifest.providerGuid(), b)));
                continue;
            }
            ProtocolEntry layered = ours.layered().get();
            String shim = manifest.shimPathFor(b);
            if (!layered.isHidden()) problems.add(cat + ": our layered entry (id " + id(layered) + ") is not hidden (PFL_HIDDEN)");
            if (!samePath(layered.path(), shim)) {
                problems.add(cat + ": our layered entry (id " + id(layered) + ") names " + layered.path() + ", expected " + shim);
            }
            if (ours.chains().isEmpty()) {
                problems.add(cat + ": our layered entry (id " + id(layered) + ") is in no chain");
                continue;
            }
            Set<Integer> chainIds = new HashSet<>();
            for (ProtocolEntry c : ours.chains()) {
                chainIds.add(id(c));
                if (!samePath(c.path(), shim)) {
                    problems.add(cat + ": chain \"" + c.info().protocolName() + "\" (id " + id(c) + ") names " + c.path() + ", expected " + shim);
                }
            }
            List<Integer> first = image.order(b).subList(0, Math.min(chainIds.size(), image.order(b).size()));
            if (!chainIds.equals(new HashSet<>(first))) {
                problems.add(cat + ": our chains " + sorted(chainIds) + " are not first in the provider order, which starts " + first);
            }
            seen.add(cat + ": hidden layered entry id " + id(layered) + ", chains " + sorted(chainIds)
                    + " first in the order, each naming " + shim);
        }
        for (CatalogChecks.Problem p : CatalogChecks.check(catalog, image, Optional.of(manifest.providerGuid()))) {
            String line = p.catalog().label() + "-bit id " + p.catalogId() + ": " + p.message();
            if (p.kind() == CatalogChecks.Kind.MISSING_DLL && !loadedHere.contains(p.catalog())) {
                seen.add(line + " (no process here loads the " + p.catalog().label() + "-bit catalog: not a failure here)");
            } else {
                problems.add(line);
            }
        }
        return new Findings(seen, problems);
    }

    private boolean samePath(String actual, String expected) {
        String a = normal(expander.expandOrEmpty(actual).orElse(actual));
        String e = normal(expander.expandOrEmpty(expected).orElse(expected));
        return windowsPaths ? a.equalsIgnoreCase(e) : a.equals(e);
    }

    private String normal(String path) {
        return windowsPaths ? path.replace('/', '\\').toLowerCase(Locale.ROOT) : path;
    }

    private static int id(ProtocolEntry e) {
        return e.info().catalogEntryId();
    }

    private static List<Integer> sorted(Set<Integer> ids) {
        return ids.stream().sorted().toList();
    }
}
