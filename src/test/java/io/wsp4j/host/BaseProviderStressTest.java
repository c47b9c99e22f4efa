package io.wsp4j.host;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The async-select stress suite over the host's base provider alone:
 * {@code ./build -Dtest=BaseProviderStressTest test}.
 */
@EnabledOnOs(OS.LINUX)
class BaseProviderStressTest extends AsyncSelectStressSuite {
    @Override
    protected Host newHost() {
        return new Host(rules());
    }
}
