package io.wsp4j.host;

import static io.wsp4j.winsock.ProtocolChain.BASE_PROTOCOL;
import static io.wsp4j.winsock.ProtocolChain.LAYERED_PROTOCOL;
import static io.wsp4j.winsock.ProtocolFlags.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.wsp4j.catalog.LspCategory;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The host's Winsock catalog: WSAPROTOCOL_INFOW entries in provider order, each with its provider's
 * (unexpanded) path, as ws2_32 keeps them. Starts with the embedded default (MSAFD Tcpip's TCP, UDP
 * and RAW over IPv4 and IPv6, served by the base provider); installers add entries as
 * WSCInstallProvider does and reorder them as WSCWriteProviderOrder does. Thread-safe.
 */
public final class Catalog {
    /** MSAFD Tcpip's provider GUID on Windows: {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}. */
    public static final UUID MSAFD_TCPIP = UUID.fromString("e70f1aa0-ab8b-11cf-8ca3-00805f48a192");
    /** The pseudo-path under which the host's base provider is found. */
    public static final String BASE_PROVIDER_PATH = "%" + HostPlatform.HOST_VARIABLE + "%\\base.dll";


    /** One catalog entry: its WSAPROTOCOL_INFOW (global memory, never freed) and its provider's path. */
    public record Entry(MemorySegment info, String path) {
        public int catalogEntryId() { return get("dwCatalogEntryId"); }
        public UUID providerId() { return Guids.read(info.asSlice(Spi.offset(Spi.WSAPROTOCOL_INFOW, "ProviderId"), Spi.GUID)); }
        public int addressFamily() { return get("iAddressFamily"); }
        public int socketType() { return get("iSocketType"); }
        public int protocol() { return get("iProtocol"); }
        public int protocolMaxOffset() { return get("iProtocolMaxOffset"); }
        public int providerFlags() { return get("dwProviderFlags"); }
        public int serviceFlags1() { return get("dwServiceFlags1"); }
        public int chainLength() {
            return info.get(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, "ProtocolChain") + Spi.offset(Spi.WSAPROTOCOLCHAIN, "ChainLen"));
        }
        public int chainEntry(int i) {
            return info.get(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, "ProtocolChain")
                    + Spi.offset(Spi.WSAPROTOCOLCHAIN, "ChainEntries") + 4L * i);
        }
        public String name() {
            return Native.getWideString(info.asSlice(Spi.offset(Spi.WSAPROTOCOL_INFOW, "szProtocol")), Spi.PROTOCOL_NAME_CHARS);
        }
        private int get(String member) {
            return info.get(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, member));
        }

        /** What ws2_32 matches on socket(af, type, protocol): visible, not a bare layered entry. */
        boolean matches(int af, int type, int protocol) {
            if ((providerFlags() & PFL_HIDDEN) != 0 || chainLength() == LAYERED_PROTOCOL) return false;
            if (af != addressFamily()) return false;
            if (type != socketType()) return false;
            if (protocol == 0) return (providerFlags() & PFL_MATCHES_PROTOCOL_ZERO) != 0 || protocolMaxOffset() > 0;
            return protocol >= protocol() && protocol <= protocol() + protocolMaxOffset();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<UUID, Integer> providerCategories = new HashMap<>();
    private OptionalInt applicationCategories = OptionalInt.empty();
    private int nextId = 1001;

    /** The embedded default catalog. */
    public Catalog() {
        base(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP, "MSAFD Tcpip [TCP/IP]");
        base(Ws2Def.AF_INET, Ws2Def.SOCK_DGRAM, Ws2Def.IPPROTO_UDP, "MSAFD Tcpip [UDP/IP]");
        base(Ws2Def.AF_INET, Ws2Def.SOCK_RAW, 0, "MSAFD Tcpip [RAW/IP]");
        base(Ws2Def.AF_INET6, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP, "MSAFD Tcpip [TCP/IPv6]");
        base(Ws2Def.AF_INET6, Ws2Def.SOCK_DGRAM, Ws2Def.IPPROTO_UDP, "MSAFD Tcpip [UDP/IPv6]");
        base(Ws2Def.AF_INET6, Ws2Def.SOCK_RAW, 0, "MSAFD Tcpip [RAW/IPv6]");
    }

    private void base(int af, int type, int protocol, String name) {
        MemorySegment info = Arena.global().allocate(Spi.WSAPROTOCOL_INFOW);
        boolean stream = type == Ws2Def.SOCK_STREAM;
        set(info, "dwServiceFlags1", stream
                ? XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_EXPEDITED_DATA | XP1_IFS_HANDLES
                : XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | XP1_SUPPORT_MULTIPOINT | XP1_IFS_HANDLES);
        set(info, "dwProviderFlags", type == Ws2Def.SOCK_RAW ? 0 : PFL_MATCHES_PROTOCOL_ZERO);
        Guids.write(info.asSlice(Spi.offset(Spi.WSAPROTOCOL_INFOW, "ProviderId"), Spi.GUID), MSAFD_TCPIP);
        int sockaddr = af == Ws2Def.AF_INET ? SocketAddresses.IPV4_LENGTH : SocketAddresses.IPV6_LENGTH;
        set(info, "iVersion", 2);
        set(info, "iAddressFamily", af);
        set(info, "iMaxSockAddr", sockaddr);
        set(info, "iMinSockAddr", sockaddr);
        set(info, "iSocketType", type);
        set(info, "iProtocol", protocol);
        set(info, "iProtocolMaxOffset", type == Ws2Def.SOCK_RAW ? 255 : 0);
        set(info, "dwMessageSize", stream ? 0 : 0xFFBB); // 65467: the largest UDP payload Windows reports
        Native.setWideString(info.asSlice(Spi.offset(Spi.WSAPROTOCOL_INFOW, "szProtocol")), name, Spi.PROTOCOL_NAME_CHARS);
        setChain(info, new int[] {0});
        add(info, BASE_PROVIDER_PATH, BASE_PROTOCOL);
    }

    private static void set(MemorySegment info, String member, int value) {
        info.set(JAVA_INT, Spi.offset(Spi.WSAPROTOCOL_INFOW, member), value);
    }

    private static void setChain(MemorySegment info, int[] chain) {
        long at = Spi.offset(Spi.WSAPROTOCOL_INFOW, "ProtocolChain");
        info.set(JAVA_INT, at + Spi.offset(Spi.WSAPROTOCOLCHAIN, "ChainLen"), chain.length);
        for (int i = 0; i < chain.length; i++) {
            info.set(JAVA_INT, at + Spi.offset(Spi.WSAPROTOCOLCHAIN, "ChainEntries") + 4L * i, chain[i]);
        }
    }

    /** Appends with a new id; a base entry's chain is just its own id. */
    private synchronized int add(MemorySegment info, String path, int chainLen) {
        int id = nextId++;
        set(info, "dwCatalogEntryId", id);
        if (chainLen == BASE_PROTOCOL) setChain(info, new int[] {id});
        entries.add(new Entry(info, path));
        return id;
    }

    /**
     * WSCInstallProvider: appends {@code count} WSAPROTOCOL_INFOW entries of provider {@code providerId}
     * at {@code path}, each with a new catalog id (returned in order). The entries' own ProviderId is
     * replaced by {@code providerId}; chains are kept as given (a layered entry's is empty).
     */
    public synchronized int[] install(UUID providerId, String path, MemorySegment protocolInfoList, int count) {
        for (Entry e : entries) {
            if (e.providerId().equals(providerId)) throw new IllegalArgumentException("provider already installed: " + providerId);
        }
        int[] ids = new int[count];
        MemorySegment list = protocolInfoList.reinterpret(Spi.WSAPROTOCOL_INFOW.byteSize() * count);
        for (int i = 0; i < count; i++) {
            MemorySegment info = Arena.global().allocate(Spi.WSAPROTOCOL_INFOW);
            MemorySegment.copy(list, i * Spi.WSAPROTOCOL_INFOW.byteSize(), info, 0, Spi.WSAPROTOCOL_INFOW.byteSize());
            Guids.write(info.asSlice(Spi.offset(Spi.WSAPROTOCOL_INFOW, "ProviderId"), Spi.GUID), providerId);
            Entry probe = new Entry(info, path);
            ids[i] = add(info, path, probe.chainLength());
        }
        return ids;
    }

    /**
     * Replaces the whole catalog with {@code infos} (WSAPROTOCOL_INFOW each, copied) and their provider
     * paths, in provider order, keeping their catalog ids: how the host takes over a catalog an
     * installer wrote. Later installs get ids above the highest one loaded.
     */
    public synchronized void load(List<MemorySegment> infos, List<String> paths) {
        if (infos.size() != paths.size()) throw new IllegalArgumentException("one path per entry");
        List<Entry> loaded = new ArrayList<>();
        int maxId = 0;
        for (int i = 0; i < infos.size(); i++) {
            MemorySegment info = Arena.global().allocate(Spi.WSAPROTOCOL_INFOW);
            MemorySegment.copy(infos.get(i), 0, info, 0, Spi.WSAPROTOCOL_INFOW.byteSize());
            Entry e = new Entry(info, paths.get(i));
            for (Entry other : loaded) {
                if (other.catalogEntryId() == e.catalogEntryId()) throw new IllegalArgumentException("duplicate catalog id " + e.catalogEntryId());
            }
            loaded.add(e);
            maxId = Math.max(maxId, e.catalogEntryId());
        }
        entries.clear();
        entries.addAll(loaded);
        nextId = Math.max(nextId, maxId + 1);
    }

    /**
     * WSCDeinstallProvider: removes every entry of the provider; false if it has none (Windows fails
     * with WSAEINVAL). Like Windows, it leaves other providers' chains alone, even those naming a
     * removed entry: an uninstaller rewrites or removes them first. Removed ids are never reused.
     */
    public synchronized boolean deinstall(UUID providerId) {
        providerCategories.remove(providerId);
        return entries.removeIf(e -> e.providerId().equals(providerId));
    }

    /** WSCSetProviderInfo(ProviderInfoLspCategories): the LSP categories of every entry of the provider. */
    public synchronized void setProviderCategories(UUID providerId, int categories) {
        if (entries.stream().noneMatch(e -> e.providerId().equals(providerId))) {
            throw new IllegalArgumentException("provider not installed: " + providerId);
        }
        providerCategories.put(providerId, categories);
    }

    /** WSCGetProviderInfo(ProviderInfoLspCategories): 0 for a provider that has none set. */
    public synchronized int providerCategories(UUID providerId) {
        return providerCategories.getOrDefault(providerId, 0);
    }

    /**
     * The LSP categories this process's application permits (empty: it is not categorized), as Winsock
     * reads them when the process starts it: from then on the process's view of the catalog leaves out
     * every LSP entry Windows would not load into it ({@link #view()}).
     */
    public synchronized void setApplicationCategories(OptionalInt permitted) {
        applicationCategories = permitted;
    }

    /**
     * The catalog as this process sees it, in provider order: base entries, and the layered and chain
     * entries whose providers load into the process under its application's permitted categories
     * ({@link LspCategory#loads}), a chain only if every layer it names does too. What socket()
     * chooses from and what WSCEnumProtocols returns to providers.
     */
    public synchronized List<Entry> view() {
        return entries.stream().filter(this::inView).toList();
    }

    /** A chain naming an id the catalog lacks stays in view, as on Windows, where it breaks socket(). */
    private boolean inView(Entry e) {
        if (applicationCategories.isEmpty() || e.chainLength() == BASE_PROTOCOL) return true;
        if (!LspCategory.loads(applicationCategories, providerCategories.getOrDefault(e.providerId(), 0))) return false;
        for (int i = 0; i < e.chainLength() - 1; i++) {
            int id = e.chainEntry(i);
            if (id == e.catalogEntryId()) continue;
            Entry layer = entries.stream().filter(x -> x.catalogEntryId() == id).findFirst().orElse(null);
            if (layer != null && !inView(layer)) return false;
        }
        return true;
    }

    /** WSCWriteProviderOrder: {@code ids} must be a permutation of the current ids. */
    public synchronized void writeProviderOrder(int[] ids) {
        if (ids.length != entries.size()) throw new IllegalArgumentException("order must list every entry");
        List<Entry> ordered = new ArrayList<>();
        for (int id : ids) ordered.add(byId(id));
        if (ordered.stream().distinct().count() != ids.length) throw new IllegalArgumentException("duplicate id in order");
        entries.clear();
        entries.addAll(ordered);
    }

    /** The entries in provider order (a snapshot). */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized Entry byId(int catalogEntryId) {
        for (Entry e : entries) if (e.catalogEntryId() == catalogEntryId) return e;
        throw new IllegalArgumentException("no catalog entry " + catalogEntryId);
    }

    /** ws2_32's choice for socket(af, type, protocol): the first matching entry of this process's {@link #view()}, or null. */
    public synchronized Entry find(int af, int type, int protocol) {
        for (Entry e : view()) if (e.matches(af, type, protocol)) return e;
        return null;
    }

    /** The path of a provider, unexpanded, or null if the catalog has none for the GUID. */
    public synchronized String providerPath(UUID providerId) {
        for (Entry e : entries) if (e.providerId().equals(providerId)) return e.path;
        return null;
    }
}
