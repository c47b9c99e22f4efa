package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogChecks;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.Journal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Check the catalog for what breaks Winsock programs.",
            "",
            "Check the catalog for what breaks Winsock programs: chains naming missing ids, layered entries in no chain, duplicate ids, one GUID under two DLLs, provider DLLs that do not exist, an unfinished transaction, and (with --manifest or --provider) our chains not first in the order, and (with --manifest) entries of ours whose LSP categories differ from the manifest's. `wsp4j repair` fixes what is safe to fix."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j verify",
            "  wsp4j verify --manifest provider-manifest/accounting.host.json --json",
            "",
            "Exit codes: 0 no problems; 1 problems found (listed) or the catalog cannot be read; 2 bad manifest."})
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
            Catalog catalog = command.openCatalog();
            List<CatalogChecks.Problem> problems = CatalogChecks.check(catalog, catalog.read(), ours, categories);
            boolean interrupted = new Journal(catalog.stateDir()).exists();
            var out = command.out();
            if (command.json) {
                var o = CatalogJson.MAPPER.createObjectNode();
                o.put("interruptedTransaction", interrupted);
                var a = o.putArray("problems");
                for (var p : problems) {
                    a.addObject().put("kind", p.kind().name()).put("catalog", p.catalog().label()).put("catalogId", p.catalogId())
                            .put("message", p.message()).put("repairable", p.fix().isPresent());
                }
                command.print(o);
            } else {
                if (interrupted) out.println("an interrupted transaction's journal is present: run `wsp4j rollback`");
                for (var p : problems) {
                    out.println(p.catalog().label() + "-bit id " + p.catalogId() + ": " + p.kind().name().toLowerCase().replace('_', ' ')
                            + ": " + p.message() + (p.fix().isPresent() ? " [repair fixes this]" : ""));
                }
                if (problems.isEmpty() && !interrupted) out.println("ok: no problems in the " + catalog.describe());
            }
            return problems.isEmpty() && !interrupted ? ExitCodes.OK : ExitCodes.FAILURE;
        });
    }
}
