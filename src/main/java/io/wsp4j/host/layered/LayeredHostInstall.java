package io.wsp4j.host.layered;

import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.host.Catalog;
import io.wsp4j.host.Host;
import io.wsp4j.host.HostPlatform;
import io.wsp4j.provider.JavaWspStartup;
import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolFlags;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Installs wsp4j's layered provider into a {@link Host}'s catalog the way an LSP installer does on
 * Windows (Microsoft's sample): a hidden layered entry (a copy of the first base entry with
 * iSocketType and iProtocol 0, PFL_HIDDEN, ChainLen = LAYERED_PROTOCOL, non-IFS) and one chain entry
 * per base entry ({@code [layered id, base id]}), put first in the provider order. The provider path is
 * a host pseudo-path under which the in-process {@link JavaWspStartup} is registered.
 */
public final class LayeredHostInstall {
    /** Where the layered provider "lives" on the host. */
    public static final String PROVIDER_PATH = "%" + HostPlatform.HOST_VARIABLE + "%\\wsp4j.dll";
    public static final UUID LAYERED_GUID = UUID.fromString("7a1d3c50-5e4f-4c0b-9b1e-0000000000a1");
    public static final UUID CHAIN_GUID = UUID.fromString("7a1d3c50-5e4f-4c0b-9b1e-0000000000a2");

    /** The catalog ids the install created. */
    public record Installed(int layeredId, int[] chainIds) {}

    private LayeredHostInstall() {}

    /** Layers wsp4j over every base entry of the host's catalog, loaded in-process ({@link JavaWspStartup}). */
    public static Installed install(Host host) {
        host.platform().registerProvider(PROVIDER_PATH, JavaWspStartup.stub());
        return install(host, PROVIDER_PATH);
    }

    /**
     * Layers wsp4j over every base entry, with {@code providerPath} as the entries' provider: e.g. the
     * native shim's shared library, whose WSPStartup attaches to this JVM and calls the Java provider.
     */
    public static Installed install(Host host, String providerPath) {
        Catalog catalog = host.catalog();
        List<Catalog.Entry> bases = new ArrayList<>();
        for (Catalog.Entry e : catalog.entries()) if (e.chainLength() == ProtocolChain.BASE_PROTOCOL) bases.add(e);
        if (bases.isEmpty()) throw new IllegalStateException("the host catalog has no base entry to layer over");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hidden = arena.allocate(WSAPROTOCOL_INFOW.layout());
            hidden.copyFrom(bases.get(0).info());
            WSAPROTOCOL_INFOW.iSocketType(hidden, 0);
            WSAPROTOCOL_INFOW.iProtocol(hidden, 0);
            WSAPROTOCOL_INFOW.dwProviderFlags(hidden, (WSAPROTOCOL_INFOW.dwProviderFlags(hidden) | ProtocolFlags.PFL_HIDDEN) & ~ProtocolFlags.PFL_MATCHES_PROTOCOL_ZERO);
            WSAPROTOCOL_INFOW.dwServiceFlags1(hidden, WSAPROTOCOL_INFOW.dwServiceFlags1(hidden) & ~ProtocolFlags.XP1_IFS_HANDLES);
            setChain(hidden, new int[0]);
            setName(hidden, "wsp4j layered provider");
            int layeredId = catalog.install(LAYERED_GUID, providerPath, hidden, 1)[0];

            MemorySegment chains = arena.allocate(WSAPROTOCOL_INFOW.layout(), bases.size());
            for (int i = 0; i < bases.size(); i++) {
                Catalog.Entry base = bases.get(i);
                MemorySegment c = chains.asSlice(i * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
                c.copyFrom(base.info());
                WSAPROTOCOL_INFOW.dwServiceFlags1(c, WSAPROTOCOL_INFOW.dwServiceFlags1(c) & ~ProtocolFlags.XP1_IFS_HANDLES);
                setChain(c, new int[] {layeredId, base.catalogEntryId()});
                setName(c, "wsp4j over [" + base.name() + "]");
            }
            int[] chainIds = catalog.install(CHAIN_GUID, providerPath, chains, bases.size());
            List<Integer> order = new ArrayList<>();
            for (int id : chainIds) order.add(id);
            for (Catalog.Entry e : catalog.entries()) if (!order.contains(e.catalogEntryId())) order.add(e.catalogEntryId());
            catalog.writeProviderOrder(order.stream().mapToInt(Integer::intValue).toArray());
            return new Installed(layeredId, chainIds);
        }
    }

    private static void setChain(MemorySegment info, int[] ids) {
        MemorySegment chain = WSAPROTOCOL_INFOW.ProtocolChain(info);
        WSAPROTOCOLCHAIN.ChainLen(chain, ids.length);
        for (int i = 0; i < ProtocolChain.MAX_LENGTH; i++) WSAPROTOCOLCHAIN.ChainEntries(chain, i, i < ids.length ? ids[i] : 0);
    }

    private static void setName(MemorySegment info, String name) {
        MemorySegment field = WSAPROTOCOL_INFOW.szProtocol(info);
        field.fill((byte) 0);
        byte[] text = name.getBytes(StandardCharsets.UTF_16LE);
        MemorySegment.copy(text, 0, field, ValueLayout.JAVA_BYTE, 0, (int) Math.min(text.length, field.byteSize() - 2));
    }
}
