package io.wsp4j.selftest.windows;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.wsp4j.core.windows.Kernel32;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The ws2_32 and user32 calls of the selftest's Windows program: what a Winsock GUI program calls
 * (WSAStartup, socket … closesocket, WSAAsyncSelect) and the message-only window it is told through
 * (CreateWindowExW, PeekMessageW, MsgWaitForMultipleObjects). Hand-written downcalls over the
 * documented prototypes (the bindings cover the SPI, not the application API), each capturing the
 * thread's error in the call itself ({@code WSAGetLastError} for ws2_32, {@code GetLastError} for
 * user32): the JVM may change it between two downcalls.
 *
 * <p>Windows x64 only (SOCKET and WPARAM are 64-bit, LONG 32-bit); loading the class touches no native
 * code, the first call fails off Windows.
 */
final class Winsock {
    static final long INVALID_SOCKET = -1L;
    static final int SOCKET_ERROR = -1;
    static final int WSAEWOULDBLOCK = 10035;
    /** PeekMessage: remove the message it returns. */
    static final int PM_REMOVE = 0x0001;
    /** MsgWaitForMultipleObjects: wake for any posted message, filtered or not. */
    static final int QS_ALLPOSTMESSAGE = 0x0100;
    static final int WAIT_TIMEOUT = 258;
    /** HWND_MESSAGE ((HWND)-3): the parent that makes a window message-only. */
    static final MemorySegment HWND_MESSAGE = MemorySegment.ofAddress(-3L);

    /**
     * WSADATA for _WIN64 (winsock2.h): the two version words, iMaxSockets and iMaxUdpDg, lpVendorInfo,
     * then szDescription[WSADESCRIPTION_LEN + 1] and szSystemStatus[WSASYS_STATUS_LEN + 1].
     */
    static final StructLayout WSADATA = MemoryLayout.structLayout(
            JAVA_SHORT.withName("wVersion"), JAVA_SHORT.withName("wHighVersion"),
            JAVA_SHORT.withName("iMaxSockets"), JAVA_SHORT.withName("iMaxUdpDg"),
            ADDRESS.withName("lpVendorInfo"),
            MemoryLayout.sequenceLayout(256 + 1, JAVA_BYTE).withName("szDescription"),
            MemoryLayout.sequenceLayout(128 + 1, JAVA_BYTE).withName("szSystemStatus"),
            MemoryLayout.paddingLayout(6));

    /** MSG (winuser.h): hwnd, message, wParam, lParam, time, pt, lPrivate; 48 bytes on x64. */
    static final StructLayout MSG = MemoryLayout.structLayout(
            ADDRESS.withName("hwnd"), JAVA_INT.withName("message"), MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("wParam"), JAVA_LONG.withName("lParam"), JAVA_INT.withName("time"),
            MemoryLayout.structLayout(JAVA_INT.withName("x"), JAVA_INT.withName("y")).withName("pt"),
            JAVA_INT.withName("lPrivate"));
    static final VarHandle MSG_MESSAGE = MSG.varHandle(groupElement("message"));
    static final VarHandle MSG_WPARAM = MSG.varHandle(groupElement("wParam"));
    static final VarHandle MSG_LPARAM = MSG.varHandle(groupElement("lParam"));

    private Winsock() {}

    /** WSAGetLastError() as captured right after this thread's last ws2_32 call through this class. */
    static int wsaLastError() {
        return (int) Downcalls.WSA_LAST_ERROR.get(Downcalls.STATE.get(), 0L);
    }

    /** GetLastError() as captured right after this thread's last user32 call through this class. */
    static int lastError() {
        return (int) Downcalls.LAST_ERROR.get(Downcalls.STATE.get(), 0L);
    }

    /** Returns the error itself (0 on success), as WSAStartup does. */
    static int WSAStartup(short version, MemorySegment wsaData) {
        return (int) call(Downcalls.WSA_STARTUP, version, wsaData);
    }

    static int WSACleanup() {
        return (int) call(Downcalls.WSA_CLEANUP);
    }

    static long socket(int af, int type, int protocol) {
        return (long) call(Downcalls.SOCKET, af, type, protocol);
    }

    static int bind(long s, MemorySegment name, int nameLength) {
        return (int) call(Downcalls.BIND, s, name, nameLength);
    }

    static int listen(long s, int backlog) {
        return (int) call(Downcalls.LISTEN, s, backlog);
    }

    static int getsockname(long s, MemorySegment name, MemorySegment nameLength) {
        return (int) call(Downcalls.GETSOCKNAME, s, name, nameLength);
    }

    static int getpeername(long s, MemorySegment name, MemorySegment nameLength) {
        return (int) call(Downcalls.GETPEERNAME, s, name, nameLength);
    }

    static int connect(long s, MemorySegment name, int nameLength) {
        return (int) call(Downcalls.CONNECT, s, name, nameLength);
    }

    static long accept(long s, MemorySegment address, MemorySegment addressLength) {
        return (long) call(Downcalls.ACCEPT, s, address, addressLength);
    }

    static int send(long s, MemorySegment buf, int length, int flags) {
        return (int) call(Downcalls.SEND, s, buf, length, flags);
    }

    static int recv(long s, MemorySegment buf, int length, int flags) {
        return (int) call(Downcalls.RECV, s, buf, length, flags);
    }

    static int closesocket(long s) {
        return (int) call(Downcalls.CLOSESOCKET, s);
    }

    /** WSAAsyncSelect(SOCKET, HWND, u_int wMsg, long lEvent): lEvent is a 32-bit LONG on Windows. */
    static int WSAAsyncSelect(long s, MemorySegment hWnd, int wMsg, int lEvent) {
        return (int) call(Downcalls.WSA_ASYNC_SELECT, s, hWnd, wMsg, lEvent);
    }

    /** A message-only window of the predefined STATIC class: nothing is drawn, messages are only posted to it. */
    static MemorySegment createMessageWindow(Arena arena) {
        MemorySegment className = arena.allocateFrom("STATIC", java.nio.charset.StandardCharsets.UTF_16LE);
        return (MemorySegment) call(Downcalls.CREATE_WINDOW_EX_W, 0, className, MemorySegment.NULL, 0, 0, 0, 0, 0,
                HWND_MESSAGE, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
    }

    static boolean destroyWindow(MemorySegment hWnd) {
        return (int) call(Downcalls.DESTROY_WINDOW, hWnd) != 0;
    }

    static boolean peekMessage(MemorySegment msg, MemorySegment hWnd, int filterMin, int filterMax, int remove) {
        return (int) call(Downcalls.PEEK_MESSAGE_W, msg, hWnd, filterMin, filterMax, remove) != 0;
    }

    /** Waits up to {@code millis} for a message posted to this thread (no handles). */
    static int waitForPostedMessage(int millis) {
        return (int) call(Downcalls.MSG_WAIT_FOR_MULTIPLE_OBJECTS, 0, MemorySegment.NULL, 0, millis, QS_ALLPOSTMESSAGE);
    }

    private static Object call(MethodHandle h, Object... args) {
        Object[] withState = new Object[args.length + 1];
        withState[0] = Downcalls.STATE.get();
        System.arraycopy(args, 0, withState, 1, args.length);
        try {
            return h.invokeWithArguments(withState);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("unexpected checked exception from a downcall", t);
        }
    }

    /** Bound on first use: ws2_32 and user32 exist only on Windows. */
    private static final class Downcalls {
        static {
            Kernel32.requireWindows("ws2_32 and user32");
        }

        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup WS2 = SymbolLookup.libraryLookup("ws2_32", Arena.global());
        private static final SymbolLookup USER32 = SymbolLookup.libraryLookup("user32", Arena.global());
        private static final Linker.Option WSA_ERROR = Linker.Option.captureCallState("WSAGetLastError");
        private static final Linker.Option LAST_ERROR_OPTION = Linker.Option.captureCallState("GetLastError");
        /** Both capture into one state layout, each into its own field. */
        static final VarHandle WSA_LAST_ERROR = Linker.Option.captureStateLayout().varHandle(groupElement("WSAGetLastError"));
        static final VarHandle LAST_ERROR = Linker.Option.captureStateLayout().varHandle(groupElement("GetLastError"));
        static final ThreadLocal<MemorySegment> STATE =
                ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Linker.Option.captureStateLayout()));

        static final MethodHandle WSA_STARTUP = ws2("WSAStartup", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS));
        static final MethodHandle WSA_CLEANUP = ws2("WSACleanup", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle SOCKET = ws2("socket", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle BIND = ws2("bind", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT));
        static final MethodHandle LISTEN = ws2("listen", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        static final MethodHandle GETSOCKNAME = ws2("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
        static final MethodHandle GETPEERNAME = ws2("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
        static final MethodHandle CONNECT = ws2("connect", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT));
        static final MethodHandle ACCEPT = ws2("accept", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));
        static final MethodHandle SEND = ws2("send", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle RECV = ws2("recv", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle CLOSESOCKET = ws2("closesocket", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        static final MethodHandle WSA_ASYNC_SELECT =
                ws2("WSAAsyncSelect", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));

        static final MethodHandle CREATE_WINDOW_EX_W = user32("CreateWindowExW", FunctionDescriptor.of(ADDRESS,
                JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle DESTROY_WINDOW = user32("DestroyWindow", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle PEEK_MESSAGE_W =
                user32("PeekMessageW", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle MSG_WAIT_FOR_MULTIPLE_OBJECTS = user32("MsgWaitForMultipleObjects",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));

        private static MethodHandle ws2(String name, FunctionDescriptor d) {
            return LINKER.downcallHandle(find(WS2, "ws2_32", name), d, WSA_ERROR);
        }

        private static MethodHandle user32(String name, FunctionDescriptor d) {
            return LINKER.downcallHandle(find(USER32, "user32", name), d, LAST_ERROR_OPTION);
        }

        private static MemorySegment find(SymbolLookup library, String libraryName, String name) {
            return library.find(name).orElseThrow(() -> new UnsatisfiedLinkError(libraryName + " exports no " + name));
        }
    }
}
