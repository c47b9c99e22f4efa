package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps a catalog command would run, as its {@code --dry-run --json} plan lists them: the crash
 * and failure tests take their points ("step 3") from these instead of counting by hand, so that a
 * plan that gains or loses steps keeps them where they mean to be.
 */
final class PlannedSteps {
    private PlannedSteps() {}

    /** The "step" names of the plan of {@code command} (without --dry-run and --json: added here). */
    static List<String> of(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--dry-run", "--json"));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        List<String> steps = new ArrayList<>();
        for (JsonNode s : new ObjectMapper().readTree(r.out()).get("steps")) steps.add(s.get("step").asText());
        return steps;
    }

    /** The test hook's point reached just before step {@code index} (0-based) of a plan runs. */
    static String before(int index) {
        return "step " + (index + 1);
    }

    /** The test hook's point reached once step {@code index} (0-based) has run: the next step's, or "verify" after the last. */
    static String after(int index, List<String> steps) {
        return index + 1 < steps.size() ? before(index + 1) : "verify";
    }
}
