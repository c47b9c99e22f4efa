package io.wsp4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.winsock.Bitness;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.host.Host;
import io.wsp4j.host.HostBaseLibrary;
import io.wsp4j.host.InstalledCatalog;
import io.wsp4j.host.ProcessEnvironment;
import io.wsp4j.host.layered.DemoTraffic;
import io.wsp4j.provider.ProviderPlatforms;
import io.wsp4j.provider.ProviderSelection;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.WsaError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Loopback traffic on the Linux SPI host through a file catalog as installed (shared by {@code demo} and
 * {@code host}), and what it showed as text or as JSON.
 */
final class HostTraffic {
    private HostTraffic() {}

    /** What a run showed: the catalog entries the host left out (not served on Linux) and the exchange. */
    record Run(List<String> leftOut, DemoTraffic.Result result) {}

    /**
     * Loads the catalog's 64-bit entries into a new host whose processes' application permits
     * {@code permitted}, points the native shim at the catalog's shim configuration (and its lower
     * provider, the host's base provider library, at this host), runs {@link DemoTraffic} and prints
     * the messages on {@code text} as they are known (null: prints nothing, for --json).
     */
    static Run run(PrintWriter text, FileCatalog catalog, Path dir, String providerClass, Optional<Path> lowerProvider,
                   OptionalInt permitted) {
        // What the shim would pass to a JVM it creates (jvm_option=-D…); in this JVM it attaches instead.
        System.setProperty(ProviderSelection.PROPERTY, providerClass);
        if (System.getProperty(AccountingProvider.LOG_PROPERTY) == null) {
            System.setProperty(AccountingProvider.LOG_PROPERTY, dir.resolve("accounting.log").toString());
        }
        ProcessEnvironment.set("WSP4J_SHIM_CONFIG", catalog.shimConfig().location().toString());
        try (Host host = new Host()) {
            InstalledCatalog.Loaded loaded = InstalledCatalog.load(host, catalog.read().entries(Bitness.X64));
            List<String> leftOut = loaded.leftOut().stream().map(e -> e.info().protocolName()).distinct().toList();
            if (text != null && !leftOut.isEmpty()) {
                text.println("(not served on Linux, left out of the host's catalog: " + String.join(", ", leftOut) + ")");
            }
            host.catalog().setApplicationCategories(permitted);
            host.install();
            // The shim's lower_provider in a file catalog is the host's base provider as a library: point it at this host's.
            lowerProvider.ifPresent(l -> HostBaseLibrary.bind(host, l));
            DemoTraffic.Result r = DemoTraffic.run(host, null);
            if (text != null) {
                for (DemoTraffic.Message msg : r.messages()) text.println("  message  " + msg);
                text.flush();
            }
            return new Run(leftOut, r);
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

    /**
     * The run as JSON: {@code leftOut}, {@code messages} (each decoded: the socket's role, its handle,
     * the FD_ event, the error code and its name), {@code appSent} and {@code accounting} (null when the
     * accounting sample did not run in this process).
     */
    static ObjectNode toJson(Run run) {
        ObjectNode o = CatalogJson.MAPPER.createObjectNode();
        ArrayNode left = o.putArray("leftOut");
        run.leftOut().forEach(left::add);
        DemoTraffic.Result r = run.result();
        ArrayNode messages = o.putArray("messages");
        for (DemoTraffic.Message m : r.messages()) {
            ObjectNode n = messages.addObject().put("role", m.role()).put("socket", m.socket()).put("event", FdEvents.describe(m.event()))
                    .put("error", m.error());
            WsaError e = WsaError.of(m.error());
            if (m.error() != 0) n.put("errorName", e == null ? "error " + m.error() : e.name());
        }
        o.putObject("appSent").put("client", r.clientSent()).put("server", r.serverSent()).put("total", r.clientSent() + r.serverSent());
        AccountingProvider.Snapshot a = r.accounting();
        if (a == null) {
            o.putNull("accounting");
            return o;
        }
        ObjectNode acc = o.putObject("accounting");
        acc.put("connections", a.connections()).put("bytesIn", a.bytesIn()).put("bytesOut", a.bytesOut());
        connections(acc.putArray("closed"), a.closed());
        connections(acc.putArray("open"), a.open());
        acc.put("log", System.getProperty(AccountingProvider.LOG_PROPERTY));
        return o;
    }

    private static void connections(ArrayNode into, List<AccountingProvider.Connection> connections) {
        for (AccountingProvider.Connection c : connections) {
            ObjectNode n = into.addObject().put("socket", c.socket());
            if (c.peer() == null) n.putNull("peer");
            else n.put("peer", AccountingProvider.format(c.peer()));
            n.put("bytesIn", c.bytesIn()).put("bytesOut", c.bytesOut()).put("durationMillis", c.durationMillis());
        }
    }
}
