package io.wsp4j.host;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ws2_32's handle table: the socket handles providers register, with the catalog entry, (for
 * handles made by WPUCreateSocketHandle) the provider's context, and the application completion port
 * the handle is associated with, if any. IFS handles are the provider's own (an fd on the host);
 * created handles come from a range fds never reach, in steps of 4 like Windows handles.
 */
final class SocketHandles {
    /** {@code port} is null until CreateIoCompletionPort associates the handle; then packets carry {@code completionKey}. */
    record Handle(long socket, int catalogEntryId, long context, boolean ifs, IoCompletionPort port, long completionKey) {
        Handle(long socket, int catalogEntryId, long context, boolean ifs) {
            this(socket, catalogEntryId, context, ifs, null, 0);
        }
    }

    /** What {@link #associate} did. */
    enum Association { ASSOCIATED, NO_SUCH_HANDLE, ALREADY_ASSOCIATED }

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

    /**
     * CreateIoCompletionPort's association: completions of {@code s} go to {@code port} with
     * {@code key}. A handle is associated with one port for its whole life, as on Windows.
     */
    Association associate(long s, IoCompletionPort port, long key) {
        Association[] outcome = {Association.NO_SUCH_HANDLE};
        handles.computeIfPresent(s, (k, h) -> {
            if (h.port() != null) {
                outcome[0] = Association.ALREADY_ASSOCIATED;
                return h;
            }
            outcome[0] = Association.ASSOCIATED;
            return new Handle(h.socket(), h.catalogEntryId(), h.context(), h.ifs(), port, key);
        });
        return outcome[0];
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
