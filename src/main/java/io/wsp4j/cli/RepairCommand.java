package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogChecks;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.Plan;
import io.wsp4j.catalog.Transaction;
import io.wsp4j.catalog.TransactionListener;
import io.wsp4j.manifest.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CatalogOptions catalogOptions;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Also put this provider's chains first.")
    Path manifest;

    @Option(names = "--provider", paramLabel = "GUID", description = "Same as --manifest, by GUID.")
    String provider;

    @Option(names = "--dry-run", description = "Print the repair plan and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        return Failures.guard(spec, () -> {
            Optional<UUID> ours = manifest != null ? Optional.of(ManifestParser.parse(manifest).providerGuid())
                    : provider != null ? Optional.of(UninstallCommand.parseGuid(provider)) : Optional.empty();
            Catalog catalog = catalogOptions.open();
            var out = spec.commandLine().getOut();
            Plan preview = CatalogChecks.repairPlan(catalog, catalog.read(), ours);
            if (dryRun || preview.steps().isEmpty()) {
                out.print(catalogOptions.json ? new String(CatalogJson.bytes(preview.toJson()), StandardCharsets.UTF_8)
                        : preview.steps().isEmpty() ? "nothing to repair\n" + notes(preview) : PlanView.render(preview));
                return ExitCodes.OK;
            }
            Progress progress = new Progress(spec.commandLine().getErr());
            Transaction tx = new Transaction(catalog, catalogOptions.lockWait(),
                    TransactionListener.both(progress, TestHooks.fromSystemProperties()));
            Plan plan = tx.run(before -> CatalogChecks.repairPlan(catalog, before, ours));
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
