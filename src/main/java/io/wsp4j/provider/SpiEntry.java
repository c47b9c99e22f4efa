package io.wsp4j.provider;

import io.wsp4j.bindings.*;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/**
 * The 30 entries of WSPPROC_TABLE, in table order, with their C signatures from the generated
 * bindings (Windows x64, LLP64: SOCKET, WPARAM and DWORD_PTR are 64-bit; int, DWORD and long are
 * 32-bit). Every entry's last parameter is {@code LPINT lpErrno}.
 */
public enum SpiEntry {
    WSPAccept(Failure.INVALID_SOCKET, LPWSPACCEPT.descriptor()),
    WSPAddressToString(Failure.SOCKET_ERROR, LPWSPADDRESSTOSTRING.descriptor()),
    WSPAsyncSelect(Failure.SOCKET_ERROR, LPWSPASYNCSELECT.descriptor(), Pointers.RAW),
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
    WSPRecv(Failure.SOCKET_ERROR, LPWSPRECV.descriptor(), Pointers.RAW),
    WSPRecvDisconnect(Failure.SOCKET_ERROR, LPWSPRECVDISCONNECT.descriptor()),
    WSPRecvFrom(Failure.SOCKET_ERROR, LPWSPRECVFROM.descriptor(), Pointers.RAW),
    WSPSelect(Failure.SOCKET_ERROR, LPWSPSELECT.descriptor()),
    WSPSend(Failure.SOCKET_ERROR, LPWSPSEND.descriptor(), Pointers.RAW),
    WSPSendDisconnect(Failure.SOCKET_ERROR, LPWSPSENDDISCONNECT.descriptor()),
    WSPSendTo(Failure.SOCKET_ERROR, LPWSPSENDTO.descriptor(), Pointers.RAW),
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

    /** How the Java side of an entry takes the C pointers. */
    enum Pointers {
        /** As MemorySegments (ADDRESS). */
        SEGMENTS,
        /**
         * As raw addresses (JAVA_LONG): the data-path entries, called once per send or receive, and
         * WSPAsyncSelect, which applications call again after every message in some loops. An
         * upcall stub makes a new MemorySegment for every ADDRESS parameter unless its target inlines
         * into it (a layered WSPRecv does not), 40 B each; a long costs nothing. These entries only
         * pass their pointers down or read a field or two.
         */
        RAW
    }

    private final Failure failure;
    private final FunctionDescriptor descriptor;
    private final FunctionDescriptor javaDescriptor;

    SpiEntry(Failure failure, FunctionDescriptor descriptor) {
        this(failure, descriptor, Pointers.SEGMENTS);
    }

    SpiEntry(Failure failure, FunctionDescriptor descriptor, Pointers pointers) {
        this.failure = failure;
        this.descriptor = descriptor;
        this.javaDescriptor = pointers == Pointers.RAW ? rawPointers(descriptor) : descriptor;
    }

    /** The C signature. */
    public FunctionDescriptor descriptor() {
        return descriptor;
    }

    /**
     * The signature our upcall stub and the downcall to the lower provider use: {@link #descriptor()},
     * with every pointer a JAVA_LONG for the {@link Pointers#RAW} entries. ABI-identical to the C
     * signature: on Windows x64 (and SysV x64) a pointer and a 64-bit integer are passed the same way,
     * in the same integer register or 8-byte stack slot, so the native side cannot tell them apart.
     */
    FunctionDescriptor javaDescriptor() {
        return javaDescriptor;
    }

    private static FunctionDescriptor rawPointers(FunctionDescriptor c) {
        MemoryLayout[] args = c.argumentLayouts().stream()
                .map(l -> l instanceof AddressLayout ? ValueLayout.JAVA_LONG : l)
                .toArray(MemoryLayout[]::new);
        return c.returnLayout().map(r -> FunctionDescriptor.of(r, args)).orElseGet(() -> FunctionDescriptor.ofVoid(args));
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
