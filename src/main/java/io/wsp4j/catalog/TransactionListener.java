package io.wsp4j.catalog;

/** What a transaction reports while it runs, and the points where tests inject failures or pauses. */
public interface TransactionListener {
    TransactionListener NONE = new TransactionListener() {};

    /** Step {@code index} of {@code total} is about to run (1-based). */
    default void progress(int index, int total, String what) {}

    /**
     * Called at each point where a failure may happen: "journal" (written), "step N" (before step N),
     * "verify", "commit"; and "rollback" before a rollback restores. Throwing here fails the
     * transaction exactly as a failing WSC* call would.
     */
    default void reached(String point) {}

    /** Something worth telling after the commit (e.g. a removed DLL that Windows deletes at the next reboot). */
    default void note(String text) {}

    static TransactionListener both(TransactionListener a, TransactionListener b) {
        return new TransactionListener() {
            @Override
            public void progress(int index, int total, String what) {
                a.progress(index, total, what);
                b.progress(index, total, what);
            }

            @Override
            public void reached(String point) {
                a.reached(point);
                b.reached(point);
            }

            @Override
            public void note(String text) {
                a.note(text);
                b.note(text);
            }
        };
    }
}
