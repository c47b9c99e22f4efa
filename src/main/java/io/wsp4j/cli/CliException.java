package io.wsp4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** A failure the CLI reports as one line with a chosen exit code (and under --json, as JSON with what was done so far). */
public class CliException extends RuntimeException {
    private final int exitCode;
    private ObjectNode report;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** {@code e} as a CLI failure: itself if it is one, else a failure (exit code 1) with its message. */
    static CliException of(RuntimeException e) {
        if (e instanceof CliException c) return c;
        return new CliException(ExitCodes.FAILURE, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
    }

    public int exitCode() {
        return exitCode;
    }

    /** What the command had done when it failed: printed under --json with the error and the exit code. */
    CliException withReport(ObjectNode done) {
        this.report = done;
        return this;
    }

    Optional<ObjectNode> report() {
        return Optional.ofNullable(report);
    }
}
