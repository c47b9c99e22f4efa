package io.wsp4j.cli;

import io.wsp4j.catalog.TransactionListener;

/**
 * The one test-only hook of the installer: with {@code -Dwsp4j.test.pause-at=<point>} (e.g.
 * "step 3"), a transaction stops at that point, says so on stderr and waits to be killed. The crash
 * test uses it to kill an install in the middle for real.
 */
final class TestHooks {
    static final String PAUSE_AT = "wsp4j.test.pause-at";

    private TestHooks() {}

    static TransactionListener fromSystemProperties() {
        String at = System.getProperty(PAUSE_AT);
        if (at == null) return TransactionListener.NONE;
        return new TransactionListener() {
            @Override
            public void reached(String point) {
                if (!point.equals(at)) return;
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
