package io.wsp4j.host;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The overlapped conformance suite with a pass-through layer installed over TCP/IPv4 and UDP/IPv4: the
 * suite's factory carries a layered catalog, as the layered provider's run of it will.
 */
@EnabledOnOs(OS.LINUX)
class PassThroughLayerOverlappedTest extends OverlappedConformanceSuite {
    @Override
    protected Host newHost() {
        Host h = new Host();
        PassThroughLayer.install(h, 1001, 1002);
        return h;
    }
}
