package io.wsp4j.cli;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.InstallerFiles;
import io.wsp4j.catalog.OurEntries;
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

@Command(name = "install", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Install a provider into the Winsock catalog, as one transaction.",
            "",
            "Install a provider into the Winsock catalog as one transaction: the files the shim loads that are not where the manifest says yet (the shims, the wsp4j jar and its jars, copied from this installation and recorded, so that uninstall removes exactly those), a hidden layered entry, one protocol chain per base protocol it layers over (put first in the provider order), and the shim configuration (with the lower provider it passes untargeted processes to). Every path must be absolute, exist once installed, and be writable only by administrators (root or you, for the file catalog). Any failure rolls everything back; a crash leaves a journal for `wsp4j rollback`."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j install --manifest provider-manifest/accounting.host.json",
            "  wsp4j install --manifest my.json --dry-run        # print the plan, change nothing",
            "  wsp4j install --manifest my.json --catalog /tmp/cat --json",
            "",
            "Exit codes: 0 installed; 1 failure (journal kept: run `wsp4j rollback`; or the catalog is damaged: the message says how to restore it); 2 bad manifest or arguments, a missing or unsafe path, nothing changed; 3 refused (already installed, GUID taken, catalog busy, earlier transaction unfinished); 4 failed and rolled back, the catalog and every file as they were."})
final class InstallCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The provider manifest (JSON).")
    Path manifest;

    @Option(names = "--dry-run", description = "Print the plan (a readable diff, or JSON with --json) and change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Install although a file the manifest names is missing (and this installation has"
            + " none to put there), or the log is in a directory anyone can write; says what it accepted.")
    boolean force;

    @Override
    public Integer call() {
        return command.run(() -> {
            ProviderManifest m = ManifestParser.parse(manifest);
            Catalog catalog = dryRun ? command.openExisting() : command.openOrCreate();
            boolean done = false;
            try {
                Planner planner = new Planner(catalog, PathExpander.systemDefault(), InstallerFiles.ofThisInstallation(), force);
                if (dryRun) {
                    command.print(command.<Plan>underReadLock(catalog, c -> planner.install(m, c.read())));
                    return ExitCodes.OK;
                }
                Progress progress = command.progress().opening("installing \"" + m.name() + "\" " + Guids.format(m.providerGuid())
                        + " into the " + catalog.describe());
                Plan plan = command.transaction(catalog, progress).run(before -> planner.install(m, before));
                plan.notes().forEach(n -> progress.line("note: " + n));
                if (command.json) {
                    var o = plan.toJson();
                    o.put("result", "committed");
                    o.set("catalog", CatalogJson.toJson(catalog.read()));
                    command.print(o);
                } else {
                    var out = command.out();
                    var now = catalog.read();
                    for (Bitness b : m.catalogs()) {
                        var ours = OurEntries.find(now, b, m.providerGuid());
                        out.println("installed in the " + b.label() + "-bit catalog: layered entry "
                                + ours.layered().get().info().catalogEntryId() + ", " + ours.chains().size() + " chains (ids "
                                + ours.chains().stream().map(c -> Integer.toString(c.info().catalogEntryId())).collect(java.util.stream.Collectors.joining(", "))
                                + "), first in the provider order");
                    }
                    out.println("shim configuration: " + catalog.shimConfig().location());
                }
                done = true;
                return ExitCodes.OK;
            } finally {
                command.finishCreation(done, catalog);
            }
        });
    }
}
