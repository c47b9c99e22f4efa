package io.wsp4j.catalog;

/**
 * The planner will not make a plan: the input is bad (a path a non-administrator can write, a
 * selector that matches nothing) or the catalog's state forbids it (already installed, GUID taken,
 * another LSP depends on ours). Nothing has been changed.
 */
public class PlanException extends RuntimeException {
    public enum Kind { BAD_INPUT, REFUSED }

    private final Kind kind;

    public PlanException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
