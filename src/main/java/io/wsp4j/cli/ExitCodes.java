package io.wsp4j.cli;

/** The CLI's exit codes; the same list appears in {@code wsp4j --help}. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;
    public static final int REFUSED = 3;
    public static final int ROLLED_BACK = 4;

    private ExitCodes() {}
}
