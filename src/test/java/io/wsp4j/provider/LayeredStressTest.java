package io.wsp4j.provider;

import io.wsp4j.host.AsyncSelectStressSuite;
import io.wsp4j.host.Host;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The async-select stress suite with wsp4j layered over the host's base provider, every race repeated,
 * each run compared round for round with the base provider alone: {@code ./build -Dtest=LayeredStressTest test}.
 */
@EnabledOnOs(OS.LINUX)
class LayeredStressTest extends AsyncSelectStressSuite implements AccountingOverHost {
    @TempDir static Path dir;

    @Override
    protected Host newHost() {
        return accountingHost(dir, rules());
    }

    @Override
    protected boolean comparesWithBaseProvider() {
        return true;
    }
}
