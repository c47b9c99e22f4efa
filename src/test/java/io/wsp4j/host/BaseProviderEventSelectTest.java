package io.wsp4j.host;

import io.wsp4j.select.SelectRules;

/** The event-select conformance suite against the host's base provider alone. */
class BaseProviderEventSelectTest extends EventSelectConformanceSuite {
    @Override
    protected Host newHost() {
        return new Host(SelectRules.WINDOWS);
    }
}
