package io.wsp4j.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The write-ahead record of a catalog transaction, in {@code <stateDir>/journal/transaction.json}:
 * the before-image of both catalogs, of the shim config, of the id counters and of the record of
 * installed files, the file steps (to undo them), and the plan. Written (and fsynced) before the
 * first change and deleted after the commit, so its presence means a transaction did not finish:
 * {@code wsp4j rollback} restores the before-image from it.
 *
 * <p>A restore that starts from a catalog too damaged to read has no before-image worth going back
 * to: its journal holds the image being restored instead ({@link Entry#rollsForward()}), and
 * {@code wsp4j rollback} finishes that restore.
 */
public final class Journal {
    static final String FORMAT = "wsp4j-journal/1";
    private final Path file;

    public Journal(Path stateDir) {
        this.file = stateDir.resolve("journal").resolve("transaction.json");
    }

    public Path file() {
        return file;
    }

    /** The state a rollback goes to: the catalog image, the shim config, the record of installed files. */
    public record State(CatalogImage image, Optional<byte[]> shimConfig, Optional<byte[]> installedFiles) {}

    /**
     * @param restores   what a rollback writes back: the state before the transaction, or (rolling forward) the state it was restoring
     * @param idCounters the id counters before the transaction, written back by a rollback (not when rolling forward)
     * @param fileSteps  the transaction's file steps, undone by a rollback (none when rolling forward)
     */
    public record Entry(String operation, Instant started, long pid, boolean rollsForward, State restores,
                        Optional<byte[]> idCounters, List<Step.FileStep> fileSteps, JsonNode plan) {}

    public boolean exists() {
        return Files.exists(file);
    }

    /** Journals a transaction that a rollback undoes: {@code before} is where it goes back to. */
    public void write(Plan plan, State before, Optional<byte[]> idCounters) {
        ObjectNode o = header(plan.operation());
        o.put("rollsForward", false);
        putState(o, before);
        idCounters.ifPresent(b -> o.put("idCountersBefore", Base64.getEncoder().encodeToString(b)));
        var files = o.putArray("fileSteps");
        // The record of installed files comes back with the before-image's bytes; the other file steps are undone one by one.
        plan.steps().stream().filter(s -> s instanceof Step.FileStep && !(s instanceof Step.InstalledFiles)).forEach(s -> files.add(s.toJson()));
        o.set("plan", plan.toJson());
        save(o);
    }

    /** Journals a restore that a rollback finishes: {@code target} is what it restores. */
    public void writeRollForward(String operation, State target) {
        ObjectNode o = header(operation);
        o.put("rollsForward", true);
        putState(o, target);
        o.putArray("fileSteps");
        o.putObject("plan").put("operation", operation);
        save(o);
    }

    private ObjectNode header(String operation) {
        ObjectNode o = CatalogJson.MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.put("operation", operation);
        o.put("started", Instant.now().toString());
        o.put("pid", ProcessHandle.current().pid());
        return o;
    }

    private static void putState(ObjectNode o, State s) {
        o.set("before", CatalogJson.toJson(s.image()));
        putBytes(o, "shimConfigBefore", s.shimConfig());
        putBytes(o, "installedFilesBefore", s.installedFiles());
    }

    private static void putBytes(ObjectNode o, String field, Optional<byte[]> bytes) {
        if (bytes.isPresent()) o.put(field, Base64.getEncoder().encodeToString(bytes.get()));
        else o.putNull(field);
    }

    private void save(ObjectNode o) {
        try {
            AtomicFiles.write(file, CatalogJson.bytes(o));
        } catch (IOException e) {
            throw new CatalogException("cannot write the journal " + file + ": " + e.getMessage(), 0, e);
        }
    }

    public Optional<Entry> read() {
        try {
            JsonNode o = CatalogJson.MAPPER.readTree(Files.readAllBytes(file));
            if (o == null || !FORMAT.equals(o.path("format").asText())) throw new IOException("it is not a " + FORMAT + " file");
            State state = new State(CatalogJson.imageFromJson(o.required("before"), file.toString()), bytes(o, "shimConfigBefore"),
                    bytes(o, "installedFilesBefore"));
            List<Step.FileStep> files = new ArrayList<>();
            for (JsonNode s : o.path("fileSteps")) files.add(fileStep(s));
            return Optional.of(new Entry(o.required("operation").asText(), Instant.parse(o.required("started").asText()),
                    o.required("pid").asLong(), o.path("rollsForward").asBoolean(false), state, bytes(o, "idCountersBefore"),
                    files, o.required("plan")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new CatalogDamagedException("the journal " + file + " is damaged (" + JsonErrors.describe(
                    e instanceof CatalogException && e.getCause() != null ? e.getCause() : e) + "); the catalog may be"
                    + " half-changed: " + DAMAGED_ADVICE, e);
        }
    }

    /** The ways out of a damaged journal, as its error message names them. */
    public static final String DAMAGED_ADVICE = "restore a snapshot and set the journal aside with `wsp4j rollback --snapshot NAME"
            + " --discard-journal` (`wsp4j snapshot --list` shows them), or keep the catalog as it is with `wsp4j rollback"
            + " --discard-journal`, then `wsp4j verify`";

    private static Optional<byte[]> bytes(JsonNode o, String field) {
        JsonNode n = o.path(field);
        return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(Base64.getDecoder().decode(n.asText()));
    }

    private static Step.FileStep fileStep(JsonNode s) {
        Path path = Path.of(s.required("path").asText());
        return switch (s.required("step").asText()) {
            case "makeDirectory" -> new Step.MakeDirectory(path);
            case "placeFile" -> new Step.PlaceFile(s.required("field").asText(), Path.of(s.required("source").asText()), path,
                    s.required("sha256").asText());
            case "removeFile" -> new Step.RemoveFile(s.required("field").asText(), path, s.required("sha256").asText(),
                    Path.of(s.required("aside").asText()));
            case "removeDirectory" -> new Step.RemoveDirectory(path);
            default -> throw new IllegalArgumentException("unknown file step " + s.get("step"));
        };
    }

    /** The commit point: after this the transaction is done and cannot be rolled back from here. */
    public void delete() {
        try {
            AtomicFiles.delete(file);
            removeEmptyDirectory();
        } catch (IOException e) {
            throw new CatalogException("cannot delete the journal " + file + ": " + e.getMessage(), 0, e);
        }
    }

    /**
     * Sets a damaged journal aside, for a human to read, as {@code transaction.json.discarded-<time>}:
     * no command sees an unfinished transaction any more. Returns where it went.
     */
    public Path discard() {
        Path aside = file.resolveSibling(file.getFileName() + ".discarded-" + Instant.now().toString().replace(':', '-'));
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(file.getParent());
            return aside;
        } catch (IOException e) {
            throw new CatalogException("cannot set the journal " + file + " aside: " + e.getMessage(), 0, e);
        }
    }

    /** Removes crashed writes' temp files beside the journal; returns them. */
    List<Path> removeLeftovers() throws IOException {
        List<Path> gone = new ArrayList<>();
        for (Path p : AtomicFiles.leftovers(file.getParent())) {
            if (Files.deleteIfExists(p)) gone.add(p);
        }
        removeEmptyDirectory();
        return gone;
    }

    /** A journal directory with nothing in it goes too: a failed transaction leaves the state directory as it found it. */
    private void removeEmptyDirectory() throws IOException {
        Path dir = file.getParent();
        if (ProviderFiles.isEmptyDirectory(dir)) {
            try {
                Files.delete(dir);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // someone wrote into it meanwhile: keep it
            }
        }
    }
}
