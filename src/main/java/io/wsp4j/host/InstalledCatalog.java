package io.wsp4j.host;

import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.winsock.ProtocolInfo;
import io.wsp4j.winsock.Ws2Def;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs what an installer wrote: loads a catalog image (e.g. the file catalog's 64-bit catalog) into a
 * host, ids and order kept. The host plays {@code mswsock.dll}, so entries whose provider is that DLL
 * for IPv4 and IPv6 are served by the host's base provider; entries of other Windows-only providers
 * (RSVP, mswsock's AF_UNIX and Hyper-V entries …) cannot be served on Linux and are left out, and said
 * so; every other path (a layered provider's shared library, the native shim) is expanded as the
 * installer expanded it and loaded as it is. Providers keep their LSP categories.
 */
public final class InstalledCatalog {
    /** What was loaded, and which entries were left out because no provider for them exists on Linux. */
    public record Loaded(List<ProtocolEntry> served, List<ProtocolEntry> leftOut) {}

    private InstalledCatalog() {}

    public static Loaded load(Host host, List<ProtocolEntry> entries) {
        return load(host, entries, PathExpander.systemDefault());
    }

    /** As {@link #load(Host, List)}, expanding provider paths with {@code expander}. */
    public static Loaded load(Host host, List<ProtocolEntry> entries, PathExpander expander) {
        List<ProtocolEntry> served = new ArrayList<>();
        List<ProtocolEntry> leftOut = new ArrayList<>();
        List<MemorySegment> infos = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (ProtocolEntry e : entries) {
                String path;
                int af = e.info().addressFamily();
                if (isMswsock(e.path()) && (af == Ws2Def.AF_INET || af == Ws2Def.AF_INET6)) {
                    path = Catalog.BASE_PROVIDER_PATH;
                } else if (isWindowsSystemPath(e.path())) {
                    leftOut.add(e); // mswsock's AF_UNIX / Hyper-V entries, RSVP …: nothing serves them on Linux
                    continue;
                } else {
                    path = expander.expand(e.path()); // as the installer resolved it (e.g. ${WSP4J_ROOT})
                }
                MemorySegment info = arena.allocate(ProtocolInfo.BYTE_SIZE, 8);
                e.info().write(info);
                infos.add(info);
                paths.add(path);
                served.add(e);
            }
            host.catalog().load(infos, paths);
            for (ProtocolEntry e : served) {
                if (e.categories() != 0) host.catalog().setProviderCategories(e.info().providerId(), e.categories());
            }
        }
        return new Loaded(List.copyOf(served), List.copyOf(leftOut));
    }

    private static boolean isMswsock(String path) {
        return path.toLowerCase(Locale.ROOT).replace('/', '\\').endsWith("\\mswsock.dll");
    }

    private static boolean isWindowsSystemPath(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.startsWith("%systemroot%") || p.startsWith("%windir%") || p.matches("^[a-z]:\\\\.*");
    }
}
