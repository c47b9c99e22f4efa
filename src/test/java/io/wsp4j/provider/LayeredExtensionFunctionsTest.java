package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.ExtensionFunctionsConformanceSuite;
import io.wsp4j.host.Host;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's extension-function conformance suite with wsp4j (the accounting sample) layered over the
 * base provider: the application gets wsp4j's own AcceptEx, ConnectEx and DisconnectEx, which
 * translate our handles (SO_UPDATE_ACCEPT_CONTEXT's listener too), call the base provider's functions
 * with wsp4j's OVERLAPPED and complete the application's request themselves.
 */
@EnabledOnOs(OS.LINUX)
class LayeredExtensionFunctionsTest extends ExtensionFunctionsConformanceSuite implements AccountingOverHost {
    @TempDir static Path dir;

    @Override
    protected Host newHost() {
        return accountingHost(dir);
    }

    @Test
    void theApplicationGetsWsp4jsOwnFunctionsAndARefusalForThoseNotLayered() {
        long s = socket();
        long lower = LayeredStartup.lowerHandle(s);
        assertNotEquals(-1, lower, "the socket is wsp4j's");
        for (ExtensionFunction f : List.of(ExtensionFunction.ACCEPT_EX, ExtensionFunction.CONNECT_EX, ExtensionFunction.DISCONNECT_EX)) {
            MemorySegment ours = ws2.extensionFunction(s, f);
            assertNotEquals(0, ours.address(), f + ": " + ws2.WSAGetLastError());
            assertNotEquals(baseFunction(lower, f), ours.address(), f + " is wsp4j's, not the base provider's");
        }
        MemorySegment parse = ws2.extensionFunction(s, ExtensionFunction.GET_ACCEPT_EX_SOCKADDRS);
        assertEquals(baseFunction(lower, ExtensionFunction.GET_ACCEPT_EX_SOCKADDRS), parse.address(),
                "GetAcceptExSockaddrs takes no socket: the base provider's own");
        assertEquals(0, ws2.extensionFunction(s, ExtensionFunction.WSA_RECV_MSG).address());
        assertEquals(WsaErrors.WSAEOPNOTSUPP, ws2.WSAGetLastError(), "a function wsp4j does not layer is refused");
    }

    private long baseFunction(long lower, ExtensionFunction f) {
        long fn = host.baseProvider().extensionFunctionAddress(f);
        assertNotEquals(0, fn, f + " is the base provider's too");
        return fn;
    }
}
