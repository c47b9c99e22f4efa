package io.wsp4j.cli;

import io.wsp4j.catalog.CatalogJson;
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
@Command(name = ReadCatalogCommand.NAME, hidden = true,
        description = "Print the catalog as a new process sees it (JSON); the installer's verification runs it.",
        footer = {
            "  wsp4j read-catalog --catalog /tmp/cat   # as a new process reads it",
            "",
            "Exit codes: 0 printed; 1 the catalog cannot be read; 2 bad arguments (e.g. --catalog names no directory)."})
final class ReadCatalogCommand extends Subcommand {
    static final String NAME = "read-catalog";

    @Mixin
    CatalogCommand command;

    @Override
    int execute() {
        command.print(CatalogJson.toJson(command.openAsItIs().read()));
        return ExitCodes.OK;
    }
}
