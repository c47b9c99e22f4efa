package io.wsp4j.selftest.host;

import io.wsp4j.selftest.Exchange;
import java.nio.file.Path;
import java.util.List;

/**
 * The selftest's allowed program on the Linux host (a child JVM, {@code java}, which the allow-list
 * names): runs the installed catalog on a host, so the native shim attaches to this JVM and starts the
 * Java provider, then a WSAAsyncSelect exchange and an IOCP/AcceptEx exchange through it. Prints
 * {@code key=value} lines ({@link Exchange#print}); exits 1 with the reason on stderr if an exchange fails.
 *
 * <p>Usage: {@code HostTrafficProgram CATALOG_DIR} (with WSP4J_SHIM_CONFIG naming the installed shim configuration).
 */
public final class HostTrafficProgram {
    private HostTrafficProgram() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HostTrafficProgram CATALOG_DIR");
            System.exit(2);
        }
        try {
            List<Exchange> exchanges;
            try (InstalledHost installed = InstalledHost.open(Path.of(args[0]))) {
                exchanges = List.of(HostExchanges.asyncSelect(installed.host()), HostExchanges.iocp(installed.host()));
            }
            System.out.println("pid=" + ProcessHandle.current().pid());
            Exchange.print(System.out, exchanges);
            System.exit(0);
        } catch (RuntimeException | Error e) {
            System.err.println("HostTrafficProgram: " + e);
            System.exit(1);
        }
    }
}
