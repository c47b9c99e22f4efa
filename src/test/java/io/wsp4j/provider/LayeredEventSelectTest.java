package io.wsp4j.provider;

import io.wsp4j.host.EventSelectConformanceSuite;
import io.wsp4j.host.Host;
import io.wsp4j.select.SelectRules;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-select conformance suite with wsp4j (the accounting sample) layered over the host's base
 * provider: every record the same as over the base provider alone.
 */
@EnabledOnOs(OS.LINUX)
class LayeredEventSelectTest extends EventSelectConformanceSuite implements AccountingOverHost {
    @TempDir static Path dir;

    @Override
    protected Host newHost() {
        return accountingHost(dir, SelectRules.WINDOWS);
    }

    @Override
    protected boolean comparesWithBaseProvider() {
        return true;
    }
}
