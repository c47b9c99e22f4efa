package io.wsp4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.wsp4j.winsock.Ws2Def;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The conformance suite with a layered provider installed over TCP/IPv4 and UDP/IPv4, as the layered
 * provider will run it: shows the suite's factory carries a layered stack, and that ws2 picks the chain.
 */
@EnabledOnOs(OS.LINUX)
class PassThroughLayerConformanceTest extends AsyncSelectConformanceSuite {
    private PassThroughLayer layer;

    @Override
    protected Host newHost() {
        Host h = new Host(rules());
        layer = PassThroughLayer.install(h, 1001, 1002);
        return h;
    }

    @Test
    void socketsGoThroughTheChainEntry() {
        try (Host host = newHost()) {
            Ws2 ws2 = host.ws2();
            assertEquals(0, layer.startups.get());
            long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, 0);
            assertNotEquals(-1L, s);
            assertEquals(1, layer.startups.get(), "the chain's provider was started");
            ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, 0);
            assertEquals(1, layer.startups.get(), "once per provider");
            ws2.closesocket(s);
            Catalog.Entry chosen = host.catalog().find(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, 0);
            assertEquals(2, chosen.chainLength());
            assertEquals(1001, chosen.chainEntry(1));
        }
    }
}
