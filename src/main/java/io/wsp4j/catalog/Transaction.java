package io.wsp4j.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a plan as a transaction: lock → check the catalog's own files → plan from the current
 * catalog → journal (before-image, fsync) → apply step by step → verify that the catalog a new
 * process sees ({@link Catalog#readFresh}) equals the simulated plan → commit (delete the journal).
 * Any failure before the commit restores the before-image (catalog, applications' categories, shim
 * config, id counters, the record of installed files, and the files themselves) and verifies that
 * too; if even that fails, the journal stays for {@code wsp4j rollback}. A transaction refuses to
 * start while an earlier one's journal is present.
 */
public final class Transaction {
    private final Catalog catalog;
    private final Duration lockWait;
    private final TransactionListener listener;
    private final Journal journal;

    public Transaction(Catalog catalog, Duration lockWait, TransactionListener listener) {
        this.catalog = catalog;
        this.lockWait = lockWait;
        this.listener = listener;
        this.journal = new Journal(catalog.stateDir());
    }

    /** Plans from the locked, current catalog and applies; returns the committed plan. */
    public Plan run(Function<CatalogImage, Plan> planner) {
        catalog.checkWriteAccess();
        try (CatalogLock lock = catalog.lock(lockWait)) {
            refuseIfInterrupted();
            catalog.checkState();
            CatalogImage before = catalog.read();
            Plan plan = planner.apply(before);
            // The planner's image, not the one read: it knows the applications' categories the plan touches.
            Journal.State state = currentState(plan.before());
            Optional<byte[]> ids = catalog.idCounters();
            List<Step.FileStep> fileSteps = fileSteps(plan);
            journal.write(plan, state, ids);
            try {
                listener.reached("journal");
                int n = plan.steps().size();
                for (int i = 0; i < n; i++) {
                    Step s = plan.steps().get(i);
                    listener.reached("step " + (i + 1));
                    listener.progress(i + 1, n, s.describe());
                    applyStep(s);
                }
                listener.reached("verify");
                verify(plan, state);
                listener.reached("commit");
            } catch (RuntimeException | Error failure) {
                rollBack(state, ids, fileSteps, failure);
                throw new RolledBackException(plan.operation() + " failed and was rolled back; the catalog is as it was ("
                        + oneLine(failure) + ")", failure);
            }
            journal.delete();
            ProviderFiles.finishRemovals(fileSteps, catalog).forEach(listener::note);
            return plan;
        }
    }

    /** What {@link #rollbackInterrupted()} did: the journal it finished (if any) and the crashed writes' leftovers it removed. */
    public record Rollback(Optional<Journal.Entry> journal, List<Path> leftoversRemoved) {}

    /**
     * Finishes an interrupted transaction: restores its before-image (or finishes the restore it was
     * doing, for a restore that started from a damaged catalog), and removes temp files crashed writes
     * left in the state directory. Without a journal only the latter.
     */
    public Rollback rollbackInterrupted() {
        catalog.checkWriteAccess();
        try (CatalogLock lock = catalog.lock(lockWait)) {
            Optional<Journal.Entry> entry = journal.read();
            if (entry.isPresent()) {
                Journal.Entry e = entry.get();
                listener.reached("rollback");
                listener.progress(1, 1, (e.rollsForward() ? "finish the interrupted " : "restore the catalog as it was before the interrupted ")
                        + e.operation() + " of " + e.started());
                if (e.rollsForward()) {
                    restore(e.restores());
                } else {
                    ProviderFiles.undoRemovals(e.fileSteps());
                    restore(e.restores());
                    e.idCounters().ifPresent(catalog::restoreIdCounters);
                    ProviderFiles.undoPlacements(e.fileSteps());
                }
                journal.delete();
            }
            return new Rollback(entry, removeLeftovers());
        }
    }

    /** Sets the journal aside (a damaged one, or one whose rollback cannot finish); empty when there was none. */
    public Optional<Path> discardJournal() {
        catalog.checkWriteAccess();
        try (CatalogLock lock = catalog.lock(lockWait)) {
            return journal.exists() ? Optional.of(journal.discard()) : Optional.empty();
        }
    }

    /**
     * Restores a saved state (a named snapshot) as a transaction of its own. When the catalog's own
     * files are too damaged to read, there is no before-image to go back to: the journal then holds
     * the snapshot, and an interrupted restore is finished by {@code wsp4j rollback}.
     */
    public void restoreImage(CatalogImage image, Optional<byte[]> shimConfig, Optional<byte[]> installedFiles) {
        catalog.checkWriteAccess();
        Journal.State target = new Journal.State(image, shimConfig, installedFiles);
        try (CatalogLock lock = catalog.lock(lockWait)) {
            refuseIfInterrupted();
            CatalogImage before;
            try {
                catalog.checkState();
                before = catalog.read();
            } catch (CatalogDamagedException damaged) {
                rollForward(target);
                return;
            }
            Journal.State state = currentState(before);
            Optional<byte[]> ids = catalog.idCounters();
            journal.write(new Plan("restore", before, List.of(), List.of()), state, ids);
            try {
                listener.reached("journal");
                listener.progress(1, 1, "restore the snapshot");
                restore(target);
                listener.reached("commit");
            } catch (RuntimeException | Error failure) {
                rollBack(state, ids, List.of(), failure);
                throw new RolledBackException("restore failed and was rolled back; the catalog is as it was (" + oneLine(failure) + ")",
                        failure);
            }
            journal.delete();
        }
    }

    private void rollForward(Journal.State target) {
        journal.writeRollForward("restore", target);
        try {
            listener.reached("journal");
            listener.progress(1, 1, "restore the snapshot over the damaged catalog");
            restore(target);
            listener.reached("commit");
        } catch (RuntimeException | Error failure) {
            throw new CatalogException("restoring the snapshot over the damaged catalog failed (" + oneLine(failure)
                    + "); the journal " + journal.file() + " holds the snapshot: run `wsp4j rollback` to finish the restore", 0, failure);
        }
        journal.delete();
    }

    private Journal.State currentState(CatalogImage image) {
        return new Journal.State(image, catalog.shimConfig().read(), ProviderFiles.readBytes(catalog.stateDir()));
    }

    private void refuseIfInterrupted() {
        if (journal.exists()) {
            throw new InterruptedTransactionException("an earlier catalog transaction did not finish (journal "
                    + journal.file() + "); run `wsp4j rollback` first");
        }
    }

    private void applyStep(Step s) {
        switch (s) {
            case Step.ShimConfig c -> {
                if (c.removes()) catalog.shimConfig().delete();
                else catalog.shimConfig().write(c.content());
            }
            case Step.FileStep f -> ProviderFiles.apply(f, catalog.stateDir());
            default -> s.apply(catalog);
        }
    }

    private void verify(Plan plan, Journal.State before) {
        CatalogImage expected = plan.simulate(Map.of());
        CatalogImage actual = freshWith(expected); // this process's own copy may not show what it changed
        if (!CanonicalForm.same(expected, actual)) {
            throw new CatalogException("verification failed: " + CanonicalForm.firstDifference(expected, actual));
        }
        Optional<byte[]> expectedConfig = plan.shimConfigStep().map(s -> Optional.ofNullable(s.content())).orElse(before.shimConfig());
        if (!sameBytes(expectedConfig, catalog.shimConfig().read())) {
            throw new CatalogException("verification failed: the shim configuration at " + catalog.shimConfig().location()
                    + " is not what was written");
        }
        Optional<byte[]> expectedRecord = plan.steps().stream().filter(s -> s instanceof Step.InstalledFiles)
                .map(s -> Optional.ofNullable(((Step.InstalledFiles) s).content())).reduce((a, b) -> b).orElse(before.installedFiles());
        if (!sameBytes(expectedRecord, ProviderFiles.readBytes(catalog.stateDir()))) {
            throw new CatalogException("verification failed: " + ProviderFiles.RECORD_FILE + " is not what was written");
        }
        for (Step.FileStep f : fileSteps(plan)) {
            ProviderFiles.differs(f).ifPresent(d -> {
                throw new CatalogException("verification failed: " + d);
            });
        }
    }

    private void rollBack(Journal.State before, Optional<byte[]> ids, List<Step.FileStep> fileSteps, Throwable failure) {
        try {
            listener.reached("rollback");
            ProviderFiles.undoRemovals(fileSteps);
            restore(before);
            ids.ifPresent(catalog::restoreIdCounters);
            ProviderFiles.undoPlacements(fileSteps);
            journal.delete();
        } catch (RuntimeException | Error again) {
            failure.addSuppressed(again);
            throw new CatalogException("the transaction failed (" + oneLine(failure) + ") and so did its rollback ("
                    + oneLine(again) + "); the journal " + journal.file() + " is kept: run `wsp4j rollback`", 0, failure);
        }
    }

    private void restore(Journal.State s) {
        catalog.restore(s.image());
        if (s.shimConfig().isPresent()) catalog.shimConfig().write(s.shimConfig().get());
        else catalog.shimConfig().delete();
        ProviderFiles.writeRecord(catalog.stateDir(), s.installedFiles().orElse(null));
        CatalogImage now = freshWith(s.image());
        if (!CanonicalForm.same(s.image(), now)) {
            throw new CatalogException("the restored catalog differs: " + CanonicalForm.firstDifference(s.image(), now));
        }
    }

    /**
     * The catalog as a new process sees it, with the permitted categories of every application
     * {@code expected} knows (Windows cannot list categorized applications: each is asked for).
     */
    private CatalogImage freshWith(CatalogImage expected) {
        CatalogImage actual = catalog.readFresh();
        for (AppId app : expected.applications().keySet()) actual = actual.withApplication(app, catalog.applicationCategories(app));
        return actual;
    }

    /** Temp files of crashed atomic writes in the state directory, its journal and snapshot folders. */
    private List<Path> removeLeftovers() {
        List<Path> gone = new ArrayList<>();
        try {
            for (Path dir : List.of(catalog.stateDir(), catalog.stateDir().resolve(Snapshots.DIRECTORY))) {
                for (Path p : AtomicFiles.leftovers(dir)) {
                    if (java.nio.file.Files.deleteIfExists(p)) gone.add(p);
                }
            }
            gone.addAll(journal.removeLeftovers());
        } catch (IOException e) {
            throw new CatalogException("cannot remove the temp files a crash left in " + catalog.stateDir() + ": " + e.getMessage(), 0, e);
        }
        return gone;
    }

    private static List<Step.FileStep> fileSteps(Plan plan) {
        return plan.steps().stream().filter(s -> s instanceof Step.FileStep).map(s -> (Step.FileStep) s).toList();
    }

    private static boolean sameBytes(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
