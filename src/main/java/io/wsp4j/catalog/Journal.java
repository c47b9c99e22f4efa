package io.wsp4j.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The write-ahead record of a catalog transaction, in {@code <stateDir>/journal/transaction.json}:
 * the before-image of both catalogs and of the shim config, and the plan. Written (and fsynced)
 * before the first change and deleted after the commit, so its presence means a transaction did not
 * finish: {@code wsp4j rollback} restores the before-image from it.
 */
public final class Journal {
    private final Path file;

    public Journal(Path stateDir) {
        this.file = stateDir.resolve("journal").resolve("transaction.json");
    }

    public Path file() {
        return file;
    }

    public record Entry(String operation, Instant started, long pid, CatalogImage before,
                        Optional<byte[]> shimConfigBefore, JsonNode plan) {}

    public boolean exists() {
        return Files.exists(file);
    }

    public void write(Plan plan, Optional<byte[]> shimConfigBefore) {
        ObjectNode o = CatalogJson.MAPPER.createObjectNode();
        o.put("format", "wsp4j-journal/1");
        o.put("operation", plan.operation());
        o.put("started", Instant.now().toString());
        o.put("pid", ProcessHandle.current().pid());
        o.set("before", CatalogJson.toJson(plan.before()));
        if (shimConfigBefore.isPresent()) o.put("shimConfigBefore", Base64.getEncoder().encodeToString(shimConfigBefore.get()));
        else o.putNull("shimConfigBefore");
        o.set("plan", plan.toJson());
        try {
            AtomicFiles.write(file, CatalogJson.bytes(o));
        } catch (IOException e) {
            throw new CatalogException("cannot write the journal " + file + ": " + e.getMessage(), 0, e);
        }
    }

    public Optional<Entry> read() {
        try {
            JsonNode o = CatalogJson.MAPPER.readTree(Files.readAllBytes(file));
            JsonNode cfg = o.required("shimConfigBefore");
            return Optional.of(new Entry(o.required("operation").asText(), Instant.parse(o.required("started").asText()),
                    o.required("pid").asLong(), CatalogJson.imageFromJson(o.required("before"), file.toString()),
                    cfg.isNull() ? Optional.empty() : Optional.of(Base64.getDecoder().decode(cfg.asText())),
                    o.required("plan")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new CatalogException("the journal " + file + " is damaged (" + e.getMessage() + "); the catalog may be"
                    + " half-changed: compare `wsp4j list` with a snapshot and use `wsp4j rollback --snapshot NAME`", 0, e);
        }
    }

    /** The commit point: after this the transaction is done and cannot be rolled back from here. */
    public void delete() {
        try {
            AtomicFiles.delete(file);
        } catch (IOException e) {
            throw new CatalogException("cannot delete the journal " + file + ": " + e.getMessage(), 0, e);
        }
    }
}
