package io.wsp4j.host;

/** The AsyncSelect conformance suite against the host's base provider alone, with Windows' rules. */
class BaseProviderConformanceTest extends AsyncSelectConformanceSuite {
    @Override
    protected Host newHost() {
        return new Host(rules());
    }
}
