package io.wsp4j.manifest;

import java.util.List;

/** A manifest that cannot be used, with every problem found; the message is the first, on one line. */
public class ManifestException extends Exception {
    private final String source;
    private final List<ManifestProblem> problems;

    public ManifestException(String source, List<ManifestProblem> problems) {
        super(summary(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<ManifestProblem> problems() {
        return problems;
    }

    private static String summary(String source, List<ManifestProblem> problems) {
        String first = problems.getFirst().format(source);
        int more = problems.size() - 1;
        return more == 0 ? first : first + " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")";
    }
}
