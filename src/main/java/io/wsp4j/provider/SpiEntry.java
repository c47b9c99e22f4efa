package io.wsp4j.provider;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;

/**
 * The 30 entries of WSPPROC_TABLE, in table order, with their Windows x64 (LLP64) C signatures:
 * SOCKET, WPARAM and DWORD_PTR are 64-bit; int, unsigned int, DWORD, long and GROUP are 32-bit.
 * Every entry's last parameter is {@code LPINT lpErrno}.
 */
public enum SpiEntry {
    WSPAccept(Failure.INVALID_SOCKET, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS),
    WSPAddressToString(Failure.SOCKET_ERROR, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
    WSPAsyncSelect(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
    WSPBind(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS),
    WSPCancelBlockingCall(Failure.SOCKET_ERROR, JAVA_INT, ADDRESS),
    WSPCleanup(Failure.SOCKET_ERROR, JAVA_INT, ADDRESS),
    WSPCloseSocket(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS),
    WSPConnect(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
    WSPDuplicateSocket(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS),
    WSPEnumNetworkEvents(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS),
    WSPEventSelect(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS),
    WSPGetOverlappedResult(Failure.FALSE, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS),
    WSPGetPeerName(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS),
    WSPGetSockName(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS),
    WSPGetSockOpt(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
    WSPGetQOSByName(Failure.FALSE, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS),
    WSPIoctl(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
    WSPJoinLeaf(Failure.INVALID_SOCKET, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS),
    WSPListen(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS),
    WSPRecv(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
    WSPRecvDisconnect(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS),
    WSPRecvFrom(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
    WSPSelect(Failure.SOCKET_ERROR, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
    WSPSend(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
    WSPSendDisconnect(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS),
    WSPSendTo(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
    WSPSetSockOpt(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
    WSPShutdown(Failure.SOCKET_ERROR, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS),
    WSPSocket(Failure.INVALID_SOCKET, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
    WSPStringToAddress(Failure.SOCKET_ERROR, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);

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

    SpiEntry(Failure failure, MemoryLayout result, MemoryLayout... args) {
        this.failure = failure;
        this.descriptor = FunctionDescriptor.of(result, args);
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
