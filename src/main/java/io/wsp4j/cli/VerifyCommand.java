package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogChecks;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.StateChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Check the catalog and what the shim loads, as they are now.",
            "",
            "Check the catalog for what breaks Winsock programs: chains naming missing ids, layered entries in no chain, duplicate ids, one GUID under two DLLs, provider DLLs that do not exist, (with --manifest or --provider) our chains not first in the order, and (with --manifest) entries of ours whose LSP categories differ from the manifest's. Check the catalog's own files: an unfinished or damaged journal, a damaged catalog.json, next-ids.json or applications.json, temp files a crash left. Check what the shim will load: its configuration (there, readable, parsed as the shim parses it), the JVM, class path and lower provider it names, and every path the catalog and the configuration name against the installer's path-safety rules, as they are now. `wsp4j repair` fixes what is safe to fix; each problem says what to do."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j verify",
            "  wsp4j verify --manifest provider-manifest/accounting.host.json --json",
            "",
            "Exit codes: 0 no problems; 1 problems found (listed), or the catalog cannot be read; 2 bad manifest or arguments; 3 catalog busy, or an earlier transaction did not finish (listed; run `wsp4j rollback`)."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Also check this provider's chains are first and its entries have the manifest's LSP categories.")
    Path manifest;

    @Option(names = "--provider", paramLabel = "GUID", description = "Same as --manifest, by GUID.")
    String provider;

    @Override
    public Integer call() {
        return command.run(() -> {
            Optional<UUID> ours = ProviderGuid.of(manifest, provider);
            OptionalInt categories = ProviderGuid.categories(manifest);
            Catalog catalog = command.openExisting();
            StateChecks.Report state;
            List<CatalogChecks.Problem> problems;
            try (CatalogLock lock = catalog.readLock(Duration.ofSeconds(command.waitSeconds))) {
                state = StateChecks.check(catalog, ours);
                problems = state.image().map(image -> CatalogChecks.check(catalog, image, ours, categories)).orElse(List.of());
            }
            boolean interrupted = state.problems().stream().anyMatch(p -> p.kind() == StateChecks.Kind.INTERRUPTED_TRANSACTION);
            var out = command.out();
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
                command.print(o);
            } else {
                for (var p : state.problems()) out.println(p.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + p.message());
                for (var p : problems) {
                    out.println(p.catalog().label() + "-bit id " + p.catalogId() + ": " + p.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                            + ": " + p.message() + (p.fix().isPresent() ? " [repair fixes this]" : ""));
                }
                if (problems.isEmpty() && state.problems().isEmpty()) out.println("ok: no problems in the " + catalog.describe());
            }
            if (interrupted) return ExitCodes.REFUSED;
            return problems.isEmpty() && state.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        });
    }
}
