package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.Host;
import io.wsp4j.host.OverlappedConformanceSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's overlapped conformance suite with wsp4j (the accounting sample) layered over the base
 * provider: every request on our non-IFS handles goes down with an OVERLAPPED of ours and is completed
 * for the application by the layered provider itself (WPUCompleteOverlappedRequest): its event, its
 * completion port, WSAGetOverlappedResult, aborts at close, order.
 */
@EnabledOnOs(OS.LINUX)
class LayeredOverlappedTest extends OverlappedConformanceSuite implements AccountingOverHost {
    @TempDir static Path dir;

    @Override
    protected Host newHost() {
        return accountingHost(dir);
    }
}
