package io.wsp4j.selftest;

/** How a step of the selftest ended. */
public enum Outcome {
    /** It did what it should, and the checks that follow it say so. */
    PASS,
    /** It did not; the selftest rolls back. */
    FAIL,
    /** It did not run here, and says why (e.g. no 32-bit processes on the Linux host). */
    SKIP
}
