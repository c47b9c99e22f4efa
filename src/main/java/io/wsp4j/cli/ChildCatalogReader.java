package io.wsp4j.cli;

import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.FreshCatalogReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the catalog from a new process: this CLI started again in a child JVM, with
 * {@code read-catalog} (and the same --catalog), printing the catalog as JSON. On Windows the child's
 * Winsock has never seen the catalog before, so it reads what the installer changed even where this
 * process's own copy does not show it; on the file catalog the same mechanism runs.
 */
final class ChildCatalogReader implements FreshCatalogReader {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path catalogDir;

    /** @param catalogDir the --catalog DIR the parent uses, or null for the default catalog */
    ChildCatalogReader(Path catalogDir) {
        this.catalogDir = catalogDir;
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                ReadCatalogCommand.NAME));
        if (catalogDir != null) cmd.addAll(List.of("--catalog", catalogDir.toAbsolutePath().toString()));
        return cmd;
    }

    @Override
    public CatalogImage read() {
        Process p;
        try {
            p = new ProcessBuilder(command()).start();
            p.getOutputStream().close(); // nothing to read on its stdin
        } catch (IOException e) {
            throw new CatalogException("cannot start a process to read the catalog: " + e.getMessage(), 0, e);
        }
        try {
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = readAll(p.getInputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new CatalogException("the process reading the catalog did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String why = new String(err.join(), StandardCharsets.UTF_8).strip();
                throw new CatalogException("the process reading the catalog failed (exit " + p.exitValue() + ")"
                        + (why.isEmpty() ? "" : ": " + why.lines().findFirst().orElse("")));
            }
            return CatalogJson.imageFromJson(CatalogJson.MAPPER.readTree(out), "the catalog a new process read");
        } catch (IOException e) {
            throw new CatalogException("cannot read the catalog a new process printed: " + e.getMessage(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted while a new process read the catalog", 0, e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
