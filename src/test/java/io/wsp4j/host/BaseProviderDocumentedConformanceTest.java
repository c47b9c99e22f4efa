package io.wsp4j.host;

import io.wsp4j.select.SelectRules;

/** The AsyncSelect conformance suite against the host's base provider alone, with the page's rules. */
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
