package io.wsp4j.selftest;

import java.util.List;

/**
 * One step's outcome: a one-line summary and, below it, what was seen (child output, log lines,
 * catalog findings), so that a failure in a run nobody watched can be read from the report.
 */
public record StepResult(String step, Outcome outcome, String summary, List<String> details) {
    public StepResult {
        details = List.copyOf(details);
    }

    public static StepResult pass(String step, String summary, List<String> details) {
        return new StepResult(step, Outcome.PASS, summary, details);
    }

    public static StepResult fail(String step, String summary, List<String> details) {
        return new StepResult(step, Outcome.FAIL, summary, details);
    }

    public static StepResult skip(String step, String summary) {
        return new StepResult(step, Outcome.SKIP, summary, List.of());
    }

    public boolean failed() {
        return outcome == Outcome.FAIL;
    }
}
