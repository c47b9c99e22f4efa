package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsp4j.host.ExtensionFunctionsConformanceSuite;
import io.wsp4j.host.Host;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * wsp4j's extension functions read the lower provider's last error as its call captured it, never by a
 * second call: the whole extension-function conformance suite runs with wsp4j over the host while the
 * platform's {@code WSAGetLastError} finds the thread's last error overwritten
 * ({@link OverwrittenLastErrorPlatform}), as the JVM may leave it between two downcalls on Windows. A
 * pending AcceptEx read that way would look failed (WSAENETRESET instead of WSA_IO_PENDING), and its
 * request's memory would be reused under the lower provider.
 */
@EnabledOnOs(OS.LINUX)
class LastErrorCaptureTest extends ExtensionFunctionsConformanceSuite implements AccountingOverHost {
    @TempDir static Path dir;
    private OverwrittenLastErrorPlatform platform;

    @Override
    protected Host newHost() {
        Host h = accountingHost(dir);
        platform = new OverwrittenLastErrorPlatform(h);
        ProviderPlatforms.install(platform);
        return h;
    }

    @Test
    void aPendingAcceptExStaysPendingAndNoLastErrorIsReadBySecondCall() {
        long[] accepted = acceptedByAcceptEx(); // FALSE with WSA_IO_PENDING, then completes by its event
        awaitAccepted(accepted[1], accepted[2]);
        assertEquals(0, platform.reads(), "the provider asked WSAGetLastError after a call instead of capturing");
    }
}
