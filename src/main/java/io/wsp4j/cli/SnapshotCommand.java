package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.ProviderFiles;
import io.wsp4j.catalog.Snapshots;
import java.nio.file.Path;
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
            "Exit codes: 0 saved or listed; 1 failure (the catalog cannot be read); 2 bad name or arguments, or the snapshot exists (use --replace); 3 catalog busy, or an earlier transaction did not finish (run `wsp4j rollback`)."})
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
            Catalog catalog = command.openExisting();
            Snapshots snapshots = new Snapshots(catalog.stateDir());
            var out = command.out();
            if (list || name == null) {
                // Works on a damaged catalog too: the recovery advice points here.
                if (command.json) {
                    var o = CatalogJson.MAPPER.createObjectNode();
                    var a = o.putArray("snapshots");
                    for (String n : snapshots.names()) {
                        var item = a.addObject().put("name", n);
                        try {
                            snapshots.load(n).ifPresent(s -> item.put("taken", s.taken().toString()));
                        } catch (CatalogException e) {
                            item.put("damaged", e.getMessage());
                        }
                    }
                    command.print(o);
                } else {
                    snapshots.names().forEach(out::println);
                }
                return ExitCodes.OK;
            }
            if (!Snapshots.validName(name)) {
                throw new CliException(ExitCodes.BAD_INPUT, "\"" + name + "\" is not a snapshot name (letters, digits, . _ -)");
            }
            if (!replace && snapshots.names().contains(name)) {
                throw new CliException(ExitCodes.BAD_INPUT, "snapshot \"" + name + "\" exists; use --replace to overwrite it");
            }
            catalog.checkWriteAccess(); // snapshots are restore sources: written where only administrators write
            Path saved = command.underReadLock(catalog, c -> snapshots.save(name, c.read(), c.shimConfig().read(),
                    ProviderFiles.readBytes(c.stateDir())));
            if (command.json) command.print(CatalogJson.MAPPER.createObjectNode().put("saved", saved.toString()).put("name", name));
            else out.println("saved " + saved);
            return ExitCodes.OK;
        });
    }
}
