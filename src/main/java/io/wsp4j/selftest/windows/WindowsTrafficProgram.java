package io.wsp4j.selftest.windows;

import io.wsp4j.selftest.Exchange;
import java.util.List;

/**
 * The selftest's allowed program on Windows: a new {@code java.exe} (on the allow-list) that runs a
 * WSAAsyncSelect exchange and an IOCP/AcceptEx exchange over loopback through the real ws2_32, so
 * through the installed provider. Its Winsock starts after the install, so it uses the catalog as
 * installed. Prints {@code key=value} lines ({@link Exchange#print}); exits 1 with the reason on
 * stderr if an exchange fails.
 */
public final class WindowsTrafficProgram {
    private WindowsTrafficProgram() {}

    public static void main(String[] args) {
        try {
            // The JDK's channels first: they start Winsock for the life of the process (the JDK's net
            // library), so the WSAStartup/WSACleanup pair of the second exchange never tears the provider down.
            Exchange iocp = IocpExchange.run();
            Exchange asyncSelect = AsyncSelectExchange.run();
            List<Exchange> exchanges = List.of(asyncSelect, iocp);
            System.out.println("pid=" + ProcessHandle.current().pid());
            Exchange.print(System.out, exchanges);
            System.exit(0);
        } catch (Exception | Error e) {
            System.err.println("WindowsTrafficProgram: " + e);
            System.exit(1);
        }
    }
}
