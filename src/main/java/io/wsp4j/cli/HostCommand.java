package io.wsp4j.cli;

import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.ShimConfigFile;
import io.wsp4j.catalog.windows.WindowsCatalog;
import io.wsp4j.manifest.ProviderManifest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
            "Exit codes: 0 the exchange completed; 1 failure; 2 bad arguments (e.g. on Windows, where the real ws2_32 runs)."
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
            PrintWriter out = spec.commandLine().getOut();
            Path dir = catalogDir != null ? catalogDir : FileCatalog.defaultDirectory(System.getenv());
            FileCatalog catalog = FileCatalog.open(dir);
            String provider = providerClass != null ? providerClass : installedProviderClass(catalog);
            out.println("loopback traffic through " + catalog.describe() + " on the Linux SPI host");
            java.util.OptionalInt permitted = java.util.OptionalInt.empty();
            if (application != null) {
                io.wsp4j.catalog.AppId app = new io.wsp4j.catalog.AppId(application, extra);
                permitted = catalog.applicationCategories(app);
                out.println("as " + app + ", which " + (permitted.isPresent() ? "permits "
                        + io.wsp4j.catalog.LspCategory.describe(permitted.getAsInt()) : "is not categorized"));
            }
            HostTraffic.printAccounting(out, HostTraffic.run(out, catalog, dir, provider, permitted));
            return ExitCodes.OK;
        });
    }

    /** The -Dwsp4j.provider=… the installer wrote into the shim configuration, if any. */
    private static String installedProviderClass(FileCatalog catalog) throws java.io.IOException {
        Path config = catalog.shimConfig().location();
        if (Files.isRegularFile(config)) {
            String option = "jvm_option=-D" + ShimConfigFile.PROVIDER_PROPERTY + "=";
            for (String line : Files.readAllLines(config)) {
                String l = line.strip();
                if (l.startsWith(option)) return l.substring(option.length());
            }
        }
        return ProviderManifest.DEFAULT_PROVIDER_CLASS;
    }
}
