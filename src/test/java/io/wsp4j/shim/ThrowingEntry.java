package io.wsp4j.shim;

/** An entry class whose WSPStartup throws: the shim must clear the exception and apply its fail policy. */
public final class ThrowingEntry {
    private ThrowingEntry() {}

    static final String MESSAGE = "the test entry refuses to start";

    public static int wspStartup(short version, long lpWSPData, long lpProtocolInfo, long lpUpcallTable, long lpProcTable) {
        throw new IllegalStateException(MESSAGE);
    }
}
