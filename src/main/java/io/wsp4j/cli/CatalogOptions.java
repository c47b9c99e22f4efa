package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.windows.WindowsCatalog;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every catalog command shares. */
final class CatalogOptions {
    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Use the file catalog in DIR (created and seeded like a fresh Windows catalog on first use)."
                    + " Default: the system catalog on Windows; elsewhere $WSP4J_HOME, else $XDG_STATE_HOME/wsp4j,"
                    + " else ~/.local/state/wsp4j.")
    Path catalogDir;

    @Option(names = "--json", description = "Print machine-readable JSON on stdout instead of text.")
    boolean json;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for another installer to finish (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Option(names = {"-x", "--stacktrace"}, description = "On failure, print the stack trace, not just one line.")
    boolean stacktrace;

    Catalog open() {
        if (catalogDir != null) return FileCatalog.open(catalogDir);
        if (WindowsCatalog.isWindows()) return WindowsCatalog.system();
        return FileCatalog.open(FileCatalog.defaultDirectory(System.getenv()));
    }

    Duration lockWait() {
        return Duration.ofSeconds(waitSeconds);
    }
}
