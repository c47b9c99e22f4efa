package io.wsp4j.host;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ws2_32's handle table: the socket handles providers register, with the catalog entry and (for
 * handles made by WPUCreateSocketHandle) the provider's context. IFS handles are the provider's own
 * (an fd on the host); created handles come from a range fds never reach, in steps of 4 like Windows handles.
 */
final class SocketHandles {
    record Handle(long socket, int catalogEntryId, long context, boolean ifs) {}

    static final long FIRST_CREATED = 0x4000_0000L;
    private final ConcurrentHashMap<Long, Handle> handles = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(FIRST_CREATED);

    /** WPUModifyIFSHandle: the proposed handle, now known to ws2 as belonging to the catalog entry. */
    long modifyIfs(int catalogEntryId, long proposed) {
        handles.put(proposed, new Handle(proposed, catalogEntryId, 0, true));
        return proposed;
    }

    /** WPUCreateSocketHandle: a new handle carrying the provider's context. */
    long create(int catalogEntryId, long context) {
        long s = next.getAndAdd(4);
        handles.put(s, new Handle(s, catalogEntryId, context, false));
        return s;
    }

    /** The handle's record, or null if ws2 does not know it. */
    Handle get(long s) {
        return handles.get(s);
    }

    /** WPUCloseSocketHandle (created handles) or the end of an IFS handle: false if unknown. */
    boolean remove(long s) {
        return handles.remove(s) != null;
    }

    int size() {
        return handles.size();
    }
}
