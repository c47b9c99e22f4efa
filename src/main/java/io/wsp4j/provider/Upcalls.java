package io.wsp4j.provider;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.wsp4j.bindings.LPWPUCLOSESOCKETHANDLE;
import io.wsp4j.bindings.LPWPUCREATESOCKETHANDLE;
import io.wsp4j.bindings.LPWPUPOSTMESSAGE;
import io.wsp4j.bindings.LPWPUQUERYSOCKETHANDLECONTEXT;
import io.wsp4j.bindings.LPWPUQUEUEAPC;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import io.wsp4j.select.MessageSink;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The WSPUPCALLTABLE ws2_32 gave our WSPStartup (kept in global memory: the table outlives the call),
 * as downcall handles for the upcalls a non-IFS provider needs.
 */
final class Upcalls implements MessageSink {
    /**
     * BOOL WPUPostMessage(HWND, UINT, WPARAM, LPARAM), as {@link LPWPUPOSTMESSAGE} describes it but
     * with the HWND as a 64-bit integer: on x64 a pointer and a 64-bit integer are passed alike (an
     * integer register), and the engine's handle is a long, so a post wraps it in no segment.
     */
    static final FunctionDescriptor POST_MESSAGE = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);

    private final MemorySegment table;
    private final MethodHandle createSocketHandle;
    private final MethodHandle closeSocketHandle;
    private final MethodHandle querySocketHandleContext;
    private final MethodHandle postMessage;
    private final MethodHandle queueApc;
    private volatile boolean postFailureLogged;

    /** Copies the by-value table at {@code upcallTable} (valid only during WSPStartup). */
    Upcalls(MemorySegment upcallTable) {
        table = Arena.global().allocate(WSPUPCALLTABLE.layout());
        table.copyFrom(upcallTable.reinterpret(WSPUPCALLTABLE.sizeof()));
        Linker linker = Linker.nativeLinker();
        createSocketHandle = linker.downcallHandle(required(WSPUPCALLTABLE.lpWPUCreateSocketHandle(table), "lpWPUCreateSocketHandle"),
                LPWPUCREATESOCKETHANDLE.descriptor());
        closeSocketHandle = linker.downcallHandle(required(WSPUPCALLTABLE.lpWPUCloseSocketHandle(table), "lpWPUCloseSocketHandle"),
                LPWPUCLOSESOCKETHANDLE.descriptor());
        querySocketHandleContext = linker.downcallHandle(required(WSPUPCALLTABLE.lpWPUQuerySocketHandleContext(table), "lpWPUQuerySocketHandleContext"),
                LPWPUQUERYSOCKETHANDLECONTEXT.descriptor());
        postMessage = linker.downcallHandle(required(WSPUPCALLTABLE.lpWPUPostMessage(table), "lpWPUPostMessage"),
                POST_MESSAGE);
        // Needed only for overlapped requests with a completion routine (refused without it).
        MemorySegment apc = WSPUPCALLTABLE.lpWPUQueueApc(table);
        queueApc = apc.address() == 0 ? null : linker.downcallHandle(apc, LPWPUQUEUEAPC.descriptor());
    }

    private static MemorySegment required(MemorySegment fn, String name) {
        if (fn.address() == 0) {
            throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT, "the WSPUPCALLTABLE has no " + name);
        }
        return fn;
    }

    /** The table as ws2_32 gave it (what a lower provider's WSPStartup gets by value). */
    MemorySegment table() {
        return table;
    }

    /** WPUCreateSocketHandle: a new handle of ours; INVALID_SOCKET with *lpErrno on failure. */
    long createSocketHandle(int catalogEntryId, long context, MemorySegment lpErrno) throws Throwable {
        return (long) createSocketHandle.invokeExact(catalogEntryId, context, lpErrno);
    }

    /** WPUCloseSocketHandle: 0, or SOCKET_ERROR with *lpErrno. */
    int closeSocketHandle(long s, MemorySegment lpErrno) throws Throwable {
        return (int) closeSocketHandle.invokeExact(s, lpErrno);
    }

    /** WPUQuerySocketHandleContext: 0 and the context in *lpContext, or SOCKET_ERROR with *lpErrno. */
    int querySocketHandleContext(long s, MemorySegment lpContext, MemorySegment lpErrno) throws Throwable {
        return (int) querySocketHandleContext.invokeExact(s, lpContext, lpErrno);
    }

    /** WPUPostMessage for the engine: false when the window's queue refused the message. */
    @Override
    public boolean post(long hWnd, int wMsg, long wParam, long lParam) {
        try {
            return (int) postMessage.invokeExact(hWnd, wMsg, wParam, lParam) != 0;
        } catch (Throwable t) {
            // The engine must not see an exception (its in-flight count would never settle): the
            // message is dropped, as Windows drops one for a destroyed window.
            if (!postFailureLogged) {
                postFailureLogged = true;
                ProviderLog.error("WPUPostMessage failed; message dropped", t);
            }
            return true;
        }
    }

    boolean canQueueApc() {
        return queueApc != null;
    }

    /** WPUQueueApc: queues {@code apc(context)} to the thread {@code threadId} (a WSATHREADID); 0, or SOCKET_ERROR with *lpErrno. */
    int queueApc(MemorySegment threadId, MemorySegment apc, long context, MemorySegment lpErrno) throws Throwable {
        return (int) queueApc.invokeExact(threadId, apc, context, lpErrno);
    }
}
