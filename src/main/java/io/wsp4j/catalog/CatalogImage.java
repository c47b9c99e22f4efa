package io.wsp4j.catalog;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Both catalogs at one moment, each as its entries in provider order (the order WSCEnumProtocols
 * returns them, which is the order ws2_32 searches), and the permitted LSP categories of the
 * applications it knows (see {@link #withApplication}). Immutable.
 */
public record CatalogImage(Map<Bitness, List<ProtocolEntry>> catalogs, Map<AppId, OptionalInt> applications) {

    public CatalogImage {
        EnumMap<Bitness, List<ProtocolEntry>> copy = new EnumMap<>(Bitness.class);
        catalogs.forEach((b, list) -> copy.put(b, List.copyOf(list)));
        catalogs = java.util.Collections.unmodifiableMap(copy);
        applications = java.util.Collections.unmodifiableMap(new TreeMap<>(applications));
    }

    /** Both catalogs, and no application known. */
    public CatalogImage(Map<Bitness, List<ProtocolEntry>> catalogs) {
        this(catalogs, Map.of());
    }

    /**
     * This image, also knowing {@code app}'s permitted categories (empty: not categorized). Windows
     * cannot list the categorized applications, so an image holds those it was asked about; the file
     * catalog's holds all of them.
     */
    public CatalogImage withApplication(AppId app, OptionalInt permitted) {
        Map<AppId, OptionalInt> apps = new TreeMap<>(applications);
        apps.put(app, permitted);
        return new CatalogImage(catalogs, apps);
    }

    /** The same catalogs with no application known. */
    public CatalogImage withoutApplications() {
        return new CatalogImage(catalogs);
    }

    public List<ProtocolEntry> entries(Bitness b) {
        return catalogs.getOrDefault(b, List.of());
    }

    public boolean has(Bitness b) {
        return catalogs.containsKey(b);
    }

    public Optional<ProtocolEntry> byId(Bitness b, int id) {
        return entries(b).stream().filter(e -> e.info().catalogEntryId() == id).findFirst();
    }

    public List<ProtocolEntry> byProvider(Bitness b, UUID providerId) {
        return entries(b).stream().filter(e -> e.info().providerId().equals(providerId)).toList();
    }

    public List<Integer> order(Bitness b) {
        return entries(b).stream().map(x -> x.info().catalogEntryId()).toList();
    }

    /** Every entry of every catalog with this provider GUID, as (catalog, entry). */
    public List<Map.Entry<Bitness, ProtocolEntry>> findProvider(UUID providerId) {
        List<Map.Entry<Bitness, ProtocolEntry>> found = new ArrayList<>();
        catalogs.forEach((b, list) -> list.stream()
                .filter(e -> e.info().providerId().equals(providerId))
                .forEach(e -> found.add(Map.entry(b, e))));
        return found;
    }
}
