package io.wsp4j.host;

import io.wsp4j.select.SelectRules;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The event-select conformance suite against the host's base provider alone. */
@EnabledOnOs(OS.LINUX)
class BaseProviderEventSelectTest extends EventSelectConformanceSuite {
    @Override
    protected Host newHost() {
        return new Host(SelectRules.WINDOWS);
    }
}
