package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.ExtensionFunctionsConformanceSuite;
import io.wsp4j.host.Host;
import io.wsp4j.provider.sample.AccountingProvider;
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

    @Test
    void theAccountingSampleCountsAnAcceptExConnectionAndItsOverlappedBytes() {
        long[] a = acceptedByAcceptEx();
        long listen = a[0], accept = a[1], client = a[2];
        ok(updateAcceptContext(accept, listen), "SO_UPDATE_ACCEPT_CONTEXT");

        long r = event();
        MemorySegment in = arena.allocate(16);
        int rc = ws2.WSARecv(accept, new MemorySegment[] {in}, null, new int[] {0}, overlapped(r));
        assertTrue(rc == 0 || ws2.WSAGetLastError() == WsaErrors.WSA_IO_PENDING, () -> "WSARecv: " + ws2.WSAGetLastError());
        send(client, "hello");
        awaitSignalled(r);
        long w = event();
        MemorySegment ov = overlapped(w);
        rc = ws2.WSASend(accept, new MemorySegment[] {text("world!")}, null, 0, ov);
        assertTrue(rc == 0 || ws2.WSAGetLastError() == WsaErrors.WSA_IO_PENDING, () -> "WSASend: " + ws2.WSAGetLastError());
        awaitSignalled(w);
        assertEquals("world!", receive(client));
        close(accept);

        AccountingProvider accounting = (AccountingProvider) LayeredStartup.activeProvider();
        AccountingProvider.Connection c = accounting.snapshot().closed().stream().filter(x -> x.socket() == accept).findFirst()
                .orElseThrow(() -> new AssertionError("the AcceptEx connection is not in the accounting: " + accounting.snapshot()));
        assertEquals(ws2.getsockname(client), c.peer(), "the peer, read from AcceptEx's output buffer");
        assertEquals(5, c.bytesIn(), "the overlapped receive's bytes");
        assertEquals(6, c.bytesOut(), "the overlapped send's bytes");
    }

    private long baseFunction(long lower, ExtensionFunction f) {
        long fn = host.baseProvider().extensionFunctionAddress(f);
        assertNotEquals(0, fn, f + " is the base provider's too");
        return fn;
    }
}
