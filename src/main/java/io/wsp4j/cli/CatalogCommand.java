package io.wsp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.FreshReads;
import io.wsp4j.catalog.Plan;
import io.wsp4j.catalog.Transaction;
import io.wsp4j.catalog.TransactionListener;
import io.wsp4j.catalog.windows.WindowsCatalog;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every catalog command shares, mixed in: the catalog options, running the body with failures
 * mapped to exit codes, output (text, or JSON with --json) and the installer transaction.
 */
final class CatalogCommand {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Use the file catalog in DIR (created and seeded like a fresh Windows catalog on first use)."
                    + " Default: the system catalog on Windows; elsewhere $WSP4J_HOME, else $XDG_STATE_HOME/wsp4j,"
                    + " else ~/.local/state/wsp4j.")
    Path catalogDir;

    @Option(names = "--json", description = "Print machine-readable JSON on stdout instead of text.")
    boolean json;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for another installer to finish (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Option(names = {"-x", "--stacktrace"}, description = "On failure, print the stack trace, not just one line.")
    boolean stacktrace;

    /** Runs the command's body: its exit code, or its failure mapped by {@link Failures}. */
    Integer run(Callable<Integer> body) {
        return Failures.guard(spec, body);
    }

    /**
     * The catalog, read from a new process where this process's own view may be behind (after
     * WSCUpdateProvider, and always for a transaction's verification): see {@link FreshReads}.
     */
    Catalog openCatalog() {
        return new FreshReads(openCatalogAsItIs(), new ChildCatalogReader(catalogDir));
    }

    /** The catalog as this process sees it. */
    Catalog openCatalogAsItIs() {
        if (catalogDir != null) return FileCatalog.open(catalogDir);
        if (WindowsCatalog.isWindows()) return WindowsCatalog.system();
        return FileCatalog.open(FileCatalog.defaultDirectory(System.getenv()));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Progress lines go to stderr, so that stdout stays clean for --json. */
    Progress progress() {
        return new Progress(spec.commandLine().getErr());
    }

    /** A transaction on the catalog that waits --wait for the lock and reports to {@code progress}. */
    Transaction transaction(Catalog catalog, Progress progress) {
        return new Transaction(catalog, Duration.ofSeconds(waitSeconds),
                TransactionListener.both(progress, TestHooks.fromSystemProperties()));
    }

    /** A plan on stdout: readable with its catalog diff, or as JSON with --json. */
    void print(Plan plan) {
        out().print(json ? text(plan.toJson()) : PlanView.render(plan));
    }

    /** JSON output on stdout (commands call this under --json). */
    void print(JsonNode node) {
        out().print(text(node));
    }

    private static String text(JsonNode node) {
        return new String(CatalogJson.bytes(node), StandardCharsets.UTF_8);
    }
}
