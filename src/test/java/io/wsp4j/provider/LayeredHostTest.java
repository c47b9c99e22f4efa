package io.wsp4j.provider;

import static io.wsp4j.winsock.FdEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.Host;
import io.wsp4j.host.Msg;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import io.wsp4j.host.layered.DemoTraffic;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.provider.sample.AccountingProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** wsp4j layered over the SPI host's base provider, with the accounting sample, over real loopback TCP. */
@EnabledOnOs(OS.LINUX)
class LayeredHostTest {
    @TempDir Path dir;
    private Host host;
    private Path log;

    @BeforeEach
    void layer() {
        log = dir.resolve("accounting.log");
        ProviderSelection.register(() -> new AccountingProvider(log));
        host = new Host().install();
        LayeredHostInstall.install(host);
    }

    @AfterEach
    void unlayer() {
        if (host != null) host.close();
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
    }

    @Test
    void demoTrafficRunsThroughTheLayeredSampleAndTheAccountingMatchesWhatWasSent() throws Exception {
        int handlesBefore = host.registeredHandles();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoTraffic.Result r = DemoTraffic.run(host, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertInstanceOf(AccountingProvider.class, LayeredStartup.activeProvider(), "the sample is the provider in this process");
        List<String> sequence = r.messages().stream().map(m -> m.role() + " " + describe(m.event()) + " " + m.error()).toList();
        assertTrue(sequence.containsAll(List.of("listener FD_ACCEPT 0", "client FD_CONNECT 0", "client FD_WRITE 0",
                "server FD_READ 0", "client FD_READ 0", "server FD_CLOSE 0")), sequence.toString());
        assertTrue(sequence.indexOf("client FD_CONNECT 0") < sequence.indexOf("client FD_WRITE 0"), "FD_CONNECT before FD_WRITE");
        Set<Long> named = r.messages().stream().map(DemoTraffic.Message::socket).collect(Collectors.toSet());
        assertEquals(Set.of(r.listener(), r.client(), r.server()), named, "every message names a socket the application holds");

        AccountingProvider.Snapshot a = r.accounting();
        assertNotNull(a);
        assertEquals(2, a.connections());
        assertEquals(r.clientSent() + r.serverSent(), a.bytesOut(), "bytes out = what the test sent");
        assertEquals(r.clientSent() + r.serverSent(), a.bytesIn(), "bytes in = what the peers received");
        AccountingProvider.Connection client = connection(a, r.client());
        AccountingProvider.Connection server = connection(a, r.server());
        assertEquals(r.clientSent(), client.bytesOut());
        assertEquals(r.serverSent(), client.bytesIn());
        assertEquals(r.serverSent(), server.bytesOut());
        assertEquals(r.clientSent(), server.bytesIn());
        assertNotNull(client.peer(), "the client's peer is the connect target");
        assertNotNull(server.peer(), "the accepted socket's peer is known");
        assertTrue(host.registeredHandles() >= handlesBefore, "our handles come from WPUCreateSocketHandle");

        assertEquals(0, host.baseProvider().upcallCount("lpWSPAsyncSelect"), "WSPAsyncSelect is implemented by the layered provider");
        assertTrue(host.baseProvider().upcallCount("lpWSPEventSelect") >= 3, "conditions come from the base provider's WSPEventSelect");
        assertTrue(host.baseProvider().upcallCount("lpWSPEnumNetworkEvents") > 0);

        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("FD_ACCEPT") && out.contains("total: 2 connections"), out);

        host.close(); // WSACleanup → our WSPCleanup: the summary line
        host = null;
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(" conn socket=") && lines.get(1).contains(" conn socket="), lines.toString());
        assertTrue(lines.get(2).endsWith("summary connections=2 open=0 in=" + a.bytesIn() + " out=" + a.bytesOut()), lines.get(2));
        assertEquals(0, LayeredStartup.references());
    }

    @Test
    void datagramsAreCountedAndFdReadNamesOurSocket() {
        var ws2 = host.ws2();
        long hWnd = host.createWindow();
        long receiver = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_DGRAM, Ws2Def.IPPROTO_UDP);
        long sender = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_DGRAM, Ws2Def.IPPROTO_UDP);
        assertEquals(0, ws2.bind(receiver, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertEquals(0, ws2.WSAAsyncSelect(receiver, hWnd, 0x401, FD_READ));
        byte[] datagram = "one datagram through the layered provider".getBytes(StandardCharsets.US_ASCII);
        assertEquals(datagram.length, ws2.sendto(sender, datagram, datagram.length, 0, ws2.getsockname(receiver)));
        Msg m = host.getMessage(hWnd, 5_000);
        assertNotNull(m, "FD_READ arrives");
        assertEquals(receiver, m.wParam());
        assertEquals(FD_READ, selectEvent(m.lParam()));
        byte[] buf = new byte[100];
        InetSocketAddress[] from = new InetSocketAddress[1];
        assertEquals(datagram.length, ws2.recvfrom(receiver, buf, buf.length, 0, from));
        assertNotNull(from[0]);
        assertNull(host.getMessage(hWnd, 150), "drained: no second FD_READ");

        AccountingProvider.Snapshot a = ((AccountingProvider) LayeredStartup.activeProvider()).snapshot();
        assertEquals(datagram.length, a.bytesOut());
        assertEquals(datagram.length, a.bytesIn());
        assertEquals(0, ws2.closesocket(receiver));
        assertEquals(0, ws2.closesocket(sender));
        assertEquals(2, ((AccountingProvider) LayeredStartup.activeProvider()).snapshot().connections());
    }

    @Test
    void afterCancellingTheApplicationMayMakeTheSocketBlockingAgain() {
        var ws2 = host.ws2();
        long hWnd = host.createWindow();
        long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        assertEquals(0, ws2.WSAAsyncSelect(s, hWnd, 0x401, FD_READ));
        assertEquals(WsaErrors.SOCKET_ERROR, ws2.ioctlsocket(s, Ioctls.FIONBIO, new int[] {0}), "refused while registered");
        assertEquals(WsaErrors.WSAEINVAL, ws2.WSAGetLastError());
        assertEquals(0, ws2.WSAAsyncSelect(s, hWnd, 0, 0));
        assertEquals(0, ws2.ioctlsocket(s, Ioctls.FIONBIO, new int[] {0}), "allowed after the cancel, as on Windows");
        assertEquals(0, ws2.closesocket(s));
    }

    /** As the table's entries (LayeredTableTest): the extension functions' stubs are made once for the JVM, not once per start. */
    @Test
    void startingWinsockAgainHandsOutTheSameExtensionFunctions() {
        long s = host.ws2().socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
        java.util.Map<io.wsp4j.winsock.ExtensionFunction, Long> first = extensionFunctions(s);
        host.close(); // the last WSPCleanup
        host = new Host().install();
        LayeredHostInstall.install(host);
        s = host.ws2().socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);

        assertEquals(first, extensionFunctions(s));
        assertEquals(0, host.ws2().closesocket(s));
    }

    private java.util.Map<io.wsp4j.winsock.ExtensionFunction, Long> extensionFunctions(long s) {
        java.util.Map<io.wsp4j.winsock.ExtensionFunction, Long> pointers = new java.util.EnumMap<>(io.wsp4j.winsock.ExtensionFunction.class);
        for (var f : List.of(io.wsp4j.winsock.ExtensionFunction.ACCEPT_EX, io.wsp4j.winsock.ExtensionFunction.CONNECT_EX,
                io.wsp4j.winsock.ExtensionFunction.DISCONNECT_EX)) {
            pointers.put(f, host.ws2().extensionFunction(s, f).address());
        }
        return pointers;
    }

    private static AccountingProvider.Connection connection(AccountingProvider.Snapshot a, long socket) {
        return a.closed().stream().filter(c -> c.socket() == socket).findFirst()
                .orElseThrow(() -> new AssertionError("no accounting for socket " + socket + " in " + a));
    }
}
