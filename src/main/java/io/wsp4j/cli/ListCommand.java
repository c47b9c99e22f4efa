package io.wsp4j.cli;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Show the Winsock catalog in provider order, chains drawn.",
            "",
            "Show the Winsock catalog in provider order (the order ws2_32 searches): base providers, hidden layered entries and protocol chains, drawn as [wsp4j sample] → [MSAFD Tcpip [TCP/IP]]."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j list                      # the 64-bit catalog",
            "  wsp4j list --bits 32",
            "  wsp4j list --bits all --json    # every field of every entry",
            "",
            "Exit codes: 0 listed; 1 the catalog cannot be read (damaged: the message says how to restore it); 2 bad arguments (e.g. --catalog names no directory); 3 catalog busy, or an earlier transaction did not finish (run `wsp4j rollback`)."})
final class ListCommand implements Callable<Integer> {
    @Mixin
    CatalogCommand command;

    @Option(names = "--bits", paramLabel = "64|32|all", defaultValue = "64",
            description = "Which catalog to show (default: ${DEFAULT-VALUE}).")
    String bits;

    @Override
    public Integer call() {
        return command.run(() -> {
            if (!bits.equals("64") && !bits.equals("32") && !bits.equals("all")) {
                throw new CliException(ExitCodes.BAD_INPUT, "--bits: \"" + bits + "\"; expected 64, 32 or all");
            }
            Catalog catalog = command.openExisting();
            CatalogImage image = command.readConsistent(catalog);
            if (command.json) {
                command.print(CatalogJson.toJson(image));
                return ExitCodes.OK;
            }
            var out = command.out();
            boolean first = true;
            for (Bitness b : Bitness.values()) {
                if (!image.has(b) || !(bits.equals("all") || bits.equals(b.label()))) continue;
                if (!first) out.println();
                first = false;
                out.println(b.label() + "-bit catalog (" + catalog.describe() + "), " + image.entries(b).size() + " entries:");
                out.print(CatalogTable.render(image, b, e -> ""));
            }
            return ExitCodes.OK;
        });
    }
}
