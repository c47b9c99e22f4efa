package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.AsyncSelectConformanceSuite;
import io.wsp4j.host.Host;
import io.wsp4j.host.ScenarioRun;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ws2Def;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's AsyncSelect conformance suite, every scenario over loopback TCP and UDP, with wsp4j (the
 * accounting sample) layered over the host's base provider, WSPAsyncSelect done in Java over the base's
 * WSPEventSelect: the same messages as over the base provider alone, naming our handles.
 */
@EnabledOnOs(OS.LINUX)
class LayeredConformanceTest extends AsyncSelectConformanceSuite implements AccountingOverHost {
    @TempDir static Path dir;

    @Override
    protected Host newHost() {
        return accountingHost(dir, rules());
    }

    @Override
    protected boolean comparesWithBaseProvider() {
        return true;
    }

    @Test
    void theSocketsUnderTestAreTheLayeredProvidersAndItsAsyncSelectIsInJava() {
        try (ScenarioRun r = new ScenarioRun(newHost(), rules())) {
            long l = r.listener("listener");
            assertInstanceOf(AccountingProvider.class, LayeredStartup.activeProvider(), "the layered sample runs");
            long lower = LayeredStartup.lowerHandle(l);
            assertNotEquals(-1, lower, "the application's handle is one of the layered provider's");
            assertNotEquals(l, lower, "non-IFS: our handle is not the base provider's");
            r.select(l, FdEvents.FD_ACCEPT);
            long c = r.socket("client", Ws2Def.SOCK_STREAM);
            r.ws2.connect(c, r.ws2.getsockname(l));
            r.expect(l, FdEvents.FD_ACCEPT);
            assertEquals(0, r.host.baseProvider().upcallCount("lpWSPAsyncSelect"), "the base provider's WSPAsyncSelect is never used");
            assertTrue(r.host.baseProvider().upcallCount("lpWSPEventSelect") > 0);
        }
    }
}
