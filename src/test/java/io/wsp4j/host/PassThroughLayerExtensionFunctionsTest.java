package io.wsp4j.host;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The extension-function suite with a pass-through layer installed over TCP/IPv4 and UDP/IPv4: the
 * layer hands the base provider's table up untouched, so the pointers are the base's, reached through
 * the layered catalog's routing.
 */
@EnabledOnOs(OS.LINUX)
class PassThroughLayerExtensionFunctionsTest extends ExtensionFunctionsConformanceSuite {
    @Override
    protected Host newHost() {
        Host h = new Host();
        PassThroughLayer.install(h, 1001, 1002);
        return h;
    }
}
