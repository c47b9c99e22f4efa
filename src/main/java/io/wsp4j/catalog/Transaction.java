package io.wsp4j.catalog;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a plan as a transaction: lock → plan from the current catalog → journal (before-image,
 * fsync) → apply step by step → verify that the catalog a new process sees ({@link Catalog#readFresh})
 * equals the simulated plan → commit (delete the journal). Any failure before the commit restores the before-image and verifies that too; if even
 * that fails, the journal stays for {@code wsp4j rollback}. A transaction refuses to start while an
 * earlier one's journal is present.
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
            CatalogImage before = catalog.read();
            Plan plan = planner.apply(before);
            Optional<byte[]> configBefore = catalog.shimConfig().read();
            journal.write(plan, configBefore);
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
                verify(plan, configBefore);
                listener.reached("commit");
            } catch (RuntimeException | Error failure) {
                rollBack(plan.before(), configBefore, failure); // the planner's image knows the applications it touches
                throw new RolledBackException(plan.operation() + " failed and was rolled back; the catalog is as it was ("
                        + oneLine(failure) + ")", failure);
            }
            journal.delete();
            return plan;
        }
    }

    /**
     * Finishes an interrupted transaction by restoring its before-image; empty when there was none.
     */
    public Optional<Journal.Entry> rollbackInterrupted() {
        catalog.checkWriteAccess();
        try (CatalogLock lock = catalog.lock(lockWait)) {
            Optional<Journal.Entry> entry = journal.read();
            if (entry.isEmpty()) return entry;
            listener.reached("rollback");
            listener.progress(1, 1, "restore the catalog as it was before the interrupted " + entry.get().operation()
                    + " of " + entry.get().started());
            restore(entry.get().before(), entry.get().shimConfigBefore());
            journal.delete();
            return entry;
        }
    }

    /** Restores a saved image (a named snapshot) as a transaction of its own. */
    public void restoreImage(CatalogImage image, Optional<byte[]> shimConfig) {
        catalog.checkWriteAccess();
        try (CatalogLock lock = catalog.lock(lockWait)) {
            refuseIfInterrupted();
            CatalogImage before = catalog.read();
            Optional<byte[]> configBefore = catalog.shimConfig().read();
            journal.write(new Plan("restore", before, java.util.List.of(), java.util.List.of()), configBefore);
            try {
                listener.reached("journal");
                listener.progress(1, 1, "restore the snapshot");
                restore(image, shimConfig);
                listener.reached("commit");
            } catch (RuntimeException | Error failure) {
                rollBack(before, configBefore, failure);
                throw new RolledBackException("restore failed and was rolled back (" + oneLine(failure) + ")", failure);
            }
            journal.delete();
        }
    }

    private void refuseIfInterrupted() {
        if (journal.exists()) {
            throw new InterruptedTransactionException("an earlier catalog transaction did not finish (journal "
                    + journal.file() + "); run `wsp4j rollback` first");
        }
    }

    private void applyStep(Step s) {
        if (s instanceof Step.ShimConfig c) {
            if (c.removes()) catalog.shimConfig().delete();
            else catalog.shimConfig().write(c.content());
        } else {
            s.apply(catalog);
        }
    }

    private void verify(Plan plan, Optional<byte[]> configBefore) {
        CatalogImage expected = plan.simulate(Map.of());
        CatalogImage actual = freshWith(expected); // this process's own copy may not show what it changed
        if (!CanonicalForm.same(expected, actual)) {
            throw new CatalogException("verification failed: " + CanonicalForm.firstDifference(expected, actual));
        }
        Optional<byte[]> expectedConfig = plan.shimConfigStep().map(s -> Optional.ofNullable(s.content())).orElse(configBefore);
        if (!sameBytes(expectedConfig, catalog.shimConfig().read())) {
            throw new CatalogException("verification failed: the shim configuration at " + catalog.shimConfig().location()
                    + " is not what was written");
        }
    }

    private void rollBack(CatalogImage before, Optional<byte[]> configBefore, Throwable failure) {
        try {
            listener.reached("rollback");
            restore(before, configBefore);
            journal.delete();
        } catch (RuntimeException | Error again) {
            failure.addSuppressed(again);
            throw new CatalogException("the transaction failed (" + oneLine(failure) + ") and so did its rollback ("
                    + oneLine(again) + "); the journal " + journal.file() + " is kept: run `wsp4j rollback`", 0, failure);
        }
    }

    private void restore(CatalogImage image, Optional<byte[]> config) {
        catalog.restore(image);
        if (config.isPresent()) catalog.shimConfig().write(config.get());
        else catalog.shimConfig().delete();
        CatalogImage now = freshWith(image);
        if (!CanonicalForm.same(image, now)) {
            throw new CatalogException("the restored catalog differs: " + CanonicalForm.firstDifference(image, now));
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

    private static boolean sameBytes(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
