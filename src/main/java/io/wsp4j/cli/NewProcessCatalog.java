package io.wsp4j.cli;

import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.selftest.ChildProcesses;
import io.wsp4j.selftest.ChildReport;
import io.wsp4j.selftest.FreshCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The catalog read by a new process: this CLI in a child JVM, {@code wsp4j list --json} (on Windows
 * WSCEnumProtocols and WSCEnumProtocols32 with every provider's path), parsed back. The child's Winsock
 * starts after whatever the selftest changed, so it reads the catalog as it is now.
 */
final class NewProcessCatalog implements FreshCatalog {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path catalogDir;

    /** @param catalogDir the file catalog, or null for the default one (the system catalog on Windows) */
    NewProcessCatalog(Path catalogDir) {
        this.catalogDir = catalogDir;
    }

    @Override
    public CatalogImage read() {
        List<String> args = new ArrayList<>(List.of("list", "--json"));
        if (catalogDir != null) args.addAll(List.of("--catalog", catalogDir.toAbsolutePath().toString()));
        ChildReport child = ChildProcesses.run("wsp4j list --json", ChildProcesses.javaCommand(ChildProcesses.javaExecutable(), List.of(),
                Main.class.getName(), args), Map.of(), TIMEOUT);
        if (child.exitCode() != 0) {
            throw new CatalogException("a new process could not read the catalog (exit " + child.exitCode() + ")"
                    + child.stderr().stream().findFirst().map(l -> ": " + l).orElse(""));
        }
        try {
            return CatalogJson.imageFromJson(CatalogJson.MAPPER.readTree(String.join("\n", child.stdout())), "the catalog a new process read");
        } catch (IOException | RuntimeException e) {
            throw new CatalogException("the catalog a new process printed cannot be read: " + e.getMessage(), 0, e);
        }
    }
}
