package io.wsp4j.winsock;

import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
import io.wsp4j.bindings.WinApi;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A WSAPROTOCOLCHAIN: length 0 ({@link #LAYERED_PROTOCOL}) marks a layered provider's own entry,
 * length 1 ({@link #BASE_PROTOCOL}) a base provider, a longer one a protocol chain whose catalog
 * entry ids run from the top layer ({@code entries.get(0)}) down to the base provider.
 * {@code entries} holds exactly the first {@code length} ChainEntries; the rest are zero when written.
 */
public record ProtocolChain(int length, List<Integer> entries) {
    public static final int LAYERED_PROTOCOL = WinApi.LAYERED_PROTOCOL();
    public static final int BASE_PROTOCOL = WinApi.BASE_PROTOCOL();
    /** MAX_PROTOCOL_CHAIN: how many entries a chain holds. */
    public static final int MAX_LENGTH = WinApi.MAX_PROTOCOL_CHAIN();

    public ProtocolChain {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("protocol chain length " + length + " is not in 0.." + MAX_LENGTH);
        }
        entries = List.copyOf(entries);
        if (entries.size() != length) {
            throw new IllegalArgumentException("protocol chain of length " + length + " with " + entries.size() + " entries");
        }
    }

    /** The chain of a layered provider's own catalog entry. */
    public static ProtocolChain layered() {
        return new ProtocolChain(LAYERED_PROTOCOL, List.of());
    }

    /** The chain of a base provider's entry, whose id is the entry's own dwCatalogEntryId. */
    public static ProtocolChain base(int catalogEntryId) {
        return new ProtocolChain(BASE_PROTOCOL, List.of(catalogEntryId));
    }

    /** A protocol chain, top layer first, base provider last. */
    public static ProtocolChain of(List<Integer> catalogEntryIds) {
        return new ProtocolChain(catalogEntryIds.size(), catalogEntryIds);
    }

    public boolean isLayered() { return length == LAYERED_PROTOCOL; }

    public boolean isBase() { return length == BASE_PROTOCOL; }

    public boolean isChain() { return length > BASE_PROTOCOL; }

    /** Reads a WSAPROTOCOLCHAIN at the start of {@code chain}. */
    public static ProtocolChain read(MemorySegment chain) {
        int length = WSAPROTOCOLCHAIN.ChainLen(chain);
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("corrupt WSAPROTOCOLCHAIN: ChainLen " + length);
        }
        List<Integer> entries = new ArrayList<>(length);
        for (int i = 0; i < length; i++) entries.add(WSAPROTOCOLCHAIN.ChainEntries(chain, i));
        return new ProtocolChain(length, entries);
    }

    /** Writes this chain as a WSAPROTOCOLCHAIN at the start of {@code chain}; unused entries become 0. */
    public void write(MemorySegment chain) {
        WSAPROTOCOLCHAIN.ChainLen(chain, length);
        for (int i = 0; i < MAX_LENGTH; i++) WSAPROTOCOLCHAIN.ChainEntries(chain, i, i < length ? entries.get(i) : 0);
    }
}
