package io.wsp4j.provider;

import io.wsp4j.bindings.GUID;
import io.wsp4j.winsock.Guids;
import io.wsp4j.bindings.LPWSCENUMPROTOCOLS;
import io.wsp4j.bindings.LPWSCGETPROVIDERPATH;
import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Winsock catalog as ws2_32 exposes it to providers: {@code WSCEnumProtocols} (catalog id →
 * entry, GUID) and {@code WSCGetProviderPath} (GUID → DLL path, unexpanded). Used only in
 * WSPStartup, so it allocates freely.
 */
final class ProviderCatalog {
    /** MAX_PATH: the longest provider path WSCGetProviderPath returns, in WCHARs. */
    private static final int MAX_PATH = 260;

    private final MemorySegment enumProtocols;
    private final MemorySegment getProviderPath;

    ProviderCatalog(SymbolLookup ws2) {
        enumProtocols = ws2.find("WSCEnumProtocols").orElseThrow(() -> missing("WSCEnumProtocols"));
        getProviderPath = ws2.find("WSCGetProviderPath").orElseThrow(() -> missing("WSCGetProviderPath"));
    }

    private static ProviderStartupException missing(String name) {
        return new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT, "ws2 has no " + name);
    }

    /** Every catalog entry, as an array of WSAPROTOCOL_INFOW in {@code arena}. */
    MemorySegment entries(Arena arena) {
        MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment errno = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment buffer = MemorySegment.NULL;
        for (int attempt = 0; attempt < 4; attempt++) { // the catalog may grow between the two calls
            int n = LPWSCENUMPROTOCOLS.invoke(enumProtocols, MemorySegment.NULL, buffer, length, errno);
            if (n != WsaErrors.SOCKET_ERROR) return buffer.asSlice(0, (long) n * WSAPROTOCOL_INFOW.sizeof());
            int error = errno.get(ValueLayout.JAVA_INT, 0);
            if (error != WsaErrors.WSAENOBUFS) {
                throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT, "WSCEnumProtocols failed: " + io.wsp4j.winsock.WsaError.describe(error));
            }
            buffer = arena.allocate(Integer.toUnsignedLong(length.get(ValueLayout.JAVA_INT, 0)), 8);
        }
        throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT, "WSCEnumProtocols: the catalog kept changing");
    }

    /** The entry with {@code catalogId} in {@code entries}, or null. */
    static MemorySegment find(MemorySegment entries, int catalogId) {
        long n = entries.byteSize() / WSAPROTOCOL_INFOW.sizeof();
        for (long i = 0; i < n; i++) {
            MemorySegment e = entries.asSlice(i * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
            if (WSAPROTOCOL_INFOW.dwCatalogEntryId(e) == catalogId) return e;
        }
        return null;
    }

    /** The unexpanded DLL path of the provider with this GUID (a GUID segment). */
    String providerPath(MemorySegment providerId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocate(ValueLayout.JAVA_CHAR, MAX_PATH);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, MAX_PATH);
            MemorySegment errno = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment guid = arena.allocate(GUID.layout());
            guid.copyFrom(providerId);
            if (LPWSCGETPROVIDERPATH.invoke(getProviderPath, guid, path, length, errno) != 0) {
                throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT, "WSCGetProviderPath(" + uuid(providerId) + ") failed: "
                        + io.wsp4j.winsock.WsaError.describe(errno.get(ValueLayout.JAVA_INT, 0)));
            }
            return wideString(path);
        }
    }

    /** A NUL-terminated UTF-16LE string within {@code wchars} (the JDK's conversion; no NUL in it throws). */
    static String wideString(MemorySegment wchars) {
        return wchars.getString(0, StandardCharsets.UTF_16LE);
    }

    /** A GUID segment as a UUID. */
    static UUID uuid(MemorySegment guid) {
        return Guids.read(guid);
    }

    static int chainLength(MemorySegment info) {
        return WSAPROTOCOLCHAIN.ChainLen(WSAPROTOCOL_INFOW.ProtocolChain(info));
    }

    static int chainEntry(MemorySegment info, int index) {
        return WSAPROTOCOLCHAIN.ChainEntries(WSAPROTOCOL_INFOW.ProtocolChain(info), index);
    }
}
