package io.wsp4j.host;

/**
 * The async-select stress suite over the host's base provider alone:
 * {@code ./build -Dtest=BaseProviderStressTest test}.
 */
class BaseProviderStressTest extends AsyncSelectStressSuite {
    @Override
    protected Host newHost() {
        return new Host(rules());
    }
}
