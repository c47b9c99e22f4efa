package io.wsp4j.cli;

import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.InstallerFiles;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.Plan;
import io.wsp4j.catalog.Planner;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Show what install or uninstall would do; change nothing.",
            "",
            "Validate a manifest and show what `install` (or, with --uninstall, `uninstall`) would do to the catalog: the steps, then the catalog after them marked + added, - removed, ~ changed, ^ moved. Changes nothing."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j plan --manifest provider-manifest/accounting.host.json",
            "  wsp4j plan --manifest my.json --uninstall --json",
            "",
            "Exit codes: 0 a plan was made; 1 the catalog cannot be read; 2 bad manifest, arguments, or a missing or unsafe path; 3 refused by the catalog's state (already installed, catalog busy, an earlier transaction unfinished)."})
final class PlanCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The provider manifest (JSON).")
    Path manifest;

    @Option(names = "--uninstall", description = "Plan the uninstall instead of the install.")
    boolean uninstall;

    @Option(names = "--force", description = "As install/uninstall --force: accept missing files; re-chain LSPs layered over ours.")
    boolean force;

    @Override
    public Integer call() {
        return command.run(() -> {
            ProviderManifest m = ManifestParser.parse(manifest);
            Catalog catalog = command.openExisting();
            Planner planner = new Planner(catalog, PathExpander.systemDefault(), InstallerFiles.ofThisInstallation(), force);
            command.print(command.<Plan>underReadLock(catalog, c -> uninstall ? planner.uninstall(m.providerGuid(), force, c.read())
                    : planner.install(m, c.read())));
            return ExitCodes.OK;
        });
    }
}
