package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.wsp4j.bindings.LPWPUCOMPLETEOVERLAPPEDREQUEST;
import io.wsp4j.bindings.LPWSCENUMPROTOCOLS;
import io.wsp4j.bindings.LPWSCGETPROVIDERPATH;
import io.wsp4j.bindings.LPWSPSTARTUP;
import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.bindings._GUID;
import io.wsp4j.bindings._WSABUF;
import io.wsp4j.bindings._WSANETWORKEVENTS;
import io.wsp4j.bindings._WSAPROTOCOLCHAIN;
import io.wsp4j.bindings._WSAPROTOCOL_INFOW;
import io.wsp4j.bindings._WSPPROC_TABLE;
import io.wsp4j.bindings._WSPUPCALLTABLE;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The Winsock SPI as the host speaks it: the generated ws2spi.h struct layouts (Windows x64, LLP64),
 * and the C signatures of the WSP* entries and WPU* upcalls. The signatures differ from the generated
 * ones in one way only: handles that are pointers in C (HWND, WSAEVENT) are carried as {@code long}
 * here, which is the same 8-byte integer argument to the ABI and lets the host use them as numbers
 * (window ids, event handles). A test checks every descriptor against the generated one.
 */
public final class Spi {
    private Spi() {}

    public static final ValueLayout SOCKET = JAVA_LONG;
    public static final ValueLayout HANDLE = JAVA_LONG;
    public static final ValueLayout DWORD = JAVA_INT;
    public static final ValueLayout INT = JAVA_INT;
    public static final ValueLayout PTR = ADDRESS;

    // Struct layouts: the generated Windows x64 ones (io.wsp4j.bindings), never hand-written offsets.
    public static final GroupLayout GUID = _GUID.layout();
    public static final GroupLayout WSAPROTOCOLCHAIN = _WSAPROTOCOLCHAIN.layout();
    public static final GroupLayout WSAPROTOCOL_INFOW = _WSAPROTOCOL_INFOW.layout();
    public static final GroupLayout WSPDATA = WSPData.layout();
    public static final GroupLayout WSABUF = _WSABUF.layout();
    public static final GroupLayout WSANETWORKEVENTS = _WSANETWORKEVENTS.layout();
    public static final GroupLayout WSPPROC_TABLE = _WSPPROC_TABLE.layout();
    public static final GroupLayout WSPUPCALLTABLE = _WSPUPCALLTABLE.layout();

    /** WSAPROTOCOL_LEN + 1 wide characters. */
    public static final int PROTOCOL_NAME_CHARS = chars(WSAPROTOCOL_INFOW, "szProtocol");
    /** WSPDESCRIPTION_LEN + 1 wide characters. */
    public static final int DESCRIPTION_CHARS = chars(WSPDATA, "szDescription");

    private static int chars(GroupLayout struct, String member) {
        return Math.toIntExact(((SequenceLayout) struct.select(MemoryLayout.PathElement.groupElement(member))).elementCount());
    }

    /** linger { u_short l_onoff; u_short l_linger; } (Windows; Linux has two ints). */
    public static final GroupLayout LINGER = MemoryLayout.structLayout(
            JAVA_SHORT.withName("l_onoff"), JAVA_SHORT.withName("l_linger")).withName("linger");

    /** The 30 WSPPROC_TABLE entries, in the header's (alphabetical) order. */
    public static final List<String> PROC_ENTRIES = memberNames(WSPPROC_TABLE);
    /** The 15 WSPUPCALLTABLE entries, in the header's order. */
    public static final List<String> UPCALL_ENTRIES = memberNames(WSPUPCALLTABLE);

    private static List<String> memberNames(GroupLayout table) {
        return table.memberLayouts().stream().map(m -> m.name().orElseThrow()).toList();
    }

    /** Offset of a named member of a struct layout. */
    public static long offset(GroupLayout struct, String member) {
        return struct.byteOffset(MemoryLayout.PathElement.groupElement(member));
    }

    // ---- WSP* signatures (ws2spi.h) ---------------------------------------------------------------

    /** int WSPStartup(WORD, LPWSPDATA, LPWSAPROTOCOL_INFOW, WSPUPCALLTABLE (by value), LPWSPPROC_TABLE). */
    public static final FunctionDescriptor WSPSTARTUP = LPWSPSTARTUP.descriptor();

    /** The descriptor of each WSPPROC_TABLE entry, by entry name. */
    public static FunctionDescriptor procDescriptor(String name) {
        return switch (name) {
            // SOCKET WSPAccept(SOCKET, sockaddr*, LPINT addrlen, LPCONDITIONPROC, DWORD_PTR, LPINT)
            case "lpWSPAccept" -> FunctionDescriptor.of(SOCKET, SOCKET, PTR, PTR, PTR, JAVA_LONG, PTR);
            // int WSPAddressToString(LPSOCKADDR, DWORD, LPWSAPROTOCOL_INFOW, LPWSTR, LPDWORD, LPINT)
            case "lpWSPAddressToString" -> FunctionDescriptor.of(INT, PTR, DWORD, PTR, PTR, PTR, PTR);
            // int WSPAsyncSelect(SOCKET, HWND, unsigned int wMsg, long lEvent, LPINT)
            case "lpWSPAsyncSelect" -> FunctionDescriptor.of(INT, SOCKET, HANDLE, INT, INT, PTR);
            // int WSPBind(SOCKET, const sockaddr*, int, LPINT)
            case "lpWSPBind" -> FunctionDescriptor.of(INT, SOCKET, PTR, INT, PTR);
            // int WSPCancelBlockingCall(LPINT), int WSPCleanup(LPINT)
            case "lpWSPCancelBlockingCall", "lpWSPCleanup" -> FunctionDescriptor.of(INT, PTR);
            // int WSPCloseSocket(SOCKET, LPINT)
            case "lpWSPCloseSocket" -> FunctionDescriptor.of(INT, SOCKET, PTR);
            // int WSPConnect(SOCKET, const sockaddr*, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS, LPINT)
            case "lpWSPConnect" -> FunctionDescriptor.of(INT, SOCKET, PTR, INT, PTR, PTR, PTR, PTR, PTR);
            // int WSPDuplicateSocket(SOCKET, DWORD, LPWSAPROTOCOL_INFOW, LPINT)
            case "lpWSPDuplicateSocket" -> FunctionDescriptor.of(INT, SOCKET, DWORD, PTR, PTR);
            // int WSPEnumNetworkEvents(SOCKET, WSAEVENT, LPWSANETWORKEVENTS, LPINT)
            case "lpWSPEnumNetworkEvents" -> FunctionDescriptor.of(INT, SOCKET, HANDLE, PTR, PTR);
            // int WSPEventSelect(SOCKET, WSAEVENT, long, LPINT)
            case "lpWSPEventSelect" -> FunctionDescriptor.of(INT, SOCKET, HANDLE, INT, PTR);
            // BOOL WSPGetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD, LPINT)
            case "lpWSPGetOverlappedResult" -> FunctionDescriptor.of(INT, SOCKET, PTR, PTR, INT, PTR, PTR);
            // int WSPGetPeerName / WSPGetSockName(SOCKET, sockaddr*, LPINT, LPINT)
            case "lpWSPGetPeerName", "lpWSPGetSockName" -> FunctionDescriptor.of(INT, SOCKET, PTR, PTR, PTR);
            // int WSPGetSockOpt(SOCKET, int, int, char*, LPINT, LPINT)
            case "lpWSPGetSockOpt" -> FunctionDescriptor.of(INT, SOCKET, INT, INT, PTR, PTR, PTR);
            // BOOL WSPGetQOSByName(SOCKET, LPWSABUF, LPQOS, LPINT)
            case "lpWSPGetQOSByName" -> FunctionDescriptor.of(INT, SOCKET, PTR, PTR, PTR);
            // int WSPIoctl(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
            //              LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT)
            case "lpWSPIoctl" -> FunctionDescriptor.of(INT, SOCKET, DWORD, PTR, DWORD, PTR, DWORD, PTR, PTR, PTR, PTR, PTR);
            // SOCKET WSPJoinLeaf(SOCKET, const sockaddr*, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS, DWORD, LPINT)
            case "lpWSPJoinLeaf" -> FunctionDescriptor.of(SOCKET, SOCKET, PTR, INT, PTR, PTR, PTR, PTR, DWORD, PTR);
            // int WSPListen(SOCKET, int, LPINT)
            case "lpWSPListen" -> FunctionDescriptor.of(INT, SOCKET, INT, PTR);
            // int WSPRecv(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED, completion, LPWSATHREADID, LPINT)
            case "lpWSPRecv" -> FunctionDescriptor.of(INT, SOCKET, PTR, DWORD, PTR, PTR, PTR, PTR, PTR, PTR);
            // int WSPRecvDisconnect / WSPSendDisconnect(SOCKET, LPWSABUF, LPINT)
            case "lpWSPRecvDisconnect", "lpWSPSendDisconnect" -> FunctionDescriptor.of(INT, SOCKET, PTR, PTR);
            // int WSPRecvFrom(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, sockaddr*, LPINT, LPWSAOVERLAPPED,
            //                 completion, LPWSATHREADID, LPINT)
            case "lpWSPRecvFrom" -> FunctionDescriptor.of(INT, SOCKET, PTR, DWORD, PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR);
            // int WSPSelect(int, fd_set*, fd_set*, fd_set*, const timeval*, LPINT)
            case "lpWSPSelect" -> FunctionDescriptor.of(INT, INT, PTR, PTR, PTR, PTR, PTR);
            // int WSPSend(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, LPWSAOVERLAPPED, completion, LPWSATHREADID, LPINT)
            case "lpWSPSend" -> FunctionDescriptor.of(INT, SOCKET, PTR, DWORD, PTR, DWORD, PTR, PTR, PTR, PTR);
            // int WSPSendTo(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, const sockaddr*, int, LPWSAOVERLAPPED,
            //               completion, LPWSATHREADID, LPINT)
            case "lpWSPSendTo" -> FunctionDescriptor.of(INT, SOCKET, PTR, DWORD, PTR, DWORD, PTR, INT, PTR, PTR, PTR, PTR);
            // int WSPSetSockOpt(SOCKET, int, int, const char*, int, LPINT)
            case "lpWSPSetSockOpt" -> FunctionDescriptor.of(INT, SOCKET, INT, INT, PTR, INT, PTR);
            // int WSPShutdown(SOCKET, int, LPINT)
            case "lpWSPShutdown" -> FunctionDescriptor.of(INT, SOCKET, INT, PTR);
            // SOCKET WSPSocket(int, int, int, LPWSAPROTOCOL_INFOW, GROUP, DWORD, LPINT)
            case "lpWSPSocket" -> FunctionDescriptor.of(SOCKET, INT, INT, INT, PTR, INT, DWORD, PTR);
            // int WSPStringToAddress(LPWSTR, INT, LPWSAPROTOCOL_INFOW, LPSOCKADDR, LPINT, LPINT)
            case "lpWSPStringToAddress" -> FunctionDescriptor.of(INT, PTR, INT, PTR, PTR, PTR, PTR);
            default -> throw new IllegalArgumentException("no WSPPROC_TABLE entry " + name);
        };
    }

    /** The data-path entries, called once per send or receive: their Java side takes pointers as addresses. */
    private static final List<String> RAW_POINTER_ENTRIES =
            List.of("lpWSPRecv", "lpWSPRecvFrom", "lpWSPSend", "lpWSPSendTo", "lpWSPEnumNetworkEvents");

    /**
     * The signature the base provider's upcall stub for an entry uses: {@link #procDescriptor}, with every
     * pointer a JAVA_LONG for the data-path entries (and WSPEnumNetworkEvents, which a layered provider
     * calls for every event and registration). An upcall stub makes a new MemorySegment for every
     * ADDRESS parameter; a long costs nothing. ABI-identical to the C signature: on x64 a pointer and a
     * 64-bit integer pass the same way (the same integer register or 8-byte stack slot).
     */
    public static FunctionDescriptor procJavaDescriptor(String name) {
        FunctionDescriptor c = procDescriptor(name);
        if (!RAW_POINTER_ENTRIES.contains(name)) return c;
        MemoryLayout[] args = c.argumentLayouts().stream()
                .map(l -> l instanceof AddressLayout ? JAVA_LONG : l)
                .toArray(MemoryLayout[]::new);
        return FunctionDescriptor.of(c.returnLayout().orElseThrow(), args);
    }

    /** The descriptor of each WSPUPCALLTABLE entry, by entry name. */
    public static FunctionDescriptor upcallDescriptor(String name) {
        return switch (name) {
            // BOOL WPUCloseEvent(WSAEVENT, LPINT); BOOL WPUResetEvent / WPUSetEvent likewise
            case "lpWPUCloseEvent", "lpWPUResetEvent", "lpWPUSetEvent" -> FunctionDescriptor.of(INT, HANDLE, PTR);
            // int WPUCloseSocketHandle(SOCKET, LPINT)
            case "lpWPUCloseSocketHandle" -> FunctionDescriptor.of(INT, SOCKET, PTR);
            // WSAEVENT WPUCreateEvent(LPINT)
            case "lpWPUCreateEvent" -> FunctionDescriptor.of(HANDLE, PTR);
            // SOCKET WPUCreateSocketHandle(DWORD, DWORD_PTR, LPINT)
            case "lpWPUCreateSocketHandle" -> FunctionDescriptor.of(SOCKET, DWORD, JAVA_LONG, PTR);
            // int WPUFDIsSet(SOCKET, fd_set*)
            case "lpWPUFDIsSet" -> FunctionDescriptor.of(INT, SOCKET, PTR);
            // int WPUGetProviderPath(LPGUID, WCHAR*, LPINT, LPINT)
            case "lpWPUGetProviderPath" -> FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR);
            // SOCKET WPUModifyIFSHandle(DWORD, SOCKET, LPINT)
            case "lpWPUModifyIFSHandle" -> FunctionDescriptor.of(SOCKET, DWORD, SOCKET, PTR);
            // BOOL WPUPostMessage(HWND, UINT, WPARAM, LPARAM)
            case "lpWPUPostMessage" -> FunctionDescriptor.of(INT, HANDLE, INT, JAVA_LONG, JAVA_LONG);
            // int WPUQueryBlockingCallback(DWORD, LPBLOCKINGCALLBACK*, PDWORD_PTR, LPINT)
            case "lpWPUQueryBlockingCallback" -> FunctionDescriptor.of(INT, DWORD, PTR, PTR, PTR);
            // int WPUQuerySocketHandleContext(SOCKET, PDWORD_PTR, LPINT)
            case "lpWPUQuerySocketHandleContext" -> FunctionDescriptor.of(INT, SOCKET, PTR, PTR);
            // int WPUQueueApc(LPWSATHREADID, LPWSAUSERAPC, DWORD_PTR, LPINT)
            case "lpWPUQueueApc" -> FunctionDescriptor.of(INT, PTR, PTR, JAVA_LONG, PTR);
            // int WPUOpenCurrentThread(LPWSATHREADID, LPINT); int WPUCloseThread likewise
            case "lpWPUOpenCurrentThread", "lpWPUCloseThread" -> FunctionDescriptor.of(INT, PTR, PTR);
            default -> throw new IllegalArgumentException("no WSPUPCALLTABLE entry " + name);
        };
    }

    // ---- ws2_32 catalog functions (ws2spi.h) --------------------------------------------------------

    /** int WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW, LPDWORD lpdwBufferLength, LPINT lpErrno). */
    public static final FunctionDescriptor WSCENUMPROTOCOLS = LPWSCENUMPROTOCOLS.descriptor();
    /** int WSCGetProviderPath(LPGUID, WCHAR*, LPINT lpProviderDllPathLen, LPINT lpErrno). */
    public static final FunctionDescriptor WSCGETPROVIDERPATH = LPWSCGETPROVIDERPATH.descriptor();
    /** int WPUCompleteOverlappedRequest(SOCKET, LPWSAOVERLAPPED, DWORD dwError, DWORD cbTransferred, LPINT lpErrno). */
    public static final FunctionDescriptor WPUCOMPLETEOVERLAPPEDREQUEST = LPWPUCOMPLETEOVERLAPPEDREQUEST.descriptor();
    /** void WSASetLastError(int iError). */
    public static final FunctionDescriptor WSASETLASTERROR = FunctionDescriptor.ofVoid(WinApi.C_INT);
    /** int WSAGetLastError(void). */
    public static final FunctionDescriptor WSAGETLASTERROR = FunctionDescriptor.of(WinApi.C_INT);
}
