package io.wsp4j.cli;

import io.wsp4j.catalog.AppId;
import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.LspCategory;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.Plan;
import io.wsp4j.catalog.Planner;
import io.wsp4j.catalog.ProtocolEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "app-category", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Show or add the LSP categories an application permits.",
            "",
            "An application whose LSP categories are set loads only the LSPs that have categories, all of them permitted (and LSP_SYSTEM if it permits LSP_SYSTEM); an application nobody categorized loads every LSP. Without --permit, show what APPLICATION permits and which installed LSPs load into it. With --permit, add categories as one transaction (WSCSetApplicationCategory). Windows only ever adds: nothing takes a permitted category back, so on Windows a change can be undone only while its transaction runs; the file catalog's `wsp4j rollback` restores it exactly. A running program keeps what it read at its first WSAStartup.",
            "",
            "Categories: LSP_INSPECTOR, LSP_REDIRECTOR, LSP_PROXY, LSP_FIREWALL, LSP_INBOUND_MODIFY, LSP_OUTBOUND_MODIFY, LSP_CRYPTO_COMPRESS, LSP_LOCAL_CACHE, LSP_SYSTEM (case and the LSP_ prefix may be left out)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j app-category C:\\Tools\\scanner.exe",
            "  wsp4j app-category C:\\Tools\\scanner.exe --permit LSP_FIREWALL --permit LSP_REDIRECTOR",
            "  wsp4j app-category %SystemRoot%\\system32\\svchost.exe --extra \"-k netsvcs\" --permit system --dry-run",
            "",
            "Exit codes: 0 shown or changed; 1 failure (journal kept: run `wsp4j rollback`; or the catalog is damaged: the message says how to restore it); 2 bad input or arguments (a category name, an empty path, --dry-run without --permit, no such --catalog); 3 refused (it permits them already, catalog busy, an earlier transaction unfinished: run `wsp4j rollback`); 4 failed and rolled back."})
final class AppCategoryCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Parameters(index = "0", paramLabel = "APPLICATION", description = "The load path of the application's executable (may hold %VARIABLES%).")
    String path;

    @Option(names = "--extra", paramLabel = "ARGS",
            description = "The command line that tells apart instances of one executable (e.g. \"-k netsvcs\" for svchost.exe).")
    String extra;

    @Option(names = "--permit", paramLabel = "CATEGORY", description = "A category to permit (repeatable).")
    List<String> permit = new ArrayList<>();

    @Option(names = "--dry-run", description = "With --permit: print the plan and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        return command.run(() -> {
            AppId app;
            try {
                app = new AppId(path, extra);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.BAD_INPUT, "APPLICATION: " + e.getMessage());
            }
            int mask = 0;
            for (String name : permit) {
                LspCategory c = LspCategory.byName(name).orElseThrow(() -> new CliException(ExitCodes.BAD_INPUT,
                        "--permit: \"" + name + "\" is not an LSP category; `wsp4j app-category --help` lists them"));
                mask |= c.bit();
            }
            if (dryRun && permit.isEmpty()) {
                throw new CliException(ExitCodes.BAD_INPUT, "--dry-run goes with --permit: without it app-category only shows what"
                        + " the application permits, and changes nothing");
            }
            Catalog catalog = command.openExisting();
            if (permit.isEmpty()) {
                command.underReadLock(catalog, c -> {
                    show(c, app);
                    return null;
                });
                return ExitCodes.OK;
            }
            Planner planner = new Planner(catalog, PathExpander.systemDefault());
            int permitted = mask;
            if (dryRun) {
                command.print(command.<Plan>underReadLock(catalog, c -> planner.applicationCategories(app, permitted, c.read())));
                return ExitCodes.OK;
            }
            Progress progress = command.progress().opening("permitting " + LspCategory.describe(permitted) + " to " + app
                    + " in the " + catalog.describe());
            Plan plan = command.transaction(catalog, progress).run(before -> planner.applicationCategories(app, permitted, before));
            plan.notes().forEach(n -> progress.line("note: " + n));
            OptionalInt now = catalog.applicationCategories(app);
            if (command.json) {
                var o = plan.toJson();
                o.put("result", "committed");
                o.set("application", application(app, now));
                command.print(o);
            } else {
                command.out().println(app + " permits " + LspCategory.describe(now.orElse(0)));
            }
            return ExitCodes.OK;
        });
    }

    /** What the application permits, and for each LSP in the 64-bit catalog whether it loads there. */
    private void show(Catalog catalog, AppId app) {
        OptionalInt permitted = catalog.applicationCategories(app);
        CatalogImage image = catalog.read();
        List<ProtocolEntry> lsps = image.entries(Bitness.X64).stream().filter(ProtocolEntry::isLayered).toList();
        if (command.json) {
            var o = application(app, permitted);
            var a = o.putArray("lsps");
            for (ProtocolEntry l : lsps) {
                a.addObject().put("name", l.info().protocolName()).put("providerId", Guids.format(l.info().providerId()))
                        .put("categories", LspCategory.describe(l.categories())).put("loads", LspCategory.loads(permitted, l.categories()));
            }
            command.print(o);
            return;
        }
        var out = command.out();
        out.println(app + (permitted.isPresent() ? " permits " + LspCategory.describe(permitted.getAsInt())
                : " is not categorized: every LSP loads into it"));
        for (ProtocolEntry l : lsps) {
            out.println("  " + (LspCategory.loads(permitted, l.categories()) ? "loads     " : "left out  ") + l.info().protocolName()
                    + "  " + Guids.format(l.info().providerId()) + "  categories: " + LspCategory.describe(l.categories()));
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode application(AppId app, OptionalInt permitted) {
        var o = CatalogJson.MAPPER.createObjectNode();
        o.put("path", app.path());
        if (!app.extra().isEmpty()) o.put("extra", app.extra());
        o.put("categorized", permitted.isPresent());
        if (permitted.isPresent()) o.put("permitted", LspCategory.describe(permitted.getAsInt()));
        return o;
    }
}
