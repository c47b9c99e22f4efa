package io.wsp4j.cli;

import io.wsp4j.catalog.CatalogJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Prints the catalog as this process sees it, as JSON (both catalogs, every field): the child process
 * through which an installer verifies what it changed ({@link ChildCatalogReader}). Not for people:
 * `wsp4j list --json` is. Unlike every other reader it takes no lock and does not refuse an
 * unfinished transaction: its parent holds the writer lock and is in the middle of that transaction
 * (the journal is its own), so waiting for either would only time out. Its errors are one line, and
 * JSON with --json, like every command's.
 */
@Command(name = ReadCatalogCommand.NAME, hidden = true, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print the catalog as a new process sees it (JSON); the installer's verification runs it.")
final class ReadCatalogCommand implements Callable<Integer> {
    static final String NAME = "read-catalog";

    @Mixin
    CatalogCommand command;

    @Override
    public Integer call() {
        return command.run(() -> {
            command.print(CatalogJson.toJson(command.openAsItIs().read()));
            return ExitCodes.OK;
        });
    }
}
