package io.wsp4j.selftest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.catalog.CatalogJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The selftest's outcome: every step's result in order, how it ended, and where its traces are.
 *
 * @param snapshot   the snapshot taken before the install, if one was; kept (and named) only when the
 *                   catalog could not be brought back to it
 * @param rollback   what was done to undo the install after a failure (empty when nothing failed)
 * @param workDir    where the children's logs are, when kept
 */
public record SelftestReport(String platform, Instant started, List<StepResult> steps, Verdict verdict, String message,
                             Optional<String> snapshot, List<String> rollback, Optional<Path> workDir) {

    /** How the run ended; each verdict is one of the CLI's exit codes. */
    public enum Verdict {
        /** Every step passed, and the catalog is byte for byte as before. */
        PASSED,
        /** Nothing was changed: the manifest or the arguments do not suit the selftest. */
        BAD_INPUT,
        /** Nothing was changed: the catalog's state forbids the run (already installed, busy, not elevated, unfinished transaction). */
        REFUSED,
        /** A step failed; everything was rolled back and the catalog is byte for byte as before. */
        FAILED_ROLLED_BACK,
        /** A step failed before anything changed, or the rollback could not bring the catalog back (the message says which). */
        FAILED
    }

    public SelftestReport {
        steps = List.copyOf(steps);
        rollback = List.copyOf(rollback);
    }

    public long count(Outcome o) {
        return steps.stream().filter(s -> s.outcome() == o).count();
    }

    public ObjectNode toJson() {
        ObjectNode o = CatalogJson.MAPPER.createObjectNode();
        o.put("format", "wsp4j-selftest/1");
        o.put("platform", platform);
        o.put("started", started.toString());
        o.put("verdict", verdict.name());
        o.put("message", message);
        o.put("passed", count(Outcome.PASS));
        o.put("failed", count(Outcome.FAIL));
        o.put("skipped", count(Outcome.SKIP));
        ArrayNode a = o.putArray("steps");
        for (StepResult s : steps) {
            ObjectNode n = a.addObject();
            n.put("step", s.step());
            n.put("outcome", s.outcome().name());
            n.put("summary", s.summary());
            ArrayNode d = n.putArray("details");
            s.details().forEach(d::add);
        }
        ArrayNode r = o.putArray("rollback");
        rollback.forEach(r::add);
        if (snapshot.isPresent()) o.put("snapshot", snapshot.get());
        else o.putNull("snapshot");
        if (workDir.isPresent()) o.put("workDir", workDir.get().toString());
        else o.putNull("workDir");
        return o;
    }
}
