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
 * install followed by an uninstall leaves catalog.json byte-identical while ids are not reused),
 * the writer lock, the journal, snapshots and the shim config. Seeded with {@link StockCatalog} when
 * the directory is new or empty; a directory that holds the catalog's other files but no
 * catalog.json is damaged, and said so, never seeded over. Every write is atomic.
 */
public final class FileCatalog implements Catalog {
    public static final String CATALOG_FILE = "catalog.json";
    public static final String NEXT_IDS_FILE = "next-ids.json";
    public static final String SHIM_CONFIG_FILE = "shim.conf";
    /** The permitted LSP categories of applications, by path (WSCSetApplicationCategory's store). */
    public static final String APPLICATIONS_FILE = "applications.json";
    /** What only a wsp4j catalog directory holds: with these present and no catalog.json, the catalog was lost. */
    private static final java.util.Set<String> STATE_NAMES = java.util.Set.of(NEXT_IDS_FILE, SHIM_CONFIG_FILE, "journal",
            "snapshots", "installed-files.json", APPLICATIONS_FILE);

    private final Path dir;
    private final boolean seeded;

    private FileCatalog(Path dir, boolean seeded) {
        this.dir = dir;
        this.seeded = seeded;
    }

    /** Opens the catalog in {@code dir}, creating the directory when there is none and seeding it when it is empty. */
    public static FileCatalog open(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (Files.exists(d) && !Files.isDirectory(d)) throw new CatalogException(d + " is not a directory");
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new CatalogException("cannot create the catalog directory " + d + ": " + e.getMessage(), 0, e);
        }
        return openExisting(d);
    }

    /** Opens the catalog in the existing directory {@code dir}, seeding it when it is empty; creates no directory. */
    public static FileCatalog openExisting(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            throw new CatalogException(d + (Files.exists(d) ? " is not a directory" : " does not exist"));
        }
        FileCatalog c = new FileCatalog(d, false);
        return c.seedIfEmpty() ? new FileCatalog(d, true) : c;
    }

    /** Whether opening this catalog seeded it (the directory was new or empty). */
    public boolean seeded() {
        return seeded;
    }

    /**
     * Undoes {@link #open}'s creation of a new directory (a refused install changes nothing): removes
     * what seeding wrote, and the directories created for it, when nothing else has been put there.
     */
    public static void removeIfOnlySeeded(Path dir, Path firstCreated) {
        Path d = dir.toAbsolutePath().normalize();
        try (var names = Files.list(d)) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            names.forEach(p -> seen.add(p.getFileName().toString()));
            if (!java.util.Set.of(CATALOG_FILE, NEXT_IDS_FILE, CatalogLock.FILE).containsAll(seen)) return;
            for (String n : seen) Files.deleteIfExists(d.resolve(n));
            for (Path p = d; p != null && p.startsWith(firstCreated); p = p.getParent()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // left as it is: a seeded catalog harms nothing
        }
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
        CatalogImage image;
        try {
            JsonNode root = CatalogJson.MAPPER.readTree(Files.readAllBytes(file));
            if (root == null || root.isMissingNode()) throw new IOException("the file is empty");
            image = CatalogJson.imageFromJson(root, file.toString());
        } catch (NoSuchFileException e) {
            List<String> others = stateFilesPresent();
            if (others.isEmpty()) {
                throw new NotACatalogException(dir + " is not a file catalog: it holds no " + CATALOG_FILE + " but other files (a catalog"
                        + " directory is one `wsp4j install` created, or an empty one, which is seeded)", e);
            }
            throw new CatalogDamagedException("the " + describe() + " is damaged: " + CATALOG_FILE + " is missing while "
                    + String.join(", ", others) + " " + (others.size() == 1 ? "is" : "are") + " there; " + RESTORE_ADVICE, e);
        } catch (IOException | CatalogException e) {
            throw new CatalogDamagedException("the " + describe() + " is damaged: " + file + " cannot be read ("
                    + JsonErrors.describe(e instanceof CatalogException && e.getCause() != null ? e.getCause() : e) + "); "
                    + RESTORE_ADVICE, e);
        }
        for (var app : readApplications().entrySet()) image = image.withApplication(app.getKey(), OptionalInt.of(app.getValue()));
        return image;
    }

    /** How to get out of a lost or damaged catalog.json. */
    static final String RESTORE_ADVICE = "restore a snapshot with `wsp4j rollback --snapshot NAME` (`wsp4j snapshot --list`"
            + " shows them), or move the directory aside and start again with a fresh one";

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

    /**
     * Writes the image back exactly; the id counters stay where they are (a transaction's rollback
     * then puts back the counters it journaled). Damaged counters are rebuilt from the highest ids of
     * the image and of the catalog being replaced, so that a restore never fails on them.
     */
    @Override
    public void restore(CatalogImage image) {
        Map<Bitness, Integer> ids;
        try {
            ids = readNextIds();
        } catch (CatalogDamagedException e) {
            ids = countersAbove(image);
        }
        save(new CatalogModel(image, ids));
    }

    @Override
    public void checkState() {
        read();
        readNextIds();
    }

    @Override
    public Optional<byte[]> idCounters() {
        try {
            return Optional.of(Files.readAllBytes(dir.resolve(NEXT_IDS_FILE)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CatalogException("cannot read " + dir.resolve(NEXT_IDS_FILE) + ": " + e.getMessage(), 0, e);
        }
    }

    @Override
    public void restoreIdCounters(byte[] saved) {
        try {
            AtomicFiles.write(dir.resolve(NEXT_IDS_FILE), saved);
        } catch (IOException e) {
            throw new CatalogException("cannot write " + dir.resolve(NEXT_IDS_FILE) + ": " + e.getMessage(), 0, e);
        }
    }

    /** Whether next-ids.json is damaged (verify and repair ask). */
    public Optional<String> damagedIdCounters() {
        try {
            readNextIds();
            return Optional.empty();
        } catch (CatalogDamagedException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Rewrites damaged id counters from the highest ids in the catalog (repair's fix): the next ids
     * are one above every id in use, so no entry's id is ever given out twice.
     */
    public Map<Bitness, Integer> rebuildIdCounters() {
        Map<Bitness, Integer> ids = countersAbove(read());
        writeIds(ids);
        return ids;
    }

    /** One above the highest id of {@code image} and of the catalog on disk (when it can be read), per catalog. */
    private Map<Bitness, Integer> countersAbove(CatalogImage image) {
        Map<Bitness, Integer> ids = new EnumMap<>(Bitness.class);
        List<CatalogImage> images = new java.util.ArrayList<>(List.of(image));
        try {
            images.add(read());
        } catch (CatalogException e) {
            // only the image to go by
        }
        for (CatalogImage i : images) {
            for (Bitness b : Bitness.values()) {
                i.order(b).stream().max(Integer::compare).ifPresent(max -> ids.merge(b, max + 1, Math::max));
            }
        }
        for (Bitness b : Bitness.values()) ids.putIfAbsent(b, StockCatalog.FIRST_ID);
        return ids;
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
        // Counters first: a crash in between leaves them ahead of the entries, never behind.
        writeIds(m.nextIds());
        try {
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
        try {
            if (categorized.equals(readApplications())) return;
        } catch (CatalogDamagedException e) {
            // a restore writes over a damaged file
        }
        AtomicFiles.write(file, CatalogJson.bytes(CatalogJson.applicationsToJson(categorized)));
    }

    private Map<AppId, Integer> readApplications() {
        Path file = dir.resolve(APPLICATIONS_FILE);
        try {
            JsonNode root = CatalogJson.MAPPER.readTree(Files.readAllBytes(file));
            if (root == null || root.isMissingNode()) throw new IOException("the file is empty");
            return CatalogJson.applicationsFromJson(root, file.toString());
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | CatalogException e) {
            throw new CatalogDamagedException("the " + describe() + " is damaged: " + file + " cannot be read ("
                    + JsonErrors.describe(e instanceof CatalogException && e.getCause() != null ? e.getCause() : e) + "); "
                    + RESTORE_ADVICE, e);
        }
    }

    private void writeIds(Map<Bitness, Integer> nextIds) {
        ObjectNode ids = CatalogJson.MAPPER.createObjectNode();
        for (Bitness b : Bitness.values()) {
            Integer next = nextIds.get(b);
            if (next != null) ids.put(b.label(), next);
        }
        try {
            AtomicFiles.write(dir.resolve(NEXT_IDS_FILE), CatalogJson.bytes(ids));
        } catch (IOException e) {
            throw new CatalogException("cannot write the " + describe() + ": " + e.getMessage(), 0, e);
        }
    }

    private Map<Bitness, Integer> readNextIds() {
        Map<Bitness, Integer> ids = new EnumMap<>(Bitness.class);
        Path file = dir.resolve(NEXT_IDS_FILE);
        try {
            JsonNode root = CatalogJson.MAPPER.readTree(Files.readAllBytes(file));
            if (root == null || !root.isObject()) throw new IOException("expected a JSON object of counters");
            for (var f : root.properties()) {
                JsonNode v = f.getValue();
                if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 1) {
                    throw new IOException("\"" + f.getKey() + "\" is not a catalog id");
                }
                ids.put(Bitness.ofLabel(f.getKey()), v.intValue());
            }
        } catch (NoSuchFileException e) {
            // derived from the entries by CatalogModel
        } catch (IOException | RuntimeException e) {
            throw new CatalogDamagedException("the " + describe() + " is damaged: " + file + " cannot be read ("
                    + JsonErrors.describe(e) + "); `wsp4j repair` rewrites it from the catalog's highest ids", e);
        }
        return ids;
    }

    /** The catalog's own files and folders that are there, for the message about a lost catalog.json. */
    private List<String> stateFilesPresent() {
        return STATE_NAMES.stream().filter(n -> Files.exists(dir.resolve(n))).sorted().toList();
    }

    /**
     * Seeds a new or empty directory (nothing in it but the lock file and a crashed write's leftovers);
     * true when it did. A directory with anything else and no catalog.json is left alone: read()
     * reports it.
     */
    private boolean seedIfEmpty() {
        if (Files.exists(dir.resolve(CATALOG_FILE)) || !isEmpty()) return false;
        try (CatalogLock l = lock(Duration.ofSeconds(30))) {
            if (Files.exists(dir.resolve(CATALOG_FILE)) || !isEmpty()) return false;
            save(new CatalogModel(StockCatalog.image(), Map.of()));
            return true;
        }
    }

    private boolean isEmpty() {
        try (var names = Files.list(dir)) {
            return names.map(p -> p.getFileName().toString())
                    .allMatch(n -> n.equals(CatalogLock.FILE) || AtomicFiles.isLeftover(n));
        } catch (IOException e) {
            throw new CatalogException("cannot list " + dir + ": " + e.getMessage(), 0, e);
        }
    }
}
