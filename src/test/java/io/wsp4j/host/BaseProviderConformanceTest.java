package io.wsp4j.host;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The AsyncSelect conformance suite against the host's base provider alone, with Windows' rules. */
@EnabledOnOs(OS.LINUX)
class BaseProviderConformanceTest extends AsyncSelectConformanceSuite {
    @Override
    protected Host newHost() {
        return new Host(rules());
    }
}
