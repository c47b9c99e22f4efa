package io.wsp4j.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Named images of a catalog and its shim config, in {@code <stateDir>/snapshots/<name>.json}. */
public final class Snapshots {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The folder under the state directory that holds them. */
    public static final String DIRECTORY = "snapshots";

    /**
     * @param installedFiles the record of the files an install put in place (absent in snapshots of
     *                       an older format, and where nothing was placed)
     */
    public record Snapshot(String name, Instant taken, CatalogImage image, Optional<byte[]> shimConfig, Optional<byte[]> installedFiles) {}

    private final Path dir;

    public Snapshots(Path stateDir) {
        this.dir = stateDir.resolve(DIRECTORY);
    }

    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    public Path save(String name, CatalogImage image, Optional<byte[]> shimConfig, Optional<byte[]> installedFiles) {
        ObjectNode o = CatalogJson.MAPPER.createObjectNode();
        o.put("format", "wsp4j-snapshot/1");
        o.put("name", name);
        o.put("taken", Instant.now().toString());
        o.set("catalog", CatalogJson.toJson(image));
        if (shimConfig.isPresent()) o.put("shimConfig", Base64.getEncoder().encodeToString(shimConfig.get()));
        else o.putNull("shimConfig");
        installedFiles.ifPresent(b -> o.put("installedFiles", Base64.getEncoder().encodeToString(b)));
        Path file = file(name);
        try {
            AtomicFiles.write(file, CatalogJson.bytes(o));
        } catch (IOException e) {
            throw new CatalogException("cannot write " + file + ": " + e.getMessage(), 0, e);
        }
        return file;
    }

    public Optional<Snapshot> load(String name) {
        Path file = file(name);
        try {
            JsonNode o = CatalogJson.MAPPER.readTree(Files.readAllBytes(file));
            if (o == null) throw new IOException("the file is empty");
            JsonNode cfg = o.required("shimConfig");
            JsonNode files = o.path("installedFiles");
            return Optional.of(new Snapshot(name, Instant.parse(o.required("taken").asText()),
                    CatalogJson.imageFromJson(o.required("catalog"), file.toString()),
                    cfg.isNull() ? Optional.empty() : Optional.of(Base64.getDecoder().decode(cfg.asText())),
                    files.isTextual() ? Optional.of(Base64.getDecoder().decode(files.asText())) : Optional.empty()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new CatalogDamagedException("snapshot " + file + " is damaged (" + JsonErrors.describe(
                    e instanceof CatalogException && e.getCause() != null ? e.getCause() : e) + "); choose another one (`wsp4j snapshot --list`)", e);
        }
    }

    /** Deletes the snapshot, and the snapshots folder when nothing else is left in it; false if there was none. */
    public boolean delete(String name) {
        Path file = file(name);
        try {
            boolean deleted = Files.deleteIfExists(file);
            try (Stream<Path> left = Files.list(dir)) {
                if (left.findAny().isEmpty()) Files.delete(dir);
            } catch (NoSuchFileException e) {
                // no folder: nothing left to tidy
            }
            return deleted;
        } catch (IOException e) {
            throw new CatalogException("cannot delete " + file + ": " + e.getMessage(), 0, e);
        }
    }

    public List<String> names() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).filter(Snapshots::validName).sorted().toList();
        } catch (IOException e) {
            throw new CatalogException("cannot list " + dir + ": " + e.getMessage(), 0, e);
        }
    }

    private Path file(String name) {
        if (!validName(name)) throw new IllegalArgumentException("not a snapshot name: " + name);
        return dir.resolve(name + ".json");
    }
}
