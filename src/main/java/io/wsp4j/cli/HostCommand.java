package io.wsp4j.cli;

import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.ShimConfigFile;
import io.wsp4j.catalog.windows.WindowsCatalog;
import io.wsp4j.manifest.ProviderManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wsp4j host}: loopback traffic on the Linux SPI host through the catalog as it is installed now. */
@Command(
        name = "host",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Run loopback traffic on the Linux SPI host through the catalog as installed.",
            "",
            "Runs a WSAAsyncSelect loopback exchange on the Linux SPI host through the file catalog as it is"
                    + " installed now: whatever provider comes first for TCP/IPv4 (wsp4j's layered provider"
                    + " through the native shim, after `wsp4j install`; the base provider alone otherwise)."
                    + " Prints the window messages and, for the accounting sample, its numbers. Changes nothing.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j install --manifest provider-manifest/accounting.host.json && wsp4j host",
            "  wsp4j host --catalog /tmp/cat",
            "  wsp4j host --application /usr/bin/scanner   # as an application whose LSP categories are set",
            "",
            "Exit codes: 0 the exchange completed; 1 failure; 2 bad arguments (e.g. --catalog names no directory, --extra without --application, or on Windows, where the real ws2_32 runs); 3 an earlier transaction did not finish (run `wsp4j rollback`)."
        })
public final class HostCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "The file catalog. Default: $WSP4J_HOME, else $XDG_STATE_HOME/wsp4j, else ~/.local/state/wsp4j.")
    Path catalogDir;

    @Option(names = "--provider-class", paramLabel = "CLASS",
            description = "The Java provider class the shim's JVM runs. Default: the one the installed shim"
                    + " configuration names (-Dwsp4j.provider=…), else the accounting sample.")
    String providerClass;

    @Option(names = "--application", paramLabel = "PATH",
            description = "Run as this application: the host's process takes the LSP categories the catalog permits it"
                    + " (`wsp4j app-category`) and leaves out the LSPs Windows would not load into it.")
    String application;

    @Option(names = "--extra", paramLabel = "ARGS", description = "With --application: its command line, as `wsp4j app-category --extra`.")
    String extra;

    @Option(names = {"-x", "--stacktrace"}, description = "On failure, print the stack trace, not just one line.")
    boolean stacktrace;

    @Override
    public Integer call() {
        return Failures.guard(spec, () -> {
            if (WindowsCatalog.isWindows()) {
                throw new CliException(ExitCodes.BAD_INPUT, "the Linux SPI host runs on Linux; on Windows, Winsock itself loads the provider");
            }
            if (extra != null && application == null) {
                throw new CliException(ExitCodes.BAD_INPUT, "--extra is the command line of an --application: give --application PATH too");
            }
            if (application != null && application.isBlank()) {
                throw new CliException(ExitCodes.BAD_INPUT, "--application: must not be empty; expected the path of an executable");
            }
            PrintWriter out = spec.commandLine().getOut();
            FileCatalog catalog = CatalogCommand.openFileCatalog(catalogDir, false, spec.commandLine().getErr());
            java.util.OptionalInt permitted;
            try (CatalogLock lock = catalog.readLock(Duration.ofSeconds(30))) {
                CatalogCommand.refuseIfInterrupted(catalog);
                catalog.read(); // a damaged catalog says so, and how to restore it
                permitted = application == null ? java.util.OptionalInt.empty()
                        : catalog.applicationCategories(new io.wsp4j.catalog.AppId(application, extra));
            }
            Optional<ShimConfigFile.Parsed> config = installedConfig(catalog);
            String provider = providerClass != null ? providerClass
                    : config.flatMap(c -> c.systemProperty(ShimConfigFile.PROVIDER_PROPERTY)).orElse(ProviderManifest.DEFAULT_PROVIDER_CLASS);
            out.println("loopback traffic through " + catalog.describe() + " on the Linux SPI host");
            if (application != null) {
                io.wsp4j.catalog.AppId app = new io.wsp4j.catalog.AppId(application, extra);
                out.println("as " + app + ", which " + (permitted.isPresent() ? "permits "
                        + io.wsp4j.catalog.LspCategory.describe(permitted.getAsInt()) : "is not categorized"));
            }
            HostTraffic.printAccounting(out, HostTraffic.run(out, catalog, catalog.stateDir(), provider,
                    config.flatMap(c -> c.get("lower_provider")).map(Path::of), permitted));
            return ExitCodes.OK;
        });
    }

    /** The shim configuration the installer wrote, as the shim reads it; empty when there is none it could use. */
    static Optional<ShimConfigFile.Parsed> installedConfig(FileCatalog catalog) {
        try {
            return catalog.shimConfig().read().map(ShimConfigFile::parse);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the shim discards it too: the run shows what that does
        }
    }
}
