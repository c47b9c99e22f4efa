package io.wsp4j.cli;

import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.windows.WindowsCatalog;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.selftest.Selftest;
import io.wsp4j.selftest.SelftestListener;
import io.wsp4j.selftest.SelftestPlatform;
import io.wsp4j.selftest.SelftestReport;
import io.wsp4j.selftest.StepResult;
import io.wsp4j.selftest.host.HostSelftestPlatform;
import io.wsp4j.selftest.windows.WindowsSelftestPlatform;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wsp4j selftest}: the README's Windows test run as one command (and its twin on the Linux host). */
@Command(
        name = "selftest",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Install, prove, uninstall: a real run of the provider, one command.",
            "",
            "Runs the README's Windows test run end to end and prints a PASS, FAIL or SKIP line per step and a summary:"
                    + " (1) snapshot the catalog; (2) install the provider (both catalogs if the manifest names them);"
                    + " (3) read the catalog from a new process: our chains first, the hidden layered entry, each catalog's"
                    + " entries naming its own shim; (4) start an allowed program (a new JVM) that runs a WSAAsyncSelect and an"
                    + " IOCP/AcceptEx exchange over loopback, and find each of its connections in the accounting log with the"
                    + " bytes it moved; (5) start a program off the allow-list and check the shim passed it by with no Java in"
                    + " it; (6) the same for a 32-bit program; (7) uninstall; (8) compare the catalog with the snapshot, byte"
                    + " for byte. The checks 3-6 all run even if one fails; after any failure the install is rolled back"
                    + " (uninstall, the journal, at last the snapshot) and the report says what was done.",
            "",
            "On Windows (elevated): the system catalogs; java.exe is the allowed program, the 64-bit and 32-bit"
                    + " Windows PowerShell the untargeted ones. On Linux: the file catalog and child JVMs running the Linux"
                    + " SPI host through the native shim; the untargeted program is a JVM started as `wsp4j-untargeted`;"
                    + " no 32-bit process runs (that step is skipped)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j selftest --catalog \"$(mktemp -d)\"                   # Linux: a fresh file catalog",
            "  wsp4j.cmd selftest --report selftest.json                 # Windows, elevated",
            "  powershell -ExecutionPolicy Bypass -File install-scripts\\selftest.ps1",
            "",
            "Exit codes: 0 every step passed and the catalog is byte for byte as before; 1 a step failed before anything"
                    + " changed, or the rollback could not restore the catalog (the report names the snapshot for `wsp4j"
                    + " rollback --snapshot`); 2 bad input (manifest, arguments), nothing changed; 3 refused by the current"
                    + " state (already installed, not elevated, an unfinished transaction, catalog busy), nothing changed;"
                    + " 4 a step failed and everything was rolled back: the catalog is byte for byte as before."
        })
final class SelftestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Linux: the file catalog to test in (created on first use). Default: $WSP4J_HOME, else"
                    + " $XDG_STATE_HOME/wsp4j, else ~/.local/state/wsp4j. On Windows the system catalogs are tested; not accepted.")
    Path catalogDir;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "The provider to test. Default: provider-manifest/accounting.windows.json on Windows,"
                    + " provider-manifest/selftest.host.json on Linux (under the wsp4j root).")
    Path manifest;

    @Option(names = "--json", description = "Print the report as JSON on stdout (the step lines go to stderr).")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path reportFile;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Where the child programs write (their accounting log, the Linux host's renamed launcher); kept."
                    + " Default: a new temporary folder, deleted when every step passed.")
    Path workDir;

    @Option(names = {"-v", "--verbose"}, description = "Print every step's details (child output, log lines), not only a failed step's.")
    boolean verbose;

    @Option(names = {"-x", "--stacktrace"}, description = "On failure, print the stack trace, not just one line.")
    boolean stacktrace;

    @Override
    public Integer call() {
        return Failures.guard(spec, this::selftest);
    }

    private int selftest() throws Exception {
        boolean windows = WindowsCatalog.isWindows();
        if (windows && catalogDir != null) {
            throw new CliException(ExitCodes.BAD_INPUT, "--catalog: on Windows the selftest tests the system catalogs (the file"
                    + " catalog's programs run on the Linux host only)");
        }
        Path manifestFile = manifest != null ? manifest : defaultManifest(windows);
        ProviderManifest m = ManifestParser.parse(manifestFile);
        Path dir = (catalogDir != null ? catalogDir : FileCatalog.defaultDirectory(System.getenv())).toAbsolutePath().normalize();
        Path created = null; // the outermost directory the selftest makes for a file catalog, as install does
        if (!windows) {
            for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) created = p;
            CatalogCommand.openFileCatalog(catalogDir, true, spec.commandLine().getErr());
        }
        SelftestPlatform platform = windows ? new WindowsSelftestPlatform(new ChildCatalogReader(null))
                : new HostSelftestPlatform(dir, new ChildCatalogReader(dir));
        boolean temporary = workDir == null;
        Path work = temporary ? Files.createTempDirectory("wsp4j-selftest-") : Files.createDirectories(workDir);

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter lines = json ? err : out;
        lines.println("wsp4j selftest: " + platform.describe() + "; manifest " + manifestFile);
        lines.flush();
        SelftestReport report = new Selftest(platform, new SubcommandInstaller(manifestFile, platform.catalogArguments()), m, work,
                new Lines(lines, err, verbose)).run();

        boolean nothingChanged = report.verdict() == SelftestReport.Verdict.BAD_INPUT || report.verdict() == SelftestReport.Verdict.REFUSED;
        if (created != null && nothingChanged) FileCatalog.removeIfOnlySeeded(dir, created); // a refused run leaves no catalog behind
        boolean keep = !temporary || report.verdict() != SelftestReport.Verdict.PASSED;
        if (!keep) deleteTree(work);
        SelftestReport shown = new SelftestReport(report.platform(), report.started(), report.steps(), report.verdict(), report.message(),
                report.snapshot(), report.rollback(), keep ? report.workDir() : java.util.Optional.empty());
        byte[] reportJson = CatalogJson.bytes(shown.toJson());
        if (reportFile != null) {
            Path parent = reportFile.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.write(reportFile, reportJson);
        }
        if (json) {
            out.print(new String(reportJson, StandardCharsets.UTF_8));
        } else {
            out.printf("%s: %d passed, %d failed, %d skipped - %s%n", shown.verdict() == SelftestReport.Verdict.PASSED ? "PASSED" : "FAILED",
                    shown.count(io.wsp4j.selftest.Outcome.PASS), shown.count(io.wsp4j.selftest.Outcome.FAIL),
                    shown.count(io.wsp4j.selftest.Outcome.SKIP), shown.message());
            shown.workDir().ifPresent(w -> out.println("the children's logs are in " + w));
            if (reportFile != null) out.println("report: " + reportFile);
        }
        out.flush();
        return switch (shown.verdict()) {
            case PASSED -> ExitCodes.OK;
            case BAD_INPUT -> ExitCodes.BAD_INPUT;
            case REFUSED -> ExitCodes.REFUSED;
            case FAILED_ROLLED_BACK -> ExitCodes.ROLLED_BACK;
            case FAILED -> ExitCodes.FAILURE;
        };
    }

    private static Path defaultManifest(boolean windows) {
        Path base = PathExpander.systemDefault().expandOrEmpty("${WSP4J_ROOT}").map(Path::of).orElse(Path.of(""));
        return base.resolve("provider-manifest").resolve(windows ? "accounting.windows.json" : "selftest.host.json");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** One line per step on {@code lines} (stdout, or stderr under --json), its start on stderr as progress. */
    private record Lines(PrintWriter lines, PrintWriter progress, boolean verbose) implements SelftestListener {
        @Override
        public void started(int index, int total, String step, String what) {
            progress.println("[" + index + "/" + total + "] " + step + ": " + what);
            progress.flush();
        }

        @Override
        public void finished(StepResult r) {
            lines.printf("%-4s  %-10s  %s%n", r.outcome().name(), r.step(), r.summary());
            if (verbose || r.failed()) r.details().forEach(d -> lines.println("      " + d));
            lines.flush();
        }

        @Override
        public void note(String line) {
            lines.println("      " + line);
            lines.flush();
        }
    }
}
