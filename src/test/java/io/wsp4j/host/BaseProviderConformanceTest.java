package io.wsp4j.host;

/** The AsyncSelect conformance suite against the host's base provider alone. */
class BaseProviderConformanceTest extends AsyncSelectConformanceSuite {
    @Override
    protected Host newHost() {
        return new Host();
    }
}
