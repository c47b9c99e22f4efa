package io.wsp4j.provider;

import io.wsp4j.host.AsyncSelectConformanceSuite;
import io.wsp4j.host.Host;
import io.wsp4j.select.SelectRules;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite with wsp4j over the host's base provider, both following the page's rules
 * ({@code -Dwsp4j.asyncselect=documented}): the same messages as over the base provider alone.
 */
@EnabledOnOs(OS.LINUX)
class LayeredDocumentedConformanceTest extends AsyncSelectConformanceSuite implements AccountingOverHost {
    @TempDir static Path dir;

    @Override
    protected SelectRules rules() {
        return SelectRules.DOCUMENTED;
    }

    @Override
    protected Host newHost() {
        return accountingHost(dir, rules());
    }

    @Override
    protected boolean comparesWithBaseProvider() {
        return true;
    }
}
