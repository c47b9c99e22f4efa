package io.wsp4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsp4j.select.SelectRules;
import java.util.List;

/**
 * What the async-select suites share: scenarios run on a stack a subclass chooses, following
 * {@link #rules()}; a stack layered over the host's base provider ({@link #comparesWithBaseProvider()})
 * must be transparent, so each scenario runs over the base provider alone too, with the same rules,
 * and what the application saw (messages, records, results, sockets named by role) must be the same.
 */
public abstract class ScenarioSuite {
    /** The stack under test, following {@link #rules()}. */
    protected abstract Host newHost();

    /** The rules of the stack under test. */
    protected SelectRules rules() {
        return SelectRules.WINDOWS;
    }

    /** The stack is layered over the host's base provider: each scenario must see what the base provider alone shows. */
    protected boolean comparesWithBaseProvider() {
        return false;
    }

    /** A scenario: Winsock calls, and the messages and records they must bring. */
    @FunctionalInterface
    protected interface Scenario {
        void run(ScenarioRun r);
    }

    /**
     * Runs {@code scenario} on the stack under test; for a layered stack first over the base provider
     * alone, and then requires the same transcript from both.
     */
    protected final void scenario(Scenario scenario) {
        List<String> alone = comparesWithBaseProvider() ? transcript(new Host(rules()), scenario) : null;
        List<String> got = transcript(newHost(), scenario);
        if (alone != null) assertEquals(alone, got, "what the application saw over the layer, and over the base provider alone");
    }

    private List<String> transcript(Host host, Scenario scenario) {
        try (ScenarioRun r = new ScenarioRun(host, rules())) {
            scenario.run(r);
            return r.transcript();
        }
    }
}
