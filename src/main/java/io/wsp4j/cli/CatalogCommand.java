package io.wsp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.FreshReads;
import io.wsp4j.catalog.InterruptedTransactionException;
import io.wsp4j.catalog.Journal;
import io.wsp4j.catalog.Plan;
import io.wsp4j.catalog.Transaction;
import io.wsp4j.catalog.TransactionListener;
import io.wsp4j.catalog.windows.WindowsCatalog;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every catalog command shares, mixed in: the catalog options, opening the catalog (only
 * install and demo create one), reading it consistently, running the body with failures mapped to
 * exit codes, output (text, or JSON with --json) and the installer transaction.
 */
final class CatalogCommand {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Use the file catalog in DIR (an existing directory; `install` creates it, and an empty one is seeded"
                    + " like a fresh Windows catalog). Default: the system catalog on Windows; elsewhere $WSP4J_HOME, else"
                    + " $XDG_STATE_HOME/wsp4j, else ~/.local/state/wsp4j.")
    Path catalogDir;

    @Option(names = "--json", description = "Print machine-readable JSON on stdout instead of text (errors too: {\"error\", \"exitCode\"}).")
    boolean json;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30", converter = WaitSeconds.class,
            description = "How long to wait for another installer to finish, 0 to 86400 (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Option(names = {"-x", "--stacktrace"}, description = "On failure, print the stack trace, not just one line.")
    boolean stacktrace;

    /** Runs the command's body: its exit code, or its failure mapped by {@link Failures}. */
    Integer run(Callable<Integer> body) {
        return Failures.guard(spec, body);
    }

    /**
     * The catalog of a command that may create it (install): --catalog DIR, or the default. Read from
     * a new process where this process's own view may be behind (after WSCUpdateProvider, and always
     * for a transaction's verification): see {@link FreshReads}.
     */
    Catalog openOrCreate() {
        return withFreshReads(open(true));
    }

    /** The outermost directory {@link #openOrCreate} created, if it created one. */
    private Path created;
    private boolean createdDefault;

    /**
     * After a command that may create its catalog: on failure the directory it created goes again (a
     * refused install changes nothing); on success, the first creation of the default catalog is said.
     */
    void finishCreation(boolean succeeded, Catalog catalog) {
        if (created == null) return;
        if (!succeeded) {
            FileCatalog.removeIfOnlySeeded(catalog.stateDir(), created);
        } else if (createdDefault) {
            spec.commandLine().getErr().println("wsp4j: created the file catalog " + catalog.stateDir() + " (the default; seeded"
                    + " like a fresh Windows 10/11 catalog; --catalog DIR or WSP4J_HOME chooses another)");
            spec.commandLine().getErr().flush();
        }
        created = null;
    }

    /**
     * The catalog of every other command: it must exist already; nothing is created but the seed of an
     * empty directory. Read fresh where needed, as {@link #openOrCreate}.
     */
    Catalog openExisting() {
        return withFreshReads(open(false));
    }

    /**
     * The catalog as this process sees it (read-catalog, the new process itself): it must exist, and
     * nothing is created, seeded or said.
     */
    Catalog openAsItIs() {
        if (catalogDir == null && WindowsCatalog.isWindows()) return WindowsCatalog.system();
        return openFileCatalog(catalogDir, false, null);
    }

    /** A file catalog's new process reads the directory this one resolved; the system catalog's reads the system catalog. */
    private static Catalog withFreshReads(Catalog catalog) {
        return new FreshReads(catalog, new ChildCatalogReader(catalog instanceof FileCatalog f ? f.stateDir() : null));
    }

    private Catalog open(boolean create) {
        if (catalogDir == null && WindowsCatalog.isWindows()) return WindowsCatalog.system();
        if (create) {
            Path d = (catalogDir == null ? FileCatalog.defaultDirectory(System.getenv()) : catalogDir).toAbsolutePath().normalize();
            for (Path p = d; p != null && !Files.exists(p); p = p.getParent()) created = p;
            createdDefault = created != null && catalogDir == null;
            // The creation is said once the command succeeded (finishCreation), not before a refusal undoes it.
            return openFileCatalog(catalogDir, true, null);
        }
        return openFileCatalog(catalogDir, false, spec.commandLine().getErr());
    }

    /**
     * The file catalog in {@code dir} (null: the default). A --catalog that is a file, or (unless
     * {@code create}) does not exist, is bad input; the default is created only by commands that
     * create, and the first time it is, the user is told where it lives.
     */
    static FileCatalog openFileCatalog(Path dir, boolean create, PrintWriter err) { // err null: say nothing
        boolean isDefault = dir == null;
        Path d = (isDefault ? FileCatalog.defaultDirectory(System.getenv()) : dir).toAbsolutePath().normalize();
        String option = isDefault ? "the default catalog " + d : "--catalog " + d;
        if (Files.exists(d) && !Files.isDirectory(d)) {
            throw new CliException(ExitCodes.BAD_INPUT, option + ": not a directory; a file catalog is a directory");
        }
        if (!Files.exists(d) && !create) {
            throw new CliException(isDefault ? ExitCodes.FAILURE : ExitCodes.BAD_INPUT, option + ": no such directory, so no catalog"
                    + " there yet; `wsp4j install` (or `wsp4j demo`) creates it, seeded like a fresh Windows catalog");
        }
        boolean existed = Files.exists(d);
        FileCatalog c = create ? FileCatalog.open(d) : FileCatalog.openExisting(d);
        if (c.seeded() && isDefault && err != null) {
            err.println("wsp4j: " + (existed ? "seeded" : "created") + " the file catalog " + d + " (the default; seeded like a fresh"
                    + " Windows 10/11 catalog; --catalog DIR or WSP4J_HOME chooses another)");
            err.flush();
        }
        return c;
    }

    /**
     * Reads the catalog under the readers' lock (so never half-way through a change), refusing when an
     * earlier transaction did not finish: what it left is no state to show or plan from.
     */
    CatalogImage readConsistent(Catalog catalog) {
        return underReadLock(catalog, c -> c.read());
    }

    /** Runs {@code body} under the readers' lock, after checking no transaction is unfinished. */
    <T> T underReadLock(Catalog catalog, Function<Catalog, ? extends T> body) {
        try (CatalogLock lock = catalog.readLock(Duration.ofSeconds(waitSeconds))) {
            refuseIfInterrupted(catalog);
            return body.apply(catalog);
        }
    }

    static void refuseIfInterrupted(Catalog catalog) {
        Journal journal = new Journal(catalog.stateDir());
        if (journal.exists()) {
            throw new InterruptedTransactionException("an earlier catalog transaction did not finish (journal " + journal.file()
                    + "); the catalog may be half-changed: run `wsp4j rollback" + catalogArgument(catalog) + "` first");
        }
    }

    /** " --catalog DIR" for messages about a file catalog, "" for the system catalog. */
    static String catalogArgument(Catalog catalog) {
        return fileCatalog(catalog).map(f -> " --catalog " + f.stateDir()).orElse("");
    }

    /** The file catalog behind {@code catalog} (which may read through {@link FreshReads}); empty for the system catalog. */
    static Optional<FileCatalog> fileCatalog(Catalog catalog) {
        Catalog c = catalog instanceof FreshReads r ? r.underlying() : catalog;
        return c instanceof FileCatalog f ? Optional.of(f) : Optional.empty();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Progress lines go to stderr, so that stdout stays clean for --json. */
    Progress progress() {
        return new Progress(spec.commandLine().getErr());
    }

    /** A transaction on the catalog that waits --wait for the lock and reports to {@code progress}. */
    Transaction transaction(Catalog catalog, TransactionListener progress) {
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
