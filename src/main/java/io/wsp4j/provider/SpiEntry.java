package io.wsp4j.provider;

import io.wsp4j.bindings.*;
import java.lang.foreign.FunctionDescriptor;

/**
 * The 30 entries of WSPPROC_TABLE, in table order, with their C signatures from the generated
 * bindings (Windows x64, LLP64: SOCKET, WPARAM and DWORD_PTR are 64-bit; int, DWORD and long are
 * 32-bit). Every entry's last parameter is {@code LPINT lpErrno}.
 */
public enum SpiEntry {
    WSPAccept(Failure.INVALID_SOCKET, LPWSPACCEPT.descriptor()),
    WSPAddressToString(Failure.SOCKET_ERROR, LPWSPADDRESSTOSTRING.descriptor()),
    WSPAsyncSelect(Failure.SOCKET_ERROR, LPWSPASYNCSELECT.descriptor()),
    WSPBind(Failure.SOCKET_ERROR, LPWSPBIND.descriptor()),
    WSPCancelBlockingCall(Failure.SOCKET_ERROR, LPWSPCANCELBLOCKINGCALL.descriptor()),
    WSPCleanup(Failure.SOCKET_ERROR, LPWSPCLEANUP.descriptor()),
    WSPCloseSocket(Failure.SOCKET_ERROR, LPWSPCLOSESOCKET.descriptor()),
    WSPConnect(Failure.SOCKET_ERROR, LPWSPCONNECT.descriptor()),
    WSPDuplicateSocket(Failure.SOCKET_ERROR, LPWSPDUPLICATESOCKET.descriptor()),
    WSPEnumNetworkEvents(Failure.SOCKET_ERROR, LPWSPENUMNETWORKEVENTS.descriptor()),
    WSPEventSelect(Failure.SOCKET_ERROR, LPWSPEVENTSELECT.descriptor()),
    WSPGetOverlappedResult(Failure.FALSE, LPWSPGETOVERLAPPEDRESULT.descriptor()),
    WSPGetPeerName(Failure.SOCKET_ERROR, LPWSPGETPEERNAME.descriptor()),
    WSPGetSockName(Failure.SOCKET_ERROR, LPWSPGETSOCKNAME.descriptor()),
    WSPGetSockOpt(Failure.SOCKET_ERROR, LPWSPGETSOCKOPT.descriptor()),
    WSPGetQOSByName(Failure.FALSE, LPWSPGETQOSBYNAME.descriptor()),
    WSPIoctl(Failure.SOCKET_ERROR, LPWSPIOCTL.descriptor()),
    WSPJoinLeaf(Failure.INVALID_SOCKET, LPWSPJOINLEAF.descriptor()),
    WSPListen(Failure.SOCKET_ERROR, LPWSPLISTEN.descriptor()),
    WSPRecv(Failure.SOCKET_ERROR, LPWSPRECV.descriptor()),
    WSPRecvDisconnect(Failure.SOCKET_ERROR, LPWSPRECVDISCONNECT.descriptor()),
    WSPRecvFrom(Failure.SOCKET_ERROR, LPWSPRECVFROM.descriptor()),
    WSPSelect(Failure.SOCKET_ERROR, LPWSPSELECT.descriptor()),
    WSPSend(Failure.SOCKET_ERROR, LPWSPSEND.descriptor()),
    WSPSendDisconnect(Failure.SOCKET_ERROR, LPWSPSENDDISCONNECT.descriptor()),
    WSPSendTo(Failure.SOCKET_ERROR, LPWSPSENDTO.descriptor()),
    WSPSetSockOpt(Failure.SOCKET_ERROR, LPWSPSETSOCKOPT.descriptor()),
    WSPShutdown(Failure.SOCKET_ERROR, LPWSPSHUTDOWN.descriptor()),
    WSPSocket(Failure.INVALID_SOCKET, LPWSPSOCKET.descriptor()),
    WSPStringToAddress(Failure.SOCKET_ERROR, LPWSPSTRINGTOADDRESS.descriptor());

    /** What an entry returns when it fails (with *lpErrno set). */
    public enum Failure {
        /** int entries: SOCKET_ERROR (-1). */
        SOCKET_ERROR,
        /** SOCKET entries (WSPAccept, WSPJoinLeaf, WSPSocket): INVALID_SOCKET (~0). */
        INVALID_SOCKET,
        /** BOOL entries (WSPGetOverlappedResult, WSPGetQOSByName): FALSE. */
        FALSE
    }

    private final Failure failure;
    private final FunctionDescriptor descriptor;

    SpiEntry(Failure failure, FunctionDescriptor descriptor) {
        this.failure = failure;
        this.descriptor = descriptor;
    }

    /** The C signature. */
    public FunctionDescriptor descriptor() {
        return descriptor;
    }

    public Failure failure() {
        return failure;
    }

    /** The WSPPROC_TABLE member: {@code lpWSPAccept} … */
    public String tableField() {
        return "lp" + name();
    }

    /** Index of {@code lpErrno} among the parameters (always the last). */
    public int errnoIndex() {
        return descriptor.argumentLayouts().size() - 1;
    }
}
