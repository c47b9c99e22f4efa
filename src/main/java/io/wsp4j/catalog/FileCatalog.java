package io.wsp4j.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A catalog kept in a directory: {@code catalog.json} (both catalogs' entries in provider order),
 * {@code applications.json} (the applications' permitted LSP categories, when any is categorized),
 * {@code next-ids.json} (the id counters, kept apart like Windows' Next_Catalog_Entry_ID so that an
 * install followed by an uninstall leaves catalog.json byte-identical while ids are never reused),
 * the writer lock, the journal, snapshots and the shim config. Seeded with {@link StockCatalog} on
 * first use. Every write is atomic.
 */
public final class FileCatalog implements Catalog {
    public static final String CATALOG_FILE = "catalog.json";
    public static final String NEXT_IDS_FILE = "next-ids.json";
    public static final String SHIM_CONFIG_FILE = "shim.conf";
    /** The permitted LSP categories of applications, by path (WSCSetApplicationCategory's store). */
    public static final String APPLICATIONS_FILE = "applications.json";

    private final Path dir;

    private FileCatalog(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Opens the catalog in {@code dir}, creating and seeding it when there is none. */
    public static FileCatalog open(Path dir) {
        FileCatalog c = new FileCatalog(dir);
        c.seedIfAbsent();
        return c;
    }

    /** $WSP4J_HOME, else $XDG_STATE_HOME/wsp4j, else ~/.local/state/wsp4j. */
    public static Path defaultDirectory(Map<String, String> env) {
        String home = env.get("WSP4J_HOME");
        if (home != null && !home.isBlank()) return Path.of(home);
        String state = env.get("XDG_STATE_HOME");
        if (state != null && !state.isBlank()) return Path.of(state, "wsp4j");
        return Path.of(System.getProperty("user.home"), ".local", "state", "wsp4j");
    }

    @Override
    public String describe() {
        return "file catalog " + dir;
    }

    @Override
    public Path stateDir() {
        return dir;
    }

    /** Both catalogs and every categorized application. */
    @Override
    public CatalogImage read() {
        Path file = dir.resolve(CATALOG_FILE);
        try {
            JsonNode root = CatalogJson.MAPPER.readTree(Files.readAllBytes(file));
            CatalogImage image = CatalogJson.imageFromJson(root, file.toString());
            for (var app : readApplications().entrySet()) image = image.withApplication(app.getKey(), OptionalInt.of(app.getValue()));
            return image;
        } catch (NoSuchFileException e) {
            throw new CatalogException("no catalog at " + dir + " (" + CATALOG_FILE + " is missing)", 0, e);
        } catch (IOException e) {
            throw new CatalogException("cannot read " + file + ": " + e.getMessage(), 0, e);
        }
    }

    @Override
    public void installProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries) {
        change(m -> m.installProvider(b, providerId, path, entries));
    }

    @Override
    public void installProviderAndChains(UUID providerId, String path64, String path32, String lspName, int serviceFlags,
                                         List<ProtocolEntry> protocols) {
        change(m -> m.installProviderAndChains(providerId, path64, path32, lspName, serviceFlags, protocols));
    }

    @Override
    public void writeOrder(Bitness b, List<Integer> order) {
        change(m -> m.writeOrder(b, order));
    }

    @Override
    public void updateProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries) {
        change(m -> m.updateProvider(b, providerId, path, entries));
    }

    @Override
    public void deinstallProvider(Bitness b, UUID providerId) {
        change(m -> m.deinstallProvider(b, providerId));
    }

    @Override
    public void setProviderCategories(Bitness b, UUID providerId, int categories) {
        change(m -> m.setProviderCategories(b, providerId, categories));
    }

    @Override
    public OptionalInt applicationCategories(AppId app) {
        Integer permitted = readApplications().get(app);
        return permitted == null ? OptionalInt.empty() : OptionalInt.of(permitted);
    }

    @Override
    public void setApplicationCategories(AppId app, int permitted) {
        change(m -> m.setApplicationCategories(app, permitted));
    }

    /** Writes the image back exactly; the id counters stay where they are (ids are never reused). */
    @Override
    public void restore(CatalogImage image) {
        CatalogModel m = new CatalogModel(image, readNextIds());
        save(m);
    }

    @Override
    public boolean restoresWholesale() {
        return true;
    }

    @Override
    public CatalogLock lock(Duration wait) {
        return CatalogLock.acquire(dir, wait);
    }

    @Override
    public ShimConfigStore shimConfig() {
        return new FileShimConfig(dir.resolve(SHIM_CONFIG_FILE));
    }

    @Override
    public boolean providerFileExists(String path) {
        Optional<String> expanded = PathExpander.systemDefault().expandOrEmpty(path);
        return expanded.isPresent() && Files.isRegularFile(Path.of(expanded.get()));
    }

    @Override
    public FileRemoval removeProviderFile(Path file) {
        try {
            return Files.deleteIfExists(file) ? FileRemoval.DELETED : FileRemoval.ABSENT;
        } catch (IOException e) {
            throw new CatalogException("cannot delete " + file + ": " + e.getMessage(), 0, e);
        }
    }

    @Override
    public boolean requiresProviderFiles() {
        return false;
    }

    /** The file catalog belongs to whoever owns its directory; the OS checks the writes. */
    @Override
    public void checkWriteAccess() {
        if (Files.exists(dir) && !Files.isWritable(dir)) {
            throw new CatalogException("cannot write the " + describe() + ": permission denied");
        }
    }

    private void change(Consumer<CatalogModel> op) {
        CatalogModel m = new CatalogModel(read(), readNextIds());
        op.accept(m);
        save(m);
    }

    private void save(CatalogModel m) {
        try {
            ObjectNode ids = CatalogJson.MAPPER.createObjectNode();
            for (Bitness b : Bitness.values()) {
                Integer next = m.nextIds().get(b);
                if (next != null) ids.put(b.label(), next);
            }
            // Counters first: a crash in between leaves them ahead of the entries, never behind.
            AtomicFiles.write(dir.resolve(NEXT_IDS_FILE), CatalogJson.bytes(ids));
            CatalogImage image = m.image();
            AtomicFiles.write(dir.resolve(CATALOG_FILE), CatalogJson.bytes(CatalogJson.toJson(image.withoutApplications())));
            writeApplications(image);
        } catch (IOException e) {
            throw new CatalogException("cannot write the " + describe() + ": " + e.getMessage(), 0, e);
        }
    }

    /** applications.json only when an application is categorized: a catalog without any has no such file. */
    private void writeApplications(CatalogImage image) throws IOException {
        Map<AppId, Integer> categorized = new TreeMap<>();
        image.applications().forEach((app, permitted) -> permitted.ifPresent(p -> categorized.put(app, p)));
        Path file = dir.resolve(APPLICATIONS_FILE);
        if (categorized.isEmpty()) {
            AtomicFiles.delete(file);
            return;
        }
        if (categorized.equals(readApplications())) return;
        AtomicFiles.write(file, CatalogJson.bytes(CatalogJson.applicationsToJson(categorized)));
    }

    private Map<AppId, Integer> readApplications() {
        Path file = dir.resolve(APPLICATIONS_FILE);
        try {
            return CatalogJson.applicationsFromJson(CatalogJson.MAPPER.readTree(Files.readAllBytes(file)), file.toString());
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new CatalogException("cannot read " + file + ": " + e.getMessage(), 0, e);
        }
    }

    private Map<Bitness, Integer> readNextIds() {
        Map<Bitness, Integer> ids = new EnumMap<>(Bitness.class);
        Path file = dir.resolve(NEXT_IDS_FILE);
        try {
            JsonNode root = CatalogJson.MAPPER.readTree(Files.readAllBytes(file));
            root.properties().forEach(f -> ids.put(Bitness.ofLabel(f.getKey()), f.getValue().intValue()));
        } catch (NoSuchFileException e) {
            // derived from the entries by CatalogModel
        } catch (IOException | RuntimeException e) {
            throw new CatalogException(file + " is damaged: " + e.getMessage(), 0, e);
        }
        return ids;
    }

    private void seedIfAbsent() {
        if (Files.exists(dir.resolve(CATALOG_FILE))) return;
        try (CatalogLock l = lock(Duration.ofSeconds(30))) {
            if (Files.exists(dir.resolve(CATALOG_FILE))) return;
            save(new CatalogModel(StockCatalog.image(), Map.of()));
        }
    }
}
