package io.wsp4j.catalog.windows;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.catalog.Bitness;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-catalog choice of WSC* functions, checked off Windows (nothing here calls into ws2_32). */
class WscFunctionsTest {
    private static final String[] PLAIN = {
        "WSCEnumProtocols", "WSCGetProviderPath", "WSCUpdateProvider", "WSCDeinstallProvider", "WSCWriteProviderOrder",
        "WSCGetProviderInfo", "WSCSetProviderInfo"
    };

    @Test
    void eachCatalogHasItsOwnFunctions() {
        assertSame(WscFunctions.X64, WscFunctions.of(Bitness.X64));
        assertSame(WscFunctions.X86, WscFunctions.of(Bitness.X86));
        assertNotSame(WscFunctions.X64.enumProtocols(), WscFunctions.X86.enumProtocols());
    }

    @Test
    void messagesNameFunctionsTheBindingsExport() {
        for (Bitness b : Bitness.values()) {
            WscFunctions wsc = WscFunctions.of(b);
            for (String fn : PLAIN) assertTrue(exported(wsc.name(fn)), wsc.name(fn));
        }
        assertEquals("WSCEnumProtocols32", WscFunctions.X86.name("WSCEnumProtocols"));
        assertEquals("WSCEnumProtocols", WscFunctions.X64.name("WSCEnumProtocols"));
    }

    @Test
    void theInstallCallsAreBound() {
        assertTrue(exported("WSCInstallProvider"));
        assertTrue(exported("WSCInstallProviderAndChains64_32"));
        assertTrue(exported("WSCGetApplicationCategory") && exported("WSCSetApplicationCategory"), "one store for both catalogs");
    }

    private static boolean exported(String name) {
        return Arrays.stream(WinApi.class.getMethods()).anyMatch(m -> m.getName().equals(name));
    }
}
