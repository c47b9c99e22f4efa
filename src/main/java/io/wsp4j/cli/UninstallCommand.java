package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.Plan;
import io.wsp4j.catalog.Planner;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "uninstall", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Remove exactly what `install` added, as one transaction.",
            "",
            "Remove exactly what `install` added, as one transaction: our protocol chains, then our layered entry, in each catalog (the provider order closes up to what it was), the shim configuration, and the files install put in place (only those it recorded, and only if unchanged since; a file that was already there is never touched). If another LSP is layered over ours (a chain naming any id of ours: our hidden entry's or, as Microsoft's installer writes it, one of our chain entries') it refuses and names it; --force re-chains such LSPs past ours (WSCUpdateProvider), or removes one that would have nothing left below it, and lists each change. On Windows a shim DLL still loaded by running programs is deleted at the next reboot."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j uninstall --manifest provider-manifest/accounting.host.json",
            "  wsp4j uninstall --provider {78E50FC9-5D21-4933-B2A6-C7521E9EE671} --dry-run",
            "  wsp4j uninstall --manifest my.json --force",
            "",
            "Exit codes: 0 removed; 1 failure (journal kept: run `wsp4j rollback`; or the catalog is damaged: the message says how to restore it); 2 bad manifest or arguments; 3 refused (not installed, another LSP depends on ours, catalog busy, an earlier transaction unfinished); 4 failed and rolled back, the catalog and every file as they were."})
final class UninstallCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--manifest", paramLabel = "FILE", description = "The manifest it was installed with.")
        Path manifest;

        @Option(names = "--provider", paramLabel = "GUID", description = "The providerGuid it was installed with.")
        String provider;
    }

    @Option(names = "--force", description = "Re-chain other LSPs layered over ours past ours instead of refusing (each change is listed).")
    boolean force;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    /** What uninstall does by itself now (for the files install put there, and only those); kept so that old scripts run. */
    @Option(names = "--delete-shim", hidden = true)
    boolean deleteShim;

    @Override
    public Integer call() {
        return command.run(() -> {
            UUID guid = ProviderGuid.of(which.manifest, which.provider).orElseThrow(); // the group requires one
            Catalog catalog = command.openExisting();
            Planner planner = new Planner(catalog, PathExpander.systemDefault());
            if (dryRun) {
                command.print(command.<Plan>underReadLock(catalog, c -> planner.uninstall(guid, force, c.read())));
                return ExitCodes.OK;
            }
            Progress progress = command.progress();
            if (deleteShim) {
                progress.line("note: --delete-shim is what uninstall does by itself now: it removes the files install put in place,"
                        + " and only those");
            }
            progress.opening("uninstalling " + Guids.format(guid) + " from the " + catalog.describe());
            Plan plan = command.transaction(catalog, progress).run(before -> planner.uninstall(guid, force, before));
            plan.notes().forEach(progress::line);
            if (command.json) {
                var o = plan.toJson();
                o.put("result", "committed");
                command.print(o);
            } else {
                command.out().println("uninstalled " + Guids.format(guid) + ": " + plan.steps().size() + " steps; the catalog order is as before the install");
            }
            return ExitCodes.OK;
        });
    }
}
