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
            "Remove exactly what `install` added, as one transaction: our protocol chains, then our layered entry, in each catalog (the provider order closes up to what it was), and the shim configuration. If another LSP is layered over ours (a chain naming any id of ours: our hidden entry's or, as Microsoft's installer writes it, one of our chain entries') it refuses and names it; --force re-chains such LSPs past ours (WSCUpdateProvider), or removes one that would have nothing left below it, and lists each change. On Windows the shim DLL stays loaded in running programs: --delete-shim deletes it now or at the next reboot."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j uninstall --manifest provider-manifest/accounting.host.json",
            "  wsp4j uninstall --provider {78E50FC9-5D21-4933-B2A6-C7521E9EE671} --dry-run",
            "  wsp4j uninstall --manifest my.json --force",
            "",
            "Exit codes: 0 removed; 1 failure (journal kept: run `wsp4j rollback`); 2 bad manifest; 3 refused (not installed, another LSP depends on ours, catalog busy); 4 failed and rolled back."})
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

    @Option(names = "--delete-shim", description = "After the uninstall, delete the shim DLL(s) our entries named, unless"
            + " another entry still names them. On Windows a DLL still loaded by running programs is deleted at the next reboot.")
    boolean deleteShim;

    @Override
    public Integer call() {
        return command.run(() -> {
            UUID guid = ProviderGuid.of(which.manifest, which.provider).orElseThrow(); // the group requires one
            Catalog catalog = command.openCatalog();
            Planner planner = new Planner(catalog, PathExpander.systemDefault());
            if (dryRun) {
                command.print(planner.uninstall(guid, force, catalog.read()));
                return ExitCodes.OK;
            }
            Progress progress = command.progress();
            progress.line("uninstalling " + Guids.format(guid) + " from the " + catalog.describe());
            Plan plan = command.transaction(catalog, progress).run(before -> planner.uninstall(guid, force, before));
            plan.notes().forEach(progress::line);
            if (deleteShim) deleteShims(catalog, plan, guid, progress);
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

    /** The DLLs our removed entries named, when nothing left in either catalog names them. */
    private static void deleteShims(Catalog catalog, Plan plan, UUID guid, Progress progress) {
        java.util.Set<String> ours = new java.util.LinkedHashSet<>();
        for (var b : io.wsp4j.catalog.Bitness.values()) {
            var found = io.wsp4j.catalog.OurEntries.find(plan.before(), b, guid);
            found.layered().ifPresent(e -> ours.add(e.path()));
            found.chains().forEach(e -> ours.add(e.path()));
        }
        var now = catalog.read();
        for (String path : ours) {
            boolean stillUsed = now.catalogs().values().stream().flatMap(java.util.List::stream).anyMatch(e -> e.path().equalsIgnoreCase(path));
            if (stillUsed) {
                progress.line("kept " + path + ": another catalog entry still names it");
                continue;
            }
            Path file = Path.of(PathExpander.systemDefault().expand(path));
            progress.line(file + " " + catalog.removeProviderFile(file).description());
        }
    }
}
