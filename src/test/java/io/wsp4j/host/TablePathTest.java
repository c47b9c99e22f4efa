package io.wsp4j.host;

import static io.wsp4j.winsock.Ws2Def.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.winsock.Guids;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.foreign.Linker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** ws2's calls reach the provider through the WSPPROC_TABLE's function pointers, and the catalog through C symbols. */
@EnabledOnOs(OS.LINUX)
class TablePathTest {

    @Test
    void everyWs2CallEntersTheProviderThroughItsTableStub() {
        try (Host host = new Host()) {
            Ws2 ws2 = host.ws2();
            BaseProvider base = host.baseProvider();
            List<String> entries = List.of("lpWSPSocket", "lpWSPBind", "lpWSPListen", "lpWSPConnect", "lpWSPAccept",
                    "lpWSPSend", "lpWSPRecv", "lpWSPGetSockName", "lpWSPCloseSocket", "lpWSPAsyncSelect");
            long[] before = entries.stream().mapToLong(base::upcallCount).toArray();

            long l = ws2.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            assertEquals(0, ws2.bind(l, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            assertEquals(0, ws2.listen(l, 1));
            long c = ws2.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            assertEquals(0, ws2.connect(c, ws2.getsockname(l)));
            long a = ws2.accept(l);
            assertEquals(3, ws2.send(c, new byte[] {1, 2, 3}, 3, 0));
            assertEquals(3, ws2.recv(a, new byte[3], 3, 0));
            long hWnd = host.createWindow();
            assertEquals(0, ws2.WSAAsyncSelect(a, hWnd, 0x401, 0));
            for (long s : new long[] {a, c, l}) assertEquals(0, ws2.closesocket(s));

            long[] expectedDelta = {2, 1, 1, 1, 1, 1, 1, 1, 3, 1};
            for (int i = 0; i < entries.size(); i++) {
                assertEquals(expectedDelta[i], base.upcallCount(entries.get(i)) - before[i], entries.get(i));
            }
        }
    }

    @Test
    void unknownSocketNeverReachesAProvider() {
        try (Host host = new Host()) {
            long before = host.baseProvider().upcallCount("lpWSPRecv");
            assertEquals(SOCKET_ERROR, host.ws2().recv(12345, new byte[1], 1, 0));
            assertEquals(WSAENOTSOCK, host.ws2().WSAGetLastError());
            assertEquals(before, host.baseProvider().upcallCount("lpWSPRecv"), "ws2 answers for handles it does not know");
        }
    }

    @Test
    void wscEnumProtocolsAsACFunctionListsTheDefaultCatalog() throws Throwable {
        try (Host host = new Host(); Arena arena = Arena.ofConfined()) {
            MemorySegment fn = host.platform().ws2().find("WSCEnumProtocols").orElseThrow();
            MethodHandle enumProtocols = Linker.nativeLinker().downcallHandle(fn, Spi.WSCENUMPROTOCOLS);
            MemorySegment len = arena.allocateFrom(JAVA_INT, 0);
            MemorySegment err = arena.allocate(JAVA_INT);
            assertEquals(SOCKET_ERROR, (int) enumProtocols.invokeExact(MemorySegment.NULL, MemorySegment.NULL, len, err));
            assertEquals(WSAENOBUFS, err.get(JAVA_INT, 0));
            assertEquals(6 * Spi.WSAPROTOCOL_INFOW.byteSize(), len.get(JAVA_INT, 0));
            MemorySegment buf = arena.allocate(len.get(JAVA_INT, 0));
            assertEquals(6, (int) enumProtocols.invokeExact(MemorySegment.NULL, buf, len, err));
            Catalog.Entry first = new Catalog.Entry(buf.asSlice(0, Spi.WSAPROTOCOL_INFOW.byteSize()), "");
            assertEquals("MSAFD Tcpip [TCP/IP]", first.name());
            assertEquals(1001, first.catalogEntryId());
            assertEquals(Catalog.MSAFD_TCPIP, first.providerId());
            assertEquals(1, first.chainLength());
            assertEquals(1001, first.chainEntry(0));

            MemorySegment udpOnly = arena.allocateFrom(JAVA_INT, IPPROTO_UDP, 0);
            assertEquals(2, (int) enumProtocols.invokeExact(udpOnly, buf, len, err), "UDP over IPv4 and IPv6");
        }
    }

    @Test
    void wscGetProviderPathReturnsTheUnexpandedPath() throws Throwable {
        try (Host host = new Host(); Arena arena = Arena.ofConfined()) {
            MemorySegment fn = host.platform().ws2().find("WSCGetProviderPath").orElseThrow();
            MethodHandle getPath = Linker.nativeLinker().downcallHandle(fn, Spi.WSCGETPROVIDERPATH);
            MemorySegment guid = arena.allocate(Spi.GUID);
            Guids.write(guid, Catalog.MSAFD_TCPIP);
            MemorySegment path = arena.allocate(2 * 260);
            MemorySegment len = arena.allocateFrom(JAVA_INT, 260);
            MemorySegment err = arena.allocate(JAVA_INT);
            assertEquals(0, (int) getPath.invokeExact(guid, path, len, err));
            assertEquals(Catalog.BASE_PROVIDER_PATH, Native.getWideString(path, 260));
            assertEquals(Catalog.BASE_PROVIDER_PATH.length() + 1, len.get(JAVA_INT, 0));
            assertEquals("wsp4j-host:\\base.dll", host.platform().expandEnvironment(Catalog.BASE_PROVIDER_PATH));
        }
    }

    @Test
    void expandEnvironmentExpandsKnownVariablesOnly() {
        try (Host host = new Host()) {
            String home = System.getenv("HOME");
            assertEquals(home + "\\x.dll", host.platform().expandEnvironment("%home%\\x.dll"));
            assertEquals("%NO_SUCH_VARIABLE_WSP4J%\\x", host.platform().expandEnvironment("%NO_SUCH_VARIABLE_WSP4J%\\x"));
        }
    }

    @Test
    void loadProviderFindsRegisteredAndRealLibraries() {
        try (Host host = new Host()) {
            HostPlatform platform = host.platform();
            assertTrue(platform.loadProvider(platform.expandEnvironment(Catalog.BASE_PROVIDER_PATH)).find("WSPStartup").isPresent());
            assertThrows(IllegalArgumentException.class, () -> platform.loadProvider("wsp4j-host:\\none.dll"));
            assertThrows(IllegalArgumentException.class, () -> platform.loadProvider("/no/such/library.so"));
        }
    }
}
