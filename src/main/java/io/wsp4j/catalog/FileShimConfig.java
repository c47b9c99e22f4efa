package io.wsp4j.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shim config as a plain file, written atomically: next to the file catalog, where the host
 * reads it; on Windows the file part of the store, which also names it in the registry.
 */
public record FileShimConfig(Path location) implements ShimConfigStore {
    @Override
    public Optional<byte[]> read() {
        try {
            return Optional.of(Files.readAllBytes(location));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CatalogException("cannot read " + location + ": " + e.getMessage(), 0, e);
        }
    }

    @Override
    public void write(byte[] content) {
        try {
            AtomicFiles.write(location, content);
        } catch (IOException e) {
            throw new CatalogException("cannot write " + location + ": " + e.getMessage(), 0, e);
        }
    }

    @Override
    public void delete() {
        try {
            AtomicFiles.delete(location);
        } catch (IOException e) {
            throw new CatalogException("cannot delete " + location + ": " + e.getMessage(), 0, e);
        }
    }
}
