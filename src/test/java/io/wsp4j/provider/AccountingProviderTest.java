package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.provider.sample.AccountingProvider;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample's bookkeeping through its hooks (the loopback test checks it against real traffic). */
class AccountingProviderTest {
    @TempDir Path dir;

    @Test
    void eachClosedConnectionIsOneLineAndCleanupWritesTheSummary() throws Exception {
        Path log = dir.resolve("sub/acc.log");
        LayeredProvider p = new AccountingProvider(log);
        Buffers none = new Buffers();
        LayeredSocket client = new LayeredSocket(100, 7, 2, 1, 6);
        LayeredSocket idle = new LayeredSocket(104, 8, 2, 1, 6);
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5555);
        p.onStartup();
        p.onSocket(client);
        p.onSocket(idle);
        p.onConnect(client, peer);
        p.onSent(client, none, 300);
        p.onSent(client, none, 20);
        p.onReceived(client, none, 7);
        p.onReceived(client, none, 0); // graceful close: no bytes

        AccountingProvider.Snapshot open = ((AccountingProvider) p).snapshot();
        assertEquals(1, open.open().size(), "the idle socket is not a connection");
        assertEquals(new AccountingProvider.Connection(100, peer, 7, 320, open.open().get(0).durationMillis(), false), open.open().get(0));

        p.onClose(client);
        p.onClose(idle);
        p.onCleanup();

        AccountingProvider.Snapshot done = ((AccountingProvider) p).snapshot();
        assertEquals(List.of(), done.open());
        assertEquals(1, done.connections());
        assertEquals(7, done.bytesIn());
        assertEquals(320, done.bytesOut());
        assertTrue(done.closed().get(0).closed());

        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size(), lines.toString());
        String pid = "pid=" + ProcessHandle.current().pid();
        assertTrue(lines.get(0).contains(pid + " conn socket=0x64 peer=127.0.0.1:5555 in=7 out=320 durationMs="), lines.get(0));
        assertTrue(lines.get(1).endsWith(pid + " summary connections=1 open=0 in=7 out=320"), lines.get(1));
    }

    @Test
    void theLogPathComesFromTheSystemPropertyElseTheTempDirectory() {
        String old = System.getProperty(AccountingProvider.LOG_PROPERTY);
        try {
            System.clearProperty(AccountingProvider.LOG_PROPERTY);
            assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "wsp4j-accounting.log"), AccountingProvider.defaultLogPath());
            System.setProperty(AccountingProvider.LOG_PROPERTY, dir.resolve("x.log").toString());
            assertEquals(dir.resolve("x.log"), new AccountingProvider().logPath());
        } finally {
            if (old == null) System.clearProperty(AccountingProvider.LOG_PROPERTY);
            else System.setProperty(AccountingProvider.LOG_PROPERTY, old);
        }
    }

    @Test
    void anUnwritableLogKeepsTheAccountingInMemory() throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        LayeredProvider p = new AccountingProvider(blocker.resolve("acc.log")); // parent is a file
        LayeredSocket s = new LayeredSocket(200, 9, 2, 1, 6);
        p.onSocket(s);
        p.onSent(s, new Buffers(), 5);
        p.onClose(s);
        p.onCleanup();
        assertEquals(5, ((AccountingProvider) p).snapshot().bytesOut());
        assertEquals(1, ((AccountingProvider) p).snapshot().connections());
    }
}
