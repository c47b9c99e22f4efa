package io.wsp4j.cli;

import io.wsp4j.catalog.TransactionListener;

/**
 * The installer's test-only hooks, by system property: with {@code -Dwsp4j.test.pause-at=<point>}
 * (e.g. "step 3") a transaction stops at that point, says so on stderr and waits to be killed (the
 * crash tests kill it there for real); with {@code -Dwsp4j.test.fail-at=<point>} it fails there as
 * a failing WSC* call would (the tests of exit code 4 and of rollback).
 */
final class TestHooks {
    static final String PAUSE_AT = "wsp4j.test.pause-at";
    static final String FAIL_AT = "wsp4j.test.fail-at";

    private TestHooks() {}

    static TransactionListener fromSystemProperties() {
        String pause = System.getProperty(PAUSE_AT);
        String fail = System.getProperty(FAIL_AT);
        if (pause == null && fail == null) return TransactionListener.NONE;
        return new TransactionListener() {
            @Override
            public void reached(String point) {
                if (point.equals(fail)) throw new IllegalStateException("failure injected at " + point + " (test hook " + FAIL_AT + ")");
                if (!point.equals(pause)) return;
                System.err.println("wsp4j: paused at " + point + " (test hook " + PAUSE_AT + ")");
                System.err.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
