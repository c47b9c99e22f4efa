package io.wsp4j.cli;

import io.wsp4j.winsock.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogChecks;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.Plan;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "repair", sortOptions = false,
        description = {
            "Fix what `verify` finds, where that is safe.",
            "",
            "Fix what `wsp4j verify` finds where the fix cannot make things worse, as one transaction: remove chains whose ids are missing and layered entries in no chain, (with --manifest/--provider) put our chains first again, and (with --manifest) give our entries the manifest's LSP categories. A damaged next-ids.json (the file catalog's id counters) is rewritten from the catalog's highest ids first. Everything else is listed for a human. Use `wsp4j rollback` first if a transaction was interrupted."},
        footer = {
            "  wsp4j repair --dry-run",
            "  wsp4j repair --manifest provider-manifest/accounting.host.json",
            "",
            "Exit codes: 0 repaired or nothing to repair; 1 failure (e.g. catalog.json damaged: the message says how to restore it); 2 bad manifest or arguments; 3 catalog busy or a transaction unfinished (run `wsp4j rollback`); 4 the repair failed and was rolled back."})
final class RepairCommand extends Subcommand {
    @Mixin
    CatalogCommand command;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Also put this provider's chains first and give its entries the manifest's LSP categories.")
    Path manifest;

    @Option(names = "--provider", paramLabel = "GUID", description = "Same as --manifest, by GUID.")
    String provider;

    @Option(names = "--dry-run", description = "Print the repair plan and change nothing.")
    boolean dryRun;

    @Override
    int execute() throws Exception {
        ProviderGuid named = ProviderGuid.of(manifest, provider);
        Optional<UUID> ours = named.guid();
        OptionalInt categories = named.categories();
        Catalog catalog = command.openExisting();
        var out = out();
        Optional<Map<Bitness, Integer>> counters = dryRun ? Optional.empty() : rebuildDamagedCounters(catalog);
        counters.ifPresent(ids -> command.progress().line("rewrote " + FileCatalog.NEXT_IDS_FILE + " from the catalog's highest ids:"
                + " next ids " + ids));
        Plan preview = command.underReadLock(catalog, c -> CatalogChecks.repairPlan(c, c.read(), ours, categories));
        if (dryRun || preview.steps().isEmpty()) {
            if (command.json) {
                var o = preview.toJson();
                o.put("result", dryRun ? "planned" : "nothing to repair");
                counters.ifPresent(ids -> o.put("idCountersRewritten", true));
                command.print(o);
            } else if (preview.steps().isEmpty()) {
                out.print("nothing " + (counters.isPresent() ? "else " : "") + "to repair\n" + notes(preview));
            } else {
                command.print(preview);
            }
            return ExitCodes.OK;
        }
        Plan plan = command.transaction(catalog, command.progress()).run(before -> CatalogChecks.repairPlan(catalog, before, ours, categories));
        if (command.json) {
            var o = plan.toJson();
            o.put("result", "committed");
            counters.ifPresent(ids -> o.put("idCountersRewritten", true));
            command.print(o);
        } else {
            out.println("repaired: " + plan.steps().size() + " steps");
            out.print(notes(plan));
        }
        return ExitCodes.OK;
    }

    /** A file catalog's damaged id counters, rewritten under the writer lock (after checking no transaction is unfinished). */
    private Optional<Map<Bitness, Integer>> rebuildDamagedCounters(Catalog catalog) {
        Optional<FileCatalog> file = CatalogCommand.fileCatalog(catalog);
        if (file.isEmpty()) return Optional.empty();
        FileCatalog f = file.get();
        catalog.checkWriteAccess();
        try (CatalogLock lock = catalog.lock(command.lockWait())) {
            CatalogCommand.refuseIfInterrupted(catalog);
            if (f.damagedIdCounters().isEmpty()) return Optional.empty();
            return Optional.of(f.rebuildIdCounters());
        }
    }

    private static String notes(Plan p) {
        StringBuilder sb = new StringBuilder();
        p.notes().forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }
}
