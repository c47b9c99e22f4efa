package io.wsp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.FreshReads;
import io.wsp4j.catalog.InterruptedTransactionException;
import io.wsp4j.catalog.Journal;
import io.wsp4j.catalog.InstallerFiles;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.Plan;
import io.wsp4j.catalog.Planner;
import io.wsp4j.catalog.Transaction;
import io.wsp4j.catalog.TransactionListener;
import io.wsp4j.catalog.windows.WindowsCatalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every catalog command shares, mixed in: the catalog options, opening the catalog (only
 * install and demo create one), reading it consistently (the lock, and no unfinished transaction),
 * output (text, or JSON with --json) and the installer transaction. The commands that run the Linux
 * host (demo, host, selftest) open their file catalog and lock it through the same static pieces.
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

    /** How long a reader or an installer waits for the catalog lock by default (--wait). */
    static final long DEFAULT_WAIT_SECONDS = 30;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "" + DEFAULT_WAIT_SECONDS, converter = WaitSeconds.class,
            description = "How long to wait for another installer to finish, 0 to 86400 (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Option(names = {"-x", "--stacktrace"}, description = "On failure, print the stack trace, not just one line.")
    boolean stacktrace;

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
            created = outermostMissing(directory(catalogDir));
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
        Path d = directory(dir);
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

    /** The file catalog's directory: --catalog DIR (null: the default), absolute. */
    static Path directory(Path catalogDir) {
        return (catalogDir == null ? FileCatalog.defaultDirectory(System.getenv()) : catalogDir).toAbsolutePath().normalize();
    }

    /** The outermost directory that creating {@code dir} would make (null if it exists): what a refused command removes again. */
    static Path outermostMissing(Path dir) {
        Path outermost = null;
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) outermost = p;
        return outermost;
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
        return underReadLock(catalog, lockWait(), body);
    }

    /** --wait: how long to wait for the catalog lock. */
    Duration lockWait() {
        return Duration.ofSeconds(waitSeconds);
    }

    /** As {@link #underReadLock(Catalog, Function)}, waiting at most {@code wait} for the lock. */
    static <T> T underReadLock(Catalog catalog, Duration wait, Function<Catalog, ? extends T> body) {
        try (CatalogLock lock = catalog.readLock(wait)) {
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

    /** The planner of an install: this installation's files can be put where the manifest says; {@code force} as install --force. */
    static Planner installer(Catalog catalog, boolean force) {
        return new Planner(catalog, PathExpander.systemDefault(), InstallerFiles.ofThisInstallation(), force);
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
        return new Transaction(catalog, lockWait(),
                TransactionListener.both(progress, TestHooks.fromSystemProperties()));
    }

    /** A plan on stdout: readable with its catalog diff, or as JSON with --json. */
    void print(Plan plan) {
        if (json) JsonOutput.print(out(), plan.toJson());
        else out().print(PlanView.render(plan));
    }

    /** JSON output on stdout (commands call this under --json). */
    void print(JsonNode node) {
        JsonOutput.print(out(), node);
    }
}
