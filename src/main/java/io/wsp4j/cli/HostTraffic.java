package io.wsp4j.cli;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.host.Host;
import io.wsp4j.host.HostBaseLibrary;
import io.wsp4j.host.InstalledCatalog;
import io.wsp4j.host.ProcessEnvironment;
import io.wsp4j.host.layered.DemoTraffic;
import io.wsp4j.provider.ProviderPlatforms;
import io.wsp4j.provider.ProviderSelection;
import io.wsp4j.provider.sample.AccountingProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Loopback traffic on the Linux SPI host through a file catalog as installed (shared by {@code demo} and {@code host}). */
final class HostTraffic {
    private HostTraffic() {}

    /**
     * Loads the catalog's 64-bit entries into a new host, points the native shim at the catalog's shim
     * configuration (and its lower provider, the host's base provider library, at this host), runs
     * {@link DemoTraffic} and prints the messages.
     */
    static DemoTraffic.Result run(PrintWriter out, FileCatalog catalog, Path dir, String providerClass, Optional<Path> lowerProvider) {
        return run(out, catalog, dir, providerClass, lowerProvider, java.util.OptionalInt.empty());
    }

    /** As {@link #run(PrintWriter, FileCatalog, Path, String, Optional)}, in a process whose application permits {@code permitted}. */
    static DemoTraffic.Result run(PrintWriter out, FileCatalog catalog, Path dir, String providerClass, Optional<Path> lowerProvider,
                                  java.util.OptionalInt permitted) {
        // What the shim would pass to a JVM it creates (jvm_option=-D…); in this JVM it attaches instead.
        System.setProperty(ProviderSelection.PROPERTY, providerClass);
        if (System.getProperty(AccountingProvider.LOG_PROPERTY) == null) {
            System.setProperty(AccountingProvider.LOG_PROPERTY, dir.resolve("accounting.log").toString());
        }
        ProcessEnvironment.set("WSP4J_SHIM_CONFIG", catalog.shimConfig().location().toString());
        try (Host host = new Host()) {
            InstalledCatalog.Loaded loaded = InstalledCatalog.load(host, catalog.read().entries(Bitness.X64));
            if (!loaded.leftOut().isEmpty()) {
                out.println("(not served on Linux, left out of the host's catalog: "
                        + String.join(", ", loaded.leftOut().stream().map(e -> e.info().protocolName()).distinct().toList()) + ")");
            }
            host.catalog().setApplicationCategories(permitted);
            host.install();
            // The shim's lower_provider in a file catalog is the host's base provider as a library: point it at this host's.
            lowerProvider.ifPresent(l -> HostBaseLibrary.bind(host, l));
            DemoTraffic.Result r = DemoTraffic.run(host, null);
            for (DemoTraffic.Message msg : r.messages()) out.println("  message  " + msg);
            out.flush();
            return r;
        } finally {
            lowerProvider.ifPresent(HostBaseLibrary::unbind);
            ProviderPlatforms.uninstall();
            ProcessEnvironment.unset("WSP4J_SHIM_CONFIG");
        }
    }

    static void printAccounting(PrintWriter out, DemoTraffic.Result result) {
        AccountingProvider.Snapshot a = result.accounting();
        if (a == null) {
            out.println("  no accounting: the accounting sample did not run in this process (it is not installed first in the"
                    + " catalog, or the shim's allow-list does not target this process, whose sockets it passed through to the base"
                    + " provider); the app sent " + (result.clientSent() + result.serverSent()) + " bytes");
            out.flush();
            return;
        }
        for (AccountingProvider.Connection c : a.closed()) {
            out.printf("  connection socket 0x%x  peer %-21s in %4d bytes  out %4d bytes  %d ms%n", c.socket(),
                    AccountingProvider.format(c.peer()), c.bytesIn(), c.bytesOut(), c.durationMillis());
        }
        out.printf("  total: %d connections, %d bytes in, %d bytes out (the app sent %d bytes: client %d, server %d)%n",
                a.connections(), a.bytesIn(), a.bytesOut(), result.clientSent() + result.serverSent(),
                result.clientSent(), result.serverSent());
        out.println("  log: " + System.getProperty(AccountingProvider.LOG_PROPERTY));
        out.flush();
    }
}
