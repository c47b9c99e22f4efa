package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogChecks;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.StateChecks;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", sortOptions = false,
        description = {
            "Check the catalog and what the shim loads, as they are now.",
            "",
            "Check the catalog for what breaks Winsock programs: chains naming missing ids, layered entries in no chain, duplicate ids, one GUID under two DLLs, provider DLLs that do not exist, (with --manifest or --provider) our chains not first in the order, and (with --manifest) entries of ours whose LSP categories differ from the manifest's. Check the catalog's own files: an unfinished or damaged journal, a damaged catalog.json, next-ids.json or applications.json, temp files a crash left. Check what the shim will load: its configuration (there, readable, parsed as the shim parses it), the JVM, class path and lower provider it names, and every path the catalog and the configuration name against the installer's path-safety rules, as they are now. `wsp4j repair` fixes what is safe to fix; each problem says what to do."},
        footer = {
            "  wsp4j verify",
            "  wsp4j verify --manifest provider-manifest/accounting.host.json --json",
            "",
            "Exit codes: 0 no problems; 1 problems found (listed), or the catalog cannot be read; 2 bad manifest or arguments; 3 catalog busy, or an earlier transaction did not finish (listed; run `wsp4j rollback`)."})
final class VerifyCommand extends Subcommand {
    @Mixin
    CatalogCommand command;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Also check this provider's chains are first and its entries have the manifest's LSP categories.")
    Path manifest;

    @Option(names = "--provider", paramLabel = "GUID", description = "Same as --manifest, by GUID.")
    String provider;

    @Override
    int execute() throws Exception {
        ProviderGuid named = ProviderGuid.of(manifest, provider);
        Optional<UUID> ours = named.guid();
        OptionalInt categories = named.categories();
        Catalog catalog = command.openExisting();
        StateChecks.Report state;
        List<CatalogChecks.Problem> problems;
        try (CatalogLock lock = catalog.readLock(command.lockWait())) {
            state = StateChecks.check(catalog, ours);
            problems = state.image().map(image -> CatalogChecks.check(catalog, image, ours, categories)).orElse(List.of());
        }
        boolean interrupted = state.problems().stream().anyMatch(p -> p.kind() == StateChecks.Kind.INTERRUPTED_TRANSACTION);
        int found = problems.size() + state.problems().size();
        int code = interrupted ? ExitCodes.REFUSED : found == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        var out = out();
        if (command.json) {
            var o = CatalogJson.MAPPER.createObjectNode();
            o.put("interruptedTransaction", interrupted);
            var s = o.putArray("stateProblems");
            for (var p : state.problems()) s.addObject().put("kind", p.kind().name()).put("message", p.message());
            var a = o.putArray("problems");
            for (var p : problems) {
                a.addObject().put("kind", p.kind().name()).put("catalog", p.catalog().label()).put("catalogId", p.catalogId())
                        .put("message", p.message()).put("repairable", p.fix().isPresent());
            }
            if (code != ExitCodes.OK) {
                JsonFailure.mark(o, interrupted ? "an earlier catalog transaction did not finish: run `wsp4j rollback"
                        + CatalogCommand.catalogArgument(catalog) + "` first" : found + " problem(s) in the " + catalog.describe(), code);
            }
            command.print(o);
        } else {
            for (var p : state.problems()) out.println(p.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + p.message());
            for (var p : problems) {
                out.println(p.catalog().label() + "-bit id " + p.catalogId() + ": " + p.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + ": " + p.message() + (p.fix().isPresent() ? " [repair fixes this]" : ""));
            }
            if (found == 0) out.println("ok: no problems in the " + catalog.describe());
        }
        return code;
    }
}
