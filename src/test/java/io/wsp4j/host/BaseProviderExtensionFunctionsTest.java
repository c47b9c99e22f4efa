package io.wsp4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The extension-function suite against the host's base provider alone, and what only the base shows. */
@EnabledOnOs(OS.LINUX)
class BaseProviderExtensionFunctionsTest extends ExtensionFunctionsConformanceSuite {
    @Override
    protected Host newHost() {
        return new Host();
    }

    @Test
    void thePointersComeFromTheProvidersIoctlAndAreTheSameForEverySocket() {
        long a = socket(), b = socket();
        MemorySegment first = function(a, ExtensionFunction.ACCEPT_EX);
        assertEquals(first, function(b, ExtensionFunction.ACCEPT_EX), "made once");
        assertEquals(2, host.baseProvider().upcallCount("lpWSPIoctl"));
    }

    @Test
    void theLastErrorExportsAreWs2sOwnPerThreadValue() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle set = linker.downcallHandle(host.platform().ws2().find("WSASetLastError").orElseThrow(),
                Spi.WSASETLASTERROR);
        MethodHandle get = linker.downcallHandle(host.platform().ws2().find("WSAGetLastError").orElseThrow(),
                Spi.WSAGETLASTERROR);
        set.invokeExact(WsaErrors.WSAECONNRESET);
        assertEquals(WsaErrors.WSAECONNRESET, ws2.WSAGetLastError());
        ws2.WSASetLastError(WsaErrors.WSAETIMEDOUT);
        assertEquals(WsaErrors.WSAETIMEDOUT, (int) get.invokeExact());
        int[] other = {-1};
        Thread t = Thread.ofPlatform().start(() -> other[0] = ws2.WSAGetLastError());
        t.join();
        assertEquals(0, other[0], "another thread has its own");
    }

    @Test
    void disconnectExWithReuseSocketIsNotOfferedOnTheHost() {
        long[] p = connectedPair();
        assertFalse(ws2.DisconnectEx(function(p[0], ExtensionFunction.DISCONNECT_EX), p[0], MemorySegment.NULL,
                io.wsp4j.bindings.WinApi.TF_REUSE_SOCKET()));
        assertEquals(WsaErrors.WSAEOPNOTSUPP, ws2.WSAGetLastError());
    }
}
