package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.AsyncSelectConformanceSuite;
import io.wsp4j.host.Host;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ws2Def;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's AsyncSelect conformance suite, every rule over loopback TCP and UDP, with wsp4j (the
 * accounting sample) layered over the host's base provider: the same messages, naming our handles,
 * with WSPAsyncSelect done by the layered provider in Java over the base's WSPEventSelect.
 */
@EnabledOnOs(OS.LINUX)
class LayeredConformanceTest extends AsyncSelectConformanceSuite implements AccountingOverHost {
    @TempDir static Path dir;

    @Override
    protected Host newHost() {
        return accountingHost(dir);
    }

    @Test
    void theSocketsUnderTestAreTheLayeredProvidersAndItsAsyncSelectIsInJava() throws Exception {
        long l = listener();
        assertInstanceOf(AccountingProvider.class, LayeredStartup.activeProvider(), "the layered sample runs");
        long lower = LayeredStartup.lowerHandle(l);
        assertNotEquals(-1, lower, "the application's handle is one of the layered provider's");
        assertNotEquals(l, lower, "non-IFS: our handle is not the base provider's");
        assertEquals(0, ws2.WSAAsyncSelect(l, hWnd, WM_SOCKET, FdEvents.FD_ACCEPT));
        long c = socket(Ws2Def.SOCK_STREAM);
        ws2.connect(c, ws2.getsockname(l));
        expect(l, FdEvents.FD_ACCEPT);
        assertEquals(0, host.baseProvider().upcallCount("lpWSPAsyncSelect"), "the base provider's WSPAsyncSelect is never used");
        assertTrue(host.baseProvider().upcallCount("lpWSPEventSelect") > 0);
    }
}
