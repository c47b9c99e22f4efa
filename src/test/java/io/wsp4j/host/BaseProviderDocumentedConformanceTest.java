package io.wsp4j.host;

import io.wsp4j.select.SelectRules;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The AsyncSelect conformance suite against the host's base provider alone, with the page's rules. */
@EnabledOnOs(OS.LINUX)
class BaseProviderDocumentedConformanceTest extends AsyncSelectConformanceSuite {
    @Override
    protected SelectRules rules() {
        return SelectRules.DOCUMENTED;
    }

    @Override
    protected Host newHost() {
        return new Host(rules());
    }
}
