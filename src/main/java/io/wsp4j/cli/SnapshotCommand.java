package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.Snapshots;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "snapshot", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Save the catalog under a name for `rollback --snapshot`.",
            "",
            "Save the catalog (both bitnesses) and the shim configuration under a name, to restore later with `wsp4j rollback --snapshot NAME`. Snapshots live next to the catalog, in snapshots/."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j snapshot before-demo",
            "  wsp4j snapshot --list",
            "",
            "Exit codes: 0 saved or listed; 1 failure; 2 bad name or snapshot exists (use --replace)."})
final class SnapshotCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Letters, digits, '.', '_' and '-'.")
    String name;

    @Option(names = "--list", description = "List the saved snapshots.")
    boolean list;

    @Option(names = "--replace", description = "Overwrite a snapshot of the same name.")
    boolean replace;

    @Override
    public Integer call() {
        return command.run(() -> {
            Catalog catalog = command.openCatalog();
            Snapshots snapshots = new Snapshots(catalog.stateDir());
            var out = command.out();
            if (list || name == null) {
                snapshots.names().forEach(out::println);
                return ExitCodes.OK;
            }
            if (!Snapshots.validName(name)) {
                throw new CliException(ExitCodes.BAD_INPUT, "\"" + name + "\" is not a snapshot name (letters, digits, . _ -)");
            }
            if (!replace && snapshots.load(name).isPresent()) {
                throw new CliException(ExitCodes.BAD_INPUT, "snapshot \"" + name + "\" exists; use --replace to overwrite it");
            }
            catalog.checkWriteAccess(); // snapshots are restore sources: written where only administrators write
            out.println("saved " + snapshots.save(name, catalog.read(), catalog.shimConfig().read()));
            return ExitCodes.OK;
        });
    }
}
