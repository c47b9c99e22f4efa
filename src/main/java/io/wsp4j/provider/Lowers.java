package io.wsp4j.provider;

import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The lower providers of this process, one per chain entry ws2_32 started us for (TCP/IPv4,
 * UDP/IPv6 …). Entries that name no socket find theirs by the protocol info's catalog id.
 */
final class Lowers {
    private final List<LowerProvider> all = new CopyOnWriteArrayList<>();

    void add(LowerProvider lower) {
        all.add(lower);
    }

    LowerProvider forChainEntry(int chainEntryId) {
        for (LowerProvider l : all) if (l.chainEntryId == chainEntryId) return l;
        return null;
    }

    /** The lower provider for a call's WSAPROTOCOL_INFOW (ours, as the application passed it), or the first one. */
    LowerProvider forProtocolInfo(MemorySegment lpProtocolInfo) {
        if (lpProtocolInfo.address() != 0) {
            MemorySegment info = lpProtocolInfo.reinterpret(WSAPROTOCOL_INFOW.sizeof());
            LowerProvider l = forChainEntry(WSAPROTOCOL_INFOW.dwCatalogEntryId(info));
            if (l != null) return l;
        }
        return first();
    }

    LowerProvider first() {
        return all.isEmpty() ? null : all.get(0);
    }

    List<LowerProvider> all() {
        return List.copyOf(all);
    }

    void clear() {
        all.clear();
    }
}
