package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.wsp4j.bindings._WSATHREADID;
import io.wsp4j.bindings.fd_set;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WSPUPCALLTABLE the host hands every provider in WSPStartup: upcall stubs over the host's
 * windows, handle table, events ({@link HostEvents}), APC queues ({@link ApcQueues}) and catalog.
 */
final class HostUpcalls {
    private static final Logger LOG = Logger.getLogger(HostUpcalls.class.getName());

    private final Windows windows;
    private final SocketHandles handles;
    private final Catalog catalog;
    private final HostEvents events;
    private final ApcQueues apcs;
    private final MemorySegment table;
    private volatile boolean loggedFailure;

    HostUpcalls(Windows windows, SocketHandles handles, Catalog catalog, HostEvents events, ApcQueues apcs) {
        this.windows = windows;
        this.apcs = apcs;
        this.events = events;
        this.handles = handles;
        this.catalog = catalog;
        this.table = Arena.global().allocate(Spi.WSPUPCALLTABLE);
        for (String name : Spi.UPCALL_ENTRIES) {
            FunctionDescriptor d = Spi.upcallDescriptor(name);
            var target = Native.bound(this, name.substring(2), d.toMethodType());
            table.set(ADDRESS, Spi.offset(Spi.WSPUPCALLTABLE, name), Native.upcall(target, d));
        }
    }

    /** The filled table (passed by value to WSPStartup). */
    MemorySegment table() {
        return table;
    }

    private int failed(String entry, Throwable t, MemorySegment lpErrno) {
        if (!loggedFailure) {
            loggedFailure = true;
            LOG.log(Level.SEVERE, "host upcall " + entry + " failed", t);
        }
        try {
            Native.setError(lpErrno, WSASYSCALLFAILURE);
        } catch (Throwable ignored) {
            // a bad lpErrno: nothing more to report through
        }
        return SOCKET_ERROR;
    }

    // ---- the entries ------------------------------------------------------------------------------

    /** BOOL WPUCloseEvent(WSAEVENT, LPINT). */
    int WPUCloseEvent(long hEvent, MemorySegment lpErrno) {
        try {
            if (events.close(hEvent)) return 1;
            Native.setError(lpErrno, WSA_INVALID_HANDLE);
            return 0;
        } catch (Throwable t) {
            failed("WPUCloseEvent", t, lpErrno);
            return 0;
        }
    }

    /** WSAEVENT WPUCreateEvent(LPINT): a manual-reset host event, not signalled; WSA_INVALID_EVENT (0) on failure. */
    long WPUCreateEvent(MemorySegment lpErrno) {
        try {
            return events.create();
        } catch (Throwable t) {
            Native.setError(lpErrno, WSA_NOT_ENOUGH_MEMORY);
            return 0;
        }
    }

    /** BOOL WPUSetEvent(WSAEVENT, LPINT). */
    int WPUSetEvent(long hEvent, MemorySegment lpErrno) {
        try {
            if (events.isEvent(hEvent) && events.set(hEvent)) return 1;
            Native.setError(lpErrno, WSA_INVALID_HANDLE);
            return 0;
        } catch (Throwable t) {
            failed("WPUSetEvent", t, lpErrno);
            return 0;
        }
    }

    /** BOOL WPUResetEvent(WSAEVENT, LPINT). */
    int WPUResetEvent(long hEvent, MemorySegment lpErrno) {
        try {
            if (events.isEvent(hEvent) && events.reset(hEvent)) return 1;
            Native.setError(lpErrno, WSA_INVALID_HANDLE);
            return 0;
        } catch (Throwable t) {
            failed("WPUResetEvent", t, lpErrno);
            return 0;
        }
    }

    /** SOCKET WPUCreateSocketHandle(DWORD, DWORD_PTR, LPINT). */
    long WPUCreateSocketHandle(int catalogEntryId, long context, MemorySegment lpErrno) {
        try {
            return handles.create(catalogEntryId, context);
        } catch (Throwable t) {
            failed("WPUCreateSocketHandle", t, lpErrno);
            return INVALID_SOCKET;
        }
    }

    /** int WPUQuerySocketHandleContext(SOCKET, PDWORD_PTR, LPINT). */
    int WPUQuerySocketHandleContext(long s, MemorySegment lpContext, MemorySegment lpErrno) {
        try {
            SocketHandles.Handle h = handles.get(s);
            if (h == null || h.ifs()) {
                Native.setError(lpErrno, WSAENOTSOCK);
                return SOCKET_ERROR;
            }
            if (Native.isNull(lpContext)) {
                Native.setError(lpErrno, WSAEFAULT);
                return SOCKET_ERROR;
            }
            Native.setLong(lpContext, h.context());
            return 0;
        } catch (Throwable t) {
            return failed("WPUQuerySocketHandleContext", t, lpErrno);
        }
    }

    /** int WPUCloseSocketHandle(SOCKET, LPINT). */
    int WPUCloseSocketHandle(long s, MemorySegment lpErrno) {
        try {
            SocketHandles.Handle h = handles.get(s);
            if (h == null || h.ifs() || !handles.remove(s)) {
                Native.setError(lpErrno, WSAENOTSOCK);
                return SOCKET_ERROR;
            }
            return 0;
        } catch (Throwable t) {
            return failed("WPUCloseSocketHandle", t, lpErrno);
        }
    }

    /** SOCKET WPUModifyIFSHandle(DWORD, SOCKET, LPINT): the proposed handle, registered. */
    long WPUModifyIFSHandle(int catalogEntryId, long proposed, MemorySegment lpErrno) {
        try {
            if (proposed == INVALID_SOCKET) {
                Native.setError(lpErrno, WSAEINVAL);
                return INVALID_SOCKET;
            }
            return handles.modifyIfs(catalogEntryId, proposed);
        } catch (Throwable t) {
            failed("WPUModifyIFSHandle", t, lpErrno);
            return INVALID_SOCKET;
        }
    }

    /** BOOL WPUPostMessage(HWND, UINT, WPARAM, LPARAM): FALSE if no such window or its queue is full. */
    int WPUPostMessage(long hWnd, int msg, long wParam, long lParam) {
        try {
            return windows.postMessage(hWnd, msg, wParam, lParam) ? 1 : 0;
        } catch (Throwable t) {
            failed("WPUPostMessage", t, MemorySegment.NULL);
            return 0;
        }
    }

    /** int WPUQueryBlockingCallback(DWORD, LPBLOCKINGCALLBACK*, PDWORD_PTR, LPINT): no blocking hook (NULL). */
    int WPUQueryBlockingCallback(int catalogEntryId, MemorySegment lplpfnCallback, MemorySegment lpdwContext,
                                 MemorySegment lpErrno) {
        try {
            if (Native.isNull(lplpfnCallback) || Native.isNull(lpdwContext)) {
                Native.setError(lpErrno, WSAEFAULT);
                return SOCKET_ERROR;
            }
            lplpfnCallback.reinterpret(8).set(ADDRESS, 0, MemorySegment.NULL);
            Native.setLong(lpdwContext, 0);
            return 0;
        } catch (Throwable t) {
            return failed("WPUQueryBlockingCallback", t, lpErrno);
        }
    }

    /** int WPUGetProviderPath(LPGUID, WCHAR*, LPINT, LPINT): the catalog's (unexpanded) path. */
    int WPUGetProviderPath(MemorySegment lpProviderId, MemorySegment lpszPath, MemorySegment lpLen, MemorySegment lpErrno) {
        try {
            return HostPlatform.providerPath(catalog, lpProviderId, lpszPath, lpLen, lpErrno);
        } catch (Throwable t) {
            return failed("WPUGetProviderPath", t, lpErrno);
        }
    }

    /** int WPUFDIsSet(SOCKET, fd_set*): fd_set { u_int fd_count; SOCKET fd_array[FD_SETSIZE]; }. */
    int WPUFDIsSet(long s, MemorySegment set) {
        try {
            if (Native.isNull(set)) return 0;
            long array = fd_set.fd_array$offset();
            int count = fd_set.fd_count(set.reinterpret(array));
            MemorySegment all = set.reinterpret(array + Spi.SOCKET.byteSize() * count);
            for (int i = 0; i < count; i++) if (all.get(JAVA_LONG, array + Spi.SOCKET.byteSize() * i) == s) return 1;
            return 0;
        } catch (Throwable t) {
            failed("WPUFDIsSet", t, MemorySegment.NULL);
            return 0;
        }
    }

    private static final long THREAD_HANDLE = _WSATHREADID.ThreadHandle$offset();
    private static final long THREAD_RESERVED = _WSATHREADID.Reserved$offset();

    /** The ThreadHandle of a WSATHREADID, or 0 for NULL. */
    private static long threadHandle(MemorySegment lpThreadId) {
        if (Native.isNull(lpThreadId)) return 0;
        return lpThreadId.reinterpret(_WSATHREADID.sizeof()).get(JAVA_LONG, THREAD_HANDLE);
    }

    /** int WPUQueueApc(LPWSATHREADID, LPWSAUSERAPC, DWORD_PTR, LPINT): runs at the thread's next alertable wait. */
    int WPUQueueApc(MemorySegment lpThreadId, MemorySegment lpfnUserApc, long dwContext, MemorySegment lpErrno) {
        try {
            if (Native.isNull(lpThreadId) || Native.isNull(lpfnUserApc)) {
                Native.setError(lpErrno, WSAEFAULT);
                return SOCKET_ERROR;
            }
            if (apcs.queue(threadHandle(lpThreadId), lpfnUserApc, dwContext)) return 0;
            Native.setError(lpErrno, WSAEINVAL);
            return SOCKET_ERROR;
        } catch (Throwable t) {
            return failed("WPUQueueApc", t, lpErrno);
        }
    }

    /** int WPUOpenCurrentThread(LPWSATHREADID, LPINT): the calling thread's handle for WPUQueueApc. */
    int WPUOpenCurrentThread(MemorySegment lpThreadId, MemorySegment lpErrno) {
        try {
            if (Native.isNull(lpThreadId)) {
                Native.setError(lpErrno, WSAEFAULT);
                return SOCKET_ERROR;
            }
            MemorySegment id = lpThreadId.reinterpret(_WSATHREADID.sizeof());
            id.set(JAVA_LONG, THREAD_HANDLE, apcs.currentThread());
            id.set(JAVA_LONG, THREAD_RESERVED, 0);
            return 0;
        } catch (Throwable t) {
            return failed("WPUOpenCurrentThread", t, lpErrno);
        }
    }

    /**
     * int WPUCloseThread(LPWSATHREADID, LPINT): a handle from WPUOpenCurrentThread; the host keeps each
     * thread's queue until it closes, so there is nothing to release.
     */
    int WPUCloseThread(MemorySegment lpThreadId, MemorySegment lpErrno) {
        try {
            if (apcs.isThread(threadHandle(lpThreadId))) return 0;
            Native.setError(lpErrno, Native.isNull(lpThreadId) ? WSAEFAULT : WSAEINVAL);
            return SOCKET_ERROR;
        } catch (Throwable t) {
            return failed("WPUCloseThread", t, lpErrno);
        }
    }
}
