package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogChecks;
import io.wsp4j.catalog.Plan;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "repair", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Fix what `verify` finds, where that is safe.",
            "",
            "Fix what `wsp4j verify` finds where the fix cannot make things worse, as one transaction: remove chains whose ids are missing and layered entries in no chain, and (with --manifest/--provider) put our chains first again. Everything else is listed for a human. Use `wsp4j rollback` first if a transaction was interrupted."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j repair --dry-run",
            "  wsp4j repair --manifest provider-manifest/accounting.host.json",
            "",
            "Exit codes: 0 repaired or nothing to repair; 1 failure; 2 bad manifest; 3 catalog busy or a transaction unfinished; 4 the repair failed and was rolled back."})
final class RepairCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Also put this provider's chains first and give its entries the manifest's LSP categories.")
    Path manifest;

    @Option(names = "--provider", paramLabel = "GUID", description = "Same as --manifest, by GUID.")
    String provider;

    @Option(names = "--dry-run", description = "Print the repair plan and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        return command.run(() -> {
            Optional<UUID> ours = ProviderGuid.of(manifest, provider);
            OptionalInt categories = ProviderGuid.categories(manifest);
            Catalog catalog = command.openCatalog();
            var out = command.out();
            Plan preview = CatalogChecks.repairPlan(catalog, catalog.read(), ours, categories);
            if (dryRun || preview.steps().isEmpty()) {
                if (preview.steps().isEmpty() && !command.json) out.print("nothing to repair\n" + notes(preview));
                else command.print(preview);
                return ExitCodes.OK;
            }
            Plan plan = command.transaction(catalog, command.progress()).run(before -> CatalogChecks.repairPlan(catalog, before, ours, categories));
            out.println("repaired: " + plan.steps().size() + " steps");
            out.print(notes(plan));
            return ExitCodes.OK;
        });
    }

    private static String notes(Plan p) {
        StringBuilder sb = new StringBuilder();
        p.notes().forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }
}
