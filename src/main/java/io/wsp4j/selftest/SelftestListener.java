package io.wsp4j.selftest;

/** Hears the selftest as it goes: a line when a step starts, its result when it ends, and rollback actions. */
public interface SelftestListener {
    /** Step {@code index} of {@code total} starts. */
    void started(int index, int total, String step, String what);

    /** The step ended. */
    void finished(StepResult result);

    /** A line about the run itself (a rollback action, a kept snapshot). */
    void note(String line);

    SelftestListener NONE = new SelftestListener() {
        @Override
        public void started(int index, int total, String step, String what) {}

        @Override
        public void finished(StepResult result) {}

        @Override
        public void note(String line) {}
    };
}
