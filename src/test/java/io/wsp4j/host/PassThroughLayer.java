package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.wsp4j.provider.ProviderPlatform;
import io.wsp4j.winsock.ProtocolFlags;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal in-process layered provider for tests: its WSPStartup starts the next provider of the
 * chain (through the platform, by downcall) and hands back that provider's table untouched. Installed
 * as Microsoft's installer does: a hidden layered entry, then one chain entry per target (a base entry
 * or another LSP's chain entry), ordered first.
 */
final class PassThroughLayer {
    static final String PATH = "%WSP4J_HOST%\\passthrough.dll";
    static final UUID LAYER_ID = UUID.fromString("3d1f3a52-5c0a-4b6e-9a38-6b1d2f7c0001");

    final AtomicInteger startups = new AtomicInteger();
    private final Host host;

    private PassThroughLayer(Host host) {
        this.host = host;
    }

    /** Installs the layer over the catalog entries {@code targetIds} and puts its chains first. */
    static PassThroughLayer install(Host host, int... targetIds) {
        PassThroughLayer layer = new PassThroughLayer(host);
        MethodHandle startup;
        try {
            startup = MethodHandles.lookup().findVirtual(PassThroughLayer.class, "wspStartup",
                    Spi.WSPSTARTUP.toMethodType()).bindTo(layer);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        host.platform().registerProvider(PATH, Linker.nativeLinker().upcallStub(startup, Spi.WSPSTARTUP, Arena.global()));

        Catalog catalog = host.catalog();
        Catalog.Entry first = catalog.byId(targetIds[0]);
        MemorySegment hidden = copy(first.info());
        setInt(hidden, "dwProviderFlags", first.providerFlags() | ProtocolFlags.PFL_HIDDEN);
        setInt(hidden, "iSocketType", 0);
        setInt(hidden, "iProtocol", 0);
        setChain(hidden, new int[0]);
        int layeredId = catalog.install(LAYER_ID, PATH, hidden, 1)[0];

        int[] order = new int[catalog.entries().size() + targetIds.length];
        int n = 0;
        for (int i = 0; i < targetIds.length; i++) {
            Catalog.Entry target = catalog.byId(targetIds[i]);
            MemorySegment chain = copy(target.info());
            setChain(chain, chainOver(layeredId, target));
            UUID chainId = new UUID(LAYER_ID.getMostSignificantBits(), LAYER_ID.getLeastSignificantBits() + 1 + i);
            order[n++] = catalog.install(chainId, PATH, chain, 1)[0];
        }
        for (Catalog.Entry e : catalog.entries()) {
            boolean chained = false;
            for (int i = 0; i < n; i++) chained |= order[i] == e.catalogEntryId();
            if (!chained) order[n++] = e.catalogEntryId();
        }
        catalog.writeProviderOrder(order);
        return layer;
    }

    /**
     * As Microsoft's installer (lspadd.cpp) builds a non-IFS chain: the target's chain with our hidden
     * id first and ChainEntries[1] the target's own id: {@code [hidden, target id, target chain[1..]]}.
     * Over another LSP's chain entry it names that entry, not that LSP's hidden entry.
     */
    static int[] chainOver(int layeredId, Catalog.Entry target) {
        int below = target.chainLength() == io.wsp4j.winsock.ProtocolChain.BASE_PROTOCOL ? 1 : target.chainLength();
        int[] chain = new int[below + 1];
        chain[0] = layeredId;
        chain[1] = target.catalogEntryId();
        for (int i = 1; i < below; i++) chain[i + 1] = target.chainEntry(i);
        return chain;
    }

    private static MemorySegment copy(MemorySegment info) {
        MemorySegment c = Arena.global().allocate(Spi.WSAPROTOCOL_INFOW);
        c.copyFrom(info);
        return c;
    }

    private static void setInt(MemorySegment info, String member, int value) {
        info.set(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, member), value);
    }

    private static void setChain(MemorySegment info, int[] chain) {
        long at = Spi.offset(Spi.WSAPROTOCOL_INFOW, "ProtocolChain");
        info.set(JAVA_INT, at + Spi.offset(Spi.WSAPROTOCOLCHAIN, "ChainLen"), chain.length);
        for (int i = 0; i < chain.length; i++) {
            info.set(JAVA_INT, at + Spi.offset(Spi.WSAPROTOCOLCHAIN, "ChainEntries") + 4L * i, chain[i]);
        }
    }

    /** WSPStartup: start the next provider in the chain with the same upcall table; return its table. */
    int wspStartup(short version, MemorySegment data, MemorySegment protocolInfo, MemorySegment upcallTable,
                   MemorySegment procTable) {
        try {
            startups.incrementAndGet();
            Catalog.Entry mine = new Catalog.Entry(protocolInfo.reinterpret(Spi.WSAPROTOCOL_INFOW.byteSize()), PATH);
            Catalog.Entry next = host.catalog().byId(mine.chainEntry(1));
            ProviderPlatform platform = host.platform();
            MemorySegment nextStartup = platform.loadProvider(platform.expandEnvironment(next.path()))
                    .find("WSPStartup").orElseThrow();
            MethodHandle down = Linker.nativeLinker().downcallHandle(nextStartup, Spi.WSPSTARTUP);
            // A base provider gets its own entry, a layered one the caller's (WINDOWS-NOTES, "In WSPStartup").
            MemorySegment info = next.chainLength() == io.wsp4j.winsock.ProtocolChain.BASE_PROTOCOL ? next.info() : protocolInfo;
            return (int) down.invokeExact(version, data, info, upcallTable, procTable);
        } catch (Throwable t) {
            return io.wsp4j.winsock.WsaErrors.WSAEPROVIDERFAILEDINIT;
        }
    }

}
