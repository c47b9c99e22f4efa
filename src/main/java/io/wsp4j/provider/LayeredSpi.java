package io.wsp4j.provider;

import static io.wsp4j.winsock.WsaErrors.INVALID_SOCKET;
import static io.wsp4j.winsock.WsaErrors.SOCKET_ERROR;

import io.wsp4j.bindings.GUID;
import io.wsp4j.bindings.LPFN_ACCEPTEX;
import io.wsp4j.bindings.LPFN_CONNECTEX;
import io.wsp4j.bindings.LPFN_DISCONNECTEX;
import io.wsp4j.bindings.LPFN_GETACCEPTEXSOCKADDRS;
import io.wsp4j.bindings.WSABUF;
import io.wsp4j.bindings.WSANETWORKEVENTS;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.select.SendOutcome;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The 30 entries of our WSPPROC_TABLE. Each maps our handle to the lower one, runs the author's
 * hooks, calls the lower provider by downcall with the caller's own {@code lpErrno} (so its errors
 * come back unchanged), and tells the event bridge what the call re-enabled. Java signatures are
 * {@link SpiEntry#javaDescriptor()}: the C ones, with raw {@code long} pointers for the data-path
 * entries; {@link ProcTable} wraps each in a stub that catches everything.
 *
 * <p>Two instances share the sockets, the bridge and the lower providers: the one with the author's
 * hooks serves a thread's outermost call, the {@link #nested()} one the calls a thread makes while
 * already inside (see {@link Reentry}). A nested WSPSocket still makes one of our handles, so the
 * hook can use it with the same Winsock API and the handle mapping, select and WSAAsyncSelect all
 * keep working; but the socket is the provider's own ({@link LayeredSocket#hooked} false): no hook
 * ever runs for it, on any thread, so the author never sees (and cannot recurse on) its own traffic.
 * A lower handle handed straight to the hook would be simpler but would break every later call
 * ws2_32 routes to us by that handle.
 */
final class LayeredSpi {
    /** WSPCleanup is the process's business (reference counting), not the table's. */
    interface Cleanup {
        int cleanup(MemorySegment lpErrno) throws Throwable;
    }

    /** The provider of nested calls: every hook as LayeredProvider defines it (allow, observe nothing). */
    private static final LayeredProvider NO_HOOKS = new LayeredProvider() {};

    private final LayeredProvider provider;
    private final SocketContexts sockets;
    private final AsyncSelectBridge bridge;
    private final Upcalls upcalls;
    private final OverlappedRequests overlapped;
    private final ExtensionStubs extensions;
    private final Lowers lowers;
    private final Cleanup cleanup;
    private final Set<String> failedHooks = ConcurrentHashMap.newKeySet();
    /** False in the {@link #nested()} instance, whose provider is {@link #NO_HOOKS}. */
    private final boolean hooks;

    LayeredSpi(LayeredProvider provider, SocketContexts sockets, AsyncSelectBridge bridge, Upcalls upcalls,
               OverlappedRequests overlapped, ExtensionStubs extensions, Lowers lowers, Cleanup cleanup) {
        this.provider = provider;
        this.hooks = provider != NO_HOOKS;
        this.sockets = sockets;
        this.bridge = bridge;
        this.upcalls = upcalls;
        this.overlapped = overlapped;
        this.extensions = extensions;
        this.lowers = lowers;
        this.cleanup = cleanup;
        if (hooks) overlapped.observe(this::overlappedCompleted);
    }

    /** The same table without hooks, for calls made from inside one of our entries. */
    LayeredSpi nested() {
        return new LayeredSpi(NO_HOOKS, sockets, bridge, upcalls, overlapped, extensions, lowers, cleanup);
    }

    ExtensionStubs extensions() {
        return extensions;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Whether the author's per-socket hooks run for this call on {@code s}. */
    private boolean hooksFor(LayeredSocket s) {
        return hooks && s.hooked;
    }

    static void setErrno(MemorySegment lpErrno, int code) {
        setErrno(lpErrno.address(), code);
    }

    static int errno(MemorySegment lpErrno) {
        return errno(lpErrno.address());
    }

    /** The raw-pointer form the entries that take their pointers raw call directly. */
    static void setErrno(long lpErrno, int code) {
        if (lpErrno != 0) RawMemory.setInt(lpErrno, code);
    }

    static int errno(long lpErrno) {
        return lpErrno == 0 ? 0 : RawMemory.getInt(lpErrno);
    }

    /**
     * The start of every entry on a socket: the author's onCall, then our socket, or null with
     * *lpErrno = WSAENOTSOCK.
     */
    private LayeredSocket enter(SpiEntry entry, long s, MemorySegment lpErrno) {
        return enter(entry, s, lpErrno.address());
    }

    private LayeredSocket enter(SpiEntry entry, long s, long lpErrno) {
        provider.onCall(entry);
        return find(s, lpErrno);
    }

    /** Our socket, or null with *lpErrno = WSAENOTSOCK. */
    private LayeredSocket find(long s, MemorySegment lpErrno) {
        return find(s, lpErrno.address());
    }

    private LayeredSocket find(long s, long lpErrno) {
        LayeredSocket socket = sockets.get(s);
        if (socket == null) setErrno(lpErrno, WsaErrors.WSAENOTSOCK);
        return socket;
    }

    private LowerProvider lowerFor(MemorySegment lpProtocolInfo, MemorySegment lpErrno) {
        LowerProvider l = lowers.forProtocolInfo(lpProtocolInfo);
        if (l == null) setErrno(lpErrno, WsaErrors.WSANOTINITIALISED);
        return l;
    }

    /**
     * Makes our handle for a new lower socket and puts it where the engine and dispatcher find it,
     * before anything below can report for it. INVALID_SOCKET (lower socket closed) on failure.
     */
    private LayeredSocket wrap(LowerProvider below, long lowerSocket, int af, int type, int protocol, boolean hooked, MemorySegment lpErrno) throws Throwable {
        long ours = upcalls.createSocketHandle(below.chainEntryId, lowerSocket, lpErrno);
        if (ours == INVALID_SOCKET) {
            closeBelow(below, lowerSocket);
            return null;
        }
        LayeredSocket s = new LayeredSocket(ours, lowerSocket, af, type, protocol, below, hooked);
        sockets.add(s);
        bridge.opened(s);
        return s;
    }

    /**
     * A hook that only observes (the lower call already succeeded) threw: the call's result stands,
     * since the application's data has moved; logged once per hook.
     */
    private void hookFailed(String hook, RuntimeException e) {
        if (failedHooks.add(hook)) {
            ProviderLog.error(provider.getClass().getName() + "." + hook + " threw (logged once; the call's result stands)", e);
        }
    }

    /**
     * A new lower socket of WSPSocket or WSPJoinLeaf: {@link #wrap}s it and asks the author's
     * onSocket (unless the socket is the provider's own). Our handle, or INVALID_SOCKET with *lpErrno
     * set (a veto or an exception undoes the wrap).
     */
    private long open(LowerProvider below, long lowerSocket, int af, int type, int protocol, boolean hooked, MemorySegment lpErrno) throws Throwable {
        LayeredSocket s = wrap(below, lowerSocket, af, type, protocol, hooked, lpErrno);
        if (s == null) return INVALID_SOCKET;
        if (!hooked) return s.handle();
        int veto;
        try {
            veto = provider.onSocket(s);
        } catch (Throwable t) {
            discard(s);
            throw t;
        }
        if (veto != LayeredProvider.ALLOW) {
            discard(s);
            setErrno(lpErrno, veto);
            return INVALID_SOCKET;
        }
        return s.handle();
    }

    /** Undoes {@link #wrap} for a socket the author vetoed. */
    private void discard(LayeredSocket s) throws Throwable {
        bridge.closing(s);
        closeBelow(s.below, s.lowerHandle());
        sockets.remove(s.handle());
        bridge.closed(s);
        upcalls.closeSocketHandle(s.handle(), Scratch.get().errno);
    }

    private static void closeBelow(LowerProvider below, long lowerSocket) throws Throwable {
        int ignored = (int) below.closeSocket.invokeExact(lowerSocket, Scratch.get().errno);
    }

    /** The IPv4/IPv6 address of a caller's sockaddr, or null (NULL, too short, another family). */
    private static InetSocketAddress peer(MemorySegment sockaddr, int length) {
        if (sockaddr.address() == 0 || length <= 0) return null;
        return SocketAddresses.read(sockaddr.reinterpret(length), length).orElse(null);
    }

    /** A call's bytes-transferred DWORD (lpNumberOfBytesRecvd/Sent), 0 where the caller passed NULL. */
    private static long bytesDone(long lpBytes) {
        return lpBytes == 0 ? 0 : Integer.toUnsignedLong(RawMemory.getInt(lpBytes));
    }

    private static int failWith(MemorySegment lpErrno, int code) {
        return failWith(lpErrno.address(), code);
    }

    private static int failWith(long lpErrno, int code) {
        setErrno(lpErrno, code);
        return SOCKET_ERROR;
    }

    /** The caller's WSABUF array, for a hook: the thread's one {@link Buffers}. */
    private static Buffers buffers(long lpBuffers, int count) {
        return Scratch.get().buffers.set(lpBuffers, count);
    }

    /** af/type/protocol as WSPSocket got them, with 0 and FROM_PROTOCOL_INFO resolved from the protocol info. */
    private static int resolve(int value, MemorySegment info, ToIntFunction<MemorySegment> field) {
        return (value == 0 || value == WinApi.FROM_PROTOCOL_INFO()) && info.address() != 0 ? field.applyAsInt(info.reinterpret(WSAPROTOCOL_INFOW.sizeof())) : value;
    }

    // ---- the 30 entries, in table order --------------------------------------------------------------

    long accept(long s, MemorySegment addr, MemorySegment addrlen, MemorySegment lpfnCondition, long dwCallbackData, MemorySegment lpErrno) throws Throwable {
        LayeredSocket listener = enter(SpiEntry.WSPAccept, s, lpErrno);
        if (listener == null) return INVALID_SOCKET;
        LowerProvider below = listener.below;
        long reports = bridge.acceptReports(listener);
        int acceptError = 0; // what the accept below ended with, for the bridge: once, however this call ends
        try {
            long lowerSocket = (long) below.accept.invokeExact(listener.lowerHandle(), addr, addrlen, lpfnCondition, dwCallbackData, lpErrno);
            if (lowerSocket == INVALID_SOCKET) {
                acceptError = errno(lpErrno);
                return INVALID_SOCKET;
            }
            LayeredSocket accepted = wrap(below, lowerSocket, listener.addressFamily(), listener.type(), listener.protocol(), hooksFor(listener), lpErrno);
            if (accepted == null) {
                acceptError = errno(lpErrno);
                return INVALID_SOCKET;
            }
            int veto;
            try {
                accepted.peer(acceptedPeer(accepted, addr, addrlen));
                // The author decides before the engine hears of it: a vetoed socket never gets a message.
                veto = accepted.hooked ? provider.onAccept(listener, accepted) : LayeredProvider.ALLOW;
                if (veto == LayeredProvider.ALLOW) veto = bridge.accepted(listener, accepted);
            } catch (Throwable t) {
                discard(accepted); // nothing half-made stays behind a failed call
                throw t;
            }
            if (veto != LayeredProvider.ALLOW) {
                discard(accepted);
                setErrno(lpErrno, veto);
                return INVALID_SOCKET;
            }
            return accepted.handle();
        } finally {
            bridge.afterAccept(listener, reports, acceptError);
        }
    }

    /** The peer from WSPAccept's own output, else asked below (the application may pass no address). */
    private static InetSocketAddress acceptedPeer(LayeredSocket s, MemorySegment addr, MemorySegment addrlen) throws Throwable {
        if (addr.address() != 0 && addrlen.address() != 0) {
            return peer(addr, addrlen.reinterpret(4).get(ValueLayout.JAVA_INT, 0));
        }
        Scratch x = Scratch.get();
        x.addressLength.set(ValueLayout.JAVA_INT, 0, (int) x.address.byteSize());
        int rc = (int) s.below.getPeerName.invokeExact(s.lowerHandle(), x.address, x.addressLength, x.errno);
        return rc == 0 ? peer(x.address, x.addressLength.get(ValueLayout.JAVA_INT, 0)) : null;
    }

    int addressToString(MemorySegment lpsaAddress, int dwAddressLength, MemorySegment lpProtocolInfo, MemorySegment lpszAddressString,
            MemorySegment lpdwAddressStringLength, MemorySegment lpErrno) throws Throwable {
        provider.onCall(SpiEntry.WSPAddressToString);
        LowerProvider below = lowerFor(lpProtocolInfo, lpErrno);
        if (below == null) return SOCKET_ERROR;
        return (int) below.addressToString.invokeExact(lpsaAddress, dwAddressLength, below.protocolInfo, lpszAddressString, lpdwAddressStringLength, lpErrno);
    }

    /** WSPAsyncSelect takes its HWND and lpErrno raw (SpiEntry.Pointers.RAW): re-registering allocates nothing. */
    int asyncSelect(long s, long hWnd, int wMsg, int lEvent, long lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPAsyncSelect, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        int error = bridge.asyncSelect(socket, hWnd, wMsg, lEvent);
        return error == 0 ? 0 : failWith(lpErrno, error);
    }

    int bind(long s, MemorySegment name, int namelen, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPBind, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        // A bound datagram socket can send: the lower provider reports it (FD_WRITE), as it does to its own.
        return (int) socket.below.bind.invokeExact(socket.lowerHandle(), name, namelen, lpErrno);
    }

    int cancelBlockingCall(MemorySegment lpErrno) throws Throwable {
        provider.onCall(SpiEntry.WSPCancelBlockingCall);
        LowerProvider below = lowers.first();
        if (below == null) return failWith(lpErrno, WsaErrors.WSANOTINITIALISED);
        return (int) below.cancelBlockingCall.invokeExact(lpErrno);
    }

    int cleanup(MemorySegment lpErrno) throws Throwable {
        provider.onCall(SpiEntry.WSPCleanup);
        return cleanup.cleanup(lpErrno);
    }

    int closeSocket(long s, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPCloseSocket, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        bridge.closing(socket);
        int rc = (int) socket.below.closeSocket.invokeExact(socket.lowerHandle(), lpErrno);
        if (rc != 0) { // e.g. WSAEWOULDBLOCK of a non-blocking linger: the socket lives on
            bridge.closeFailed(socket);
            return rc;
        }
        overlapped.closed(socket); // requests still pending complete (aborted) while our handle exists
        sockets.remove(s);
        bridge.closed(socket);
        if (hooksFor(socket)) {
            try {
                provider.onClose(socket);
            } catch (RuntimeException e) {
                hookFailed("onClose", e);
            }
        }
        return upcalls.closeSocketHandle(s, lpErrno);
    }

    int connect(long s, MemorySegment name, int namelen, MemorySegment lpCallerData, MemorySegment lpCalleeData,
            MemorySegment lpSQOS, MemorySegment lpGQOS, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPConnect, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        InetSocketAddress peer = peer(name, namelen);
        int veto = hooksFor(socket) ? provider.onConnect(socket, peer) : LayeredProvider.ALLOW;
        if (veto != LayeredProvider.ALLOW) return failWith(lpErrno, veto);
        socket.peer(peer);
        bridge.connectStarted(socket);
        int rc = (int) socket.below.connect.invokeExact(socket.lowerHandle(), name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, lpErrno);
        int error = rc == 0 ? 0 : errno(lpErrno);
        if (error != WsaErrors.WSAEWOULDBLOCK) bridge.connectEnded(socket, error); // the outcome is known now
        return rc;
    }

    int duplicateSocket(long s, int dwProcessId, MemorySegment lpProtocolInfo, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPDuplicateSocket, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        int rc = (int) socket.below.duplicateSocket.invokeExact(socket.lowerHandle(), dwProcessId, lpProtocolInfo, lpErrno);
        if (rc == 0 && lpProtocolInfo.address() != 0) {
            // The target process must create its socket through our chain, not straight on the lower
            // provider: the entry id becomes ours; dwProviderReserved (the lower's key) is kept.
            WSAPROTOCOL_INFOW.dwCatalogEntryId(lpProtocolInfo.reinterpret(WSAPROTOCOL_INFOW.sizeof()), socket.below.chainEntryId);
        }
        return rc;
    }

    int enumNetworkEvents(long s, MemorySegment hEventObject, MemorySegment lpNetworkEvents, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPEnumNetworkEvents, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        return (int) socket.below.enumNetworkEvents.invokeExact(socket.lowerHandle(), hEventObject, lpNetworkEvents, lpErrno);
    }

    int eventSelect(long s, MemorySegment hEventObject, int lNetworkEvents, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPEventSelect, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        boolean wasArmed = bridge.eventSelecting(socket);
        int rc;
        try {
            rc = (int) socket.below.eventSelect.invokeExact(socket.lowerHandle(), hEventObject, lNetworkEvents, lpErrno);
        } catch (Throwable t) {
            bridge.eventSelectFailed(socket, wasArmed);
            throw t;
        }
        if (rc == 0) bridge.eventSelected(socket); // the spec: WSPEventSelect cancels WSPAsyncSelect
        else bridge.eventSelectFailed(socket, wasArmed);
        return rc;
    }

    int getOverlappedResult(long s, MemorySegment lpOverlapped, MemorySegment lpcbTransfer, int fWait, MemorySegment lpdwFlags, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPGetOverlappedResult, s, lpErrno);
        if (socket == null) return 0; // FALSE
        return overlapped.result(lpOverlapped, lpcbTransfer, fWait, lpdwFlags, lpErrno); // every overlapped request on our handles is ours
    }

    int getPeerName(long s, MemorySegment name, MemorySegment namelen, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPGetPeerName, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        return (int) socket.below.getPeerName.invokeExact(socket.lowerHandle(), name, namelen, lpErrno);
    }

    int getSockName(long s, MemorySegment name, MemorySegment namelen, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPGetSockName, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        return (int) socket.below.getSockName.invokeExact(socket.lowerHandle(), name, namelen, lpErrno);
    }

    int getSockOpt(long s, int level, int optname, MemorySegment optval, MemorySegment optlen, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPGetSockOpt, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        return (int) socket.below.getSockOpt.invokeExact(socket.lowerHandle(), level, optname, optval, optlen, lpErrno);
    }

    int getQOSByName(long s, MemorySegment lpQOSName, MemorySegment lpQOS, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPGetQOSByName, s, lpErrno);
        if (socket == null) return 0; // FALSE
        return (int) socket.below.getQosByName.invokeExact(socket.lowerHandle(), lpQOSName, lpQOS, lpErrno);
    }

    int ioctl(long s, int dwIoControlCode, MemorySegment lpvInBuffer, int cbInBuffer, MemorySegment lpvOutBuffer, int cbOutBuffer,
            MemorySegment lpcbBytesReturned, MemorySegment lpOverlapped, MemorySegment lpCompletionRoutine, MemorySegment lpThreadId,
            MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPIoctl, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        if (dwIoControlCode == Ioctls.SIO_BSP_HANDLE_SELECT) {
            // select() finds the provider whose WSPSelect to call by this ioctl; ours translates the
            // fd_sets, so we answer with our own handle. SIO_BASE_HANDLE and the other BSP codes go down.
            if (lpvOutBuffer.address() == 0 || Integer.toUnsignedLong(cbOutBuffer) < ValueLayout.JAVA_LONG.byteSize()) {
                return failWith(lpErrno, WsaErrors.WSAEFAULT);
            }
            lpvOutBuffer.reinterpret(8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, s);
            if (lpcbBytesReturned.address() != 0) lpcbBytesReturned.reinterpret(4).set(ValueLayout.JAVA_INT, 0, 8);
            return 0;
        }
        if (dwIoControlCode == Ioctls.SIO_GET_EXTENSION_FUNCTION_POINTER && lpvInBuffer.address() != 0
                && Integer.toUnsignedLong(cbInBuffer) >= GUID.sizeof()) {
            ExtensionFunction f = ExtensionFunction.of(Guids.read(lpvInBuffer.reinterpret(GUID.sizeof()))).orElse(null);
            if (f != null) {
                int answered = extensionFunction(socket, f, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned, lpErrno);
                if (answered != PASS_DOWN) return answered;
            }
        }
        int rc;
        if (lpOverlapped.address() == 0) {
            rc = (int) socket.below.ioctl.invokeExact(socket.lowerHandle(), dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                    lpcbBytesReturned, MemorySegment.NULL, lpCompletionRoutine, lpThreadId, lpErrno);
        } else {
            OverlappedRequest r = overlapped.begin(socket, OverlappedRequest.Kind.IOCTL, lpOverlapped.address(), lpCompletionRoutine.address(),
                    lpThreadId.address(), 0, 0, 0, false, lpErrno.address());
            if (r == null) return SOCKET_ERROR;
            rc = (int) socket.below.ioctl.invokeExact(socket.lowerHandle(), dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                    lpcbBytesReturned, r.lower, MemorySegment.NULL, lpThreadId, lpErrno);
            overlapped.submitted(r, rc, lpErrno.address(), 0);
        }
        bridge.engine().afterIoctl(s, dwIoControlCode);
        return rc;
    }

    /** {@link #extensionFunction}: not ours to answer, the lower provider's pointer serves (it takes no socket). */
    private static final int PASS_DOWN = 1;

    /**
     * SIO_GET_EXTENSION_FUNCTION_POINTER for {@code f} on our socket: our own AcceptEx, ConnectEx,
     * DisconnectEx (once the lower provider has shown it has them); GetAcceptExSockaddrs and WSAPoll
     * as the lower provider answers (PASS_DOWN); the functions that take a socket and we do not stand
     * in for (TransmitFile, TransmitPackets, WSARecvMsg, WSASendMsg): WSAEOPNOTSUPP, since the lower
     * provider's would be called with our handle. 0, or SOCKET_ERROR with *lpErrno.
     */
    private int extensionFunction(LayeredSocket socket, ExtensionFunction f, MemorySegment out, int outLength,
                                  MemorySegment lpcbBytesReturned, MemorySegment lpErrno) throws Throwable {
        switch (f) {
            case GET_ACCEPT_EX_SOCKADDRS, WSA_POLL -> {
                return PASS_DOWN;
            }
            case TRANSMIT_FILE, TRANSMIT_PACKETS, WSA_RECV_MSG, WSA_SEND_MSG -> {
                unsupportedExtension(f);
                return failWith(lpErrno, WsaErrors.WSAEOPNOTSUPP);
            }
            default -> { }
        }
        MemorySegment ours = extensions.pointer(f);
        if (ours == null) return failWith(lpErrno, WsaErrors.WSAEOPNOTSUPP); // no ws2_32 last error to report through
        if (out.address() == 0 || Integer.toUnsignedLong(outLength) < ValueLayout.ADDRESS.byteSize()) return failWith(lpErrno, WsaErrors.WSAEFAULT);
        if (socket.below.extension(f, descriptor(f), extensions.lastError(), socket.lowerHandle(), lpErrno) == null) return SOCKET_ERROR;
        out.reinterpret(ValueLayout.ADDRESS.byteSize()).set(ValueLayout.ADDRESS_UNALIGNED, 0, ours);
        if (lpcbBytesReturned.address() != 0) lpcbBytesReturned.reinterpret(4).set(ValueLayout.JAVA_INT, 0, (int) ValueLayout.ADDRESS.byteSize());
        return 0;
    }

    private static FunctionDescriptor descriptor(ExtensionFunction f) {
        return switch (f) {
            case ACCEPT_EX -> LPFN_ACCEPTEX.descriptor();
            case CONNECT_EX -> LPFN_CONNECTEX.descriptor();
            case DISCONNECT_EX -> LPFN_DISCONNECTEX.descriptor();
            case GET_ACCEPT_EX_SOCKADDRS -> LPFN_GETACCEPTEXSOCKADDRS.descriptor();
            default -> throw new IllegalArgumentException(f + " has no descriptor here");
        };
    }

    private void unsupportedExtension(ExtensionFunction f) {
        if (failedHooks.add("extension " + f)) {
            ProviderLog.warning("an application asked for "
                    + f.macro() + ", which wsp4j does not layer: refused with WSAEOPNOTSUPP (logged once)");
        }
    }

    long joinLeaf(long s, MemorySegment name, int namelen, MemorySegment lpCallerData, MemorySegment lpCalleeData,
            MemorySegment lpSQOS, MemorySegment lpGQOS, int dwFlags, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPJoinLeaf, s, lpErrno);
        if (socket == null) return INVALID_SOCKET;
        long lowerLeaf = (long) socket.below.joinLeaf.invokeExact(socket.lowerHandle(), name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags, lpErrno);
        if (lowerLeaf == INVALID_SOCKET) return INVALID_SOCKET;
        if (lowerLeaf == socket.lowerHandle()) return s; // a non-rooted join returns the socket itself
        return open(socket.below, lowerLeaf, socket.addressFamily(), socket.type(), socket.protocol(), hooksFor(socket), lpErrno);
    }

    int listen(long s, int backlog, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPListen, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        return (int) socket.below.listen.invokeExact(socket.lowerHandle(), backlog, lpErrno);
    }

    // WSPRecv, WSPRecvFrom, WSPSend and WSPSendTo take their pointers as raw addresses (SpiEntry.Pointers.RAW).

    int recv(long s, long lpBuffers, int dwBufferCount, long lpNumberOfBytesRecvd, long lpFlags,
            long lpOverlapped, long lpCompletionRoutine, long lpThreadId, long lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPRecv, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        long reports = bridge.readReports(socket);
        int flags = flagsIn(socket, lpFlags);
        if (lpOverlapped != 0) {
            return receiveOverlapped(socket, false, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, 0, 0,
                    lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno, flags, reports);
        }
        int rc = (int) socket.below.recv.invokeExact(socket.lowerHandle(), lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
                0L, lpCompletionRoutine, lpThreadId, lpErrno);
        received(socket, rc, flags, reports, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd);
        return rc;
    }

    /** A receive's flags (MSG_OOB...) as it asks (the lower call writes *lpFlags back); only the engine of an armed socket needs them. */
    private static int flagsIn(LayeredSocket socket, long lpFlags) {
        return socket.engaged && lpFlags != 0 ? RawMemory.getInt(lpFlags) : 0;
    }

    /** A receive called with {@code flags} returned: the bridge settles FD_READ/FD_OOB; on success the author's onReceived observes. */
    private void received(LayeredSocket socket, int rc, int flags, long reports, long lpBuffers, int count, long lpBytes) {
        bridge.afterRecv(socket, flags, reports);
        if (rc == 0 && hooksFor(socket)) {
            try {
                provider.onReceived(socket, buffers(lpBuffers, count), bytesDone(lpBytes));
            } catch (RuntimeException e) {
                hookFailed("onReceived", e);
            }
        }
    }

    /**
     * An overlapped request completed with success: the author's hooks observe it (the hooked table
     * only): onReceived/onSent with the bytes moved (ConnectEx's send data too), onAccept for the
     * socket AcceptEx connected, whose veto becomes the request's error. Returns that error, or 0.
     */
    private int overlappedCompleted(OverlappedRequest r, Buffers data) {
        long bytes = Integer.toUnsignedLong(r.bytes);
        String hook = "onSent";
        try {
            switch (r.kind) {
                case RECEIVE -> {
                    hook = "onReceived";
                    provider.onReceived(r.socket, data, bytes);
                }
                case SEND -> provider.onSent(r.socket, data, bytes);
                case CONNECT_EX -> {
                    if (bytes > 0) provider.onSent(r.socket, data, bytes);
                }
                case ACCEPT_EX -> {
                    OverlappedRequest.AcceptEx a = r.acceptEx;
                    a.accepted().peer(acceptExPeer(r.socket, a));
                    int veto = provider.onAccept(r.socket, a.accepted());
                    return veto == LayeredProvider.ALLOW ? 0 : veto;
                }
                case IOCTL, DISCONNECT_EX -> { }
            }
        } catch (RuntimeException e) {
            if (r.kind == OverlappedRequest.Kind.ACCEPT_EX) throw e; // a deciding hook: the caller gets the failure
            hookFailed(hook, e);
        }
        return 0;
    }

    /** The peer AcceptEx wrote into its output buffer, read with the lower provider's GetAcceptExSockaddrs. */
    private InetSocketAddress acceptExPeer(LayeredSocket listener, OverlappedRequest.AcceptEx a) throws RuntimeException {
        Scratch x = Scratch.get();
        try {
            LastError lastError = extensions.lastError();
            MethodHandle parse = listener.below.extension(ExtensionFunction.GET_ACCEPT_EX_SOCKADDRS, LPFN_GETACCEPTEXSOCKADDRS.descriptor(),
                    lastError, listener.lowerHandle(), x.errno);
            if (parse == null) return null;
            MemorySegment local = x.pointers.asSlice(0, ValueLayout.ADDRESS);
            MemorySegment remote = x.pointers.asSlice(ValueLayout.ADDRESS.byteSize(), ValueLayout.ADDRESS);
            parse.invokeExact(lastError.state(), MemorySegment.ofAddress(a.outputBuffer()), a.receiveLength(), a.localLength(), a.remoteLength(),
                    local, x.addressLength, remote, x.bytesReturned);
            return peer(remote.get(ValueLayout.ADDRESS, 0), x.bytesReturned.get(ValueLayout.JAVA_INT, 0));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /*
     * The overlapped forms, out of line so that the common calls stay small enough to inline into their
     * stubs: the request goes down with our OVERLAPPED and no completion routine (OverlappedRequests
     * completes the caller's); the author observes at completion, when the bytes have moved.
     */

    private int receiveOverlapped(LayeredSocket socket, boolean from, long lpBuffers, int count, long lpBytes, long lpFlags,
                                  long lpFrom, long lpFromlen, long lpOverlapped, long routine, long lpThreadId, long lpErrno,
                                  int flags, long reports) throws Throwable {
        OverlappedRequest r = overlapped.begin(socket, OverlappedRequest.Kind.RECEIVE, lpOverlapped, routine, lpThreadId,
                lpBuffers, count, lpFlags, hooksFor(socket), lpErrno);
        if (r == null) {
            bridge.afterRecv(socket, flags, reports); // a failing receive re-enables, as it would below
            return SOCKET_ERROR;
        }
        int rc = from
                ? (int) socket.below.recvFrom.invokeExact(socket.lowerHandle(), lpBuffers, count, lpBytes, r.flagsAddress(), lpFrom, lpFromlen,
                        r.lower.address(), 0L, lpThreadId, lpErrno)
                : (int) socket.below.recv.invokeExact(socket.lowerHandle(), lpBuffers, count, lpBytes, r.flagsAddress(),
                        r.lower.address(), 0L, lpThreadId, lpErrno);
        overlapped.submitted(r, rc, lpErrno, lpFlags);
        bridge.afterRecv(socket, flags, reports);
        return rc;
    }

    private int sendOverlapped(LayeredSocket socket, boolean to, long lpBuffers, int count, long lpBytes, int flags, long lpTo,
                               int tolen, long lpOverlapped, long routine, long lpThreadId, long lpErrno, boolean hooked,
                               long reports) throws Throwable {
        OverlappedRequest r = overlapped.begin(socket, OverlappedRequest.Kind.SEND, lpOverlapped, routine, lpThreadId,
                lpBuffers, count, 0, hooked, lpErrno);
        if (r == null) {
            sent(socket, null, SOCKET_ERROR, reports, lpBuffers, count, lpBytes, lpErrno); // a failing send re-enables too
            return SOCKET_ERROR;
        }
        int rc = to
                ? (int) socket.below.sendTo.invokeExact(socket.lowerHandle(), lpBuffers, count, lpBytes, flags, lpTo, tolen,
                        r.lower.address(), 0L, lpThreadId, lpErrno)
                : (int) socket.below.send.invokeExact(socket.lowerHandle(), lpBuffers, count, lpBytes, flags,
                        r.lower.address(), 0L, lpThreadId, lpErrno);
        overlapped.submitted(r, rc, lpErrno, 0);
        sent(socket, null, rc, reports, lpBuffers, count, lpBytes, lpErrno);
        return rc;
    }

    int recvDisconnect(long s, MemorySegment lpInboundDisconnectData, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPRecvDisconnect, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        return (int) socket.below.recvDisconnect.invokeExact(socket.lowerHandle(), lpInboundDisconnectData, lpErrno);
    }

    int recvFrom(long s, long lpBuffers, int dwBufferCount, long lpNumberOfBytesRecvd, long lpFlags,
            long lpFrom, long lpFromlen, long lpOverlapped, long lpCompletionRoutine,
            long lpThreadId, long lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPRecvFrom, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        long reports = bridge.readReports(socket);
        int flags = flagsIn(socket, lpFlags);
        if (lpOverlapped != 0) {
            return receiveOverlapped(socket, true, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen,
                    lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno, flags, reports);
        }
        int rc = (int) socket.below.recvFrom.invokeExact(socket.lowerHandle(), lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
                lpFrom, lpFromlen, 0L, lpCompletionRoutine, lpThreadId, lpErrno);
        received(socket, rc, flags, reports, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd);
        return rc;
    }

    int select(int nfds, MemorySegment readfds, MemorySegment writefds, MemorySegment exceptfds, MemorySegment timeout, MemorySegment lpErrno) throws Throwable {
        provider.onCall(SpiEntry.WSPSelect);
        FdSetTranslation t = FdSetTranslation.get();
        LowerProvider below = t.toLower(sockets, readfds, writefds, exceptfds, lpErrno);
        if (below == null) return SOCKET_ERROR;
        int rc = (int) below.select.invokeExact(nfds, t.lower(0), t.lower(1), t.lower(2), timeout, lpErrno);
        if (rc == SOCKET_ERROR) return rc;
        t.toCaller(readfds, writefds, exceptfds);
        return rc;
    }

    int send(long s, long lpBuffers, int dwBufferCount, long lpNumberOfBytesSent, int dwFlags,
            long lpOverlapped, long lpCompletionRoutine, long lpThreadId, long lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPSend, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        // The thread's one Buffers may be what an outer call's hook is looking at: only a hooked call sets it.
        Buffers data = hooksFor(socket) ? buffers(lpBuffers, dwBufferCount) : null;
        int veto = data == null ? LayeredProvider.ALLOW : provider.onSend(socket, data);
        if (veto != LayeredProvider.ALLOW) return failWith(lpErrno, veto);
        long reports = bridge.writeReports(socket);
        if (lpOverlapped != 0) {
            return sendOverlapped(socket, false, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, 0, 0,
                    lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno, data != null, reports);
        }
        int rc = (int) socket.below.send.invokeExact(socket.lowerHandle(), lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
                0L, lpCompletionRoutine, lpThreadId, lpErrno);
        sent(socket, data, rc, reports, lpBuffers, dwBufferCount, lpNumberOfBytesSent, lpErrno);
        return rc;
    }

    /** A send returned: the bridge settles FD_WRITE; on success the author's onSent observes (data null: no hooks). */
    private void sent(LayeredSocket socket, Buffers data, int rc, long reports, long lpBuffers, int count, long lpBytes, long lpErrno) {
        bridge.afterSend(socket, reports, sendOutcome(socket, rc, lpBuffers, count, lpBytes, lpErrno));
        if (rc == 0 && data != null) {
            try {
                provider.onSent(socket, data, bytesDone(lpBytes));
            } catch (RuntimeException e) {
                hookFailed("onSent", e);
            }
        }
    }

    /**
     * What a send that returned {@code rc} says of the buffer: full when it would block, or when a stream
     * send took fewer bytes than it was given (an overlapped send that is pending has taken them all).
     */
    private static SendOutcome sendOutcome(LayeredSocket socket, int rc, long lpBuffers, int count, long lpBytes, long lpErrno) {
        if (rc != 0) return errno(lpErrno) == WsaErrors.WSAEWOULDBLOCK ? SendOutcome.WOULD_BLOCK : SendOutcome.COMPLETE;
        if (lpBytes == 0 || !socket.connectionOriented()) return SendOutcome.COMPLETE;
        long given = 0;
        for (int i = 0; i < count; i++) given += Integer.toUnsignedLong(RawMemory.getInt(lpBuffers + i * WSABUF.sizeof() + WSABUF.len$offset()));
        return bytesDone(lpBytes) < given ? SendOutcome.SHORT : SendOutcome.COMPLETE;
    }

    int sendDisconnect(long s, MemorySegment lpOutboundDisconnectData, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPSendDisconnect, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        return (int) socket.below.sendDisconnect.invokeExact(socket.lowerHandle(), lpOutboundDisconnectData, lpErrno);
    }

    int sendTo(long s, long lpBuffers, int dwBufferCount, long lpNumberOfBytesSent, int dwFlags, long lpTo,
            int iTolen, long lpOverlapped, long lpCompletionRoutine, long lpThreadId, long lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPSendTo, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        // The thread's one Buffers may be what an outer call's hook is looking at: only a hooked call sets it.
        Buffers data = hooksFor(socket) ? buffers(lpBuffers, dwBufferCount) : null;
        int veto = data == null ? LayeredProvider.ALLOW : provider.onSend(socket, data);
        if (veto != LayeredProvider.ALLOW) return failWith(lpErrno, veto);
        long reports = bridge.writeReports(socket);
        if (lpOverlapped != 0) {
            return sendOverlapped(socket, true, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                    lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno, data != null, reports);
        }
        int rc = (int) socket.below.sendTo.invokeExact(socket.lowerHandle(), lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                0L, lpCompletionRoutine, lpThreadId, lpErrno);
        sent(socket, data, rc, reports, lpBuffers, dwBufferCount, lpNumberOfBytesSent, lpErrno);
        return rc;
    }

    int setSockOpt(long s, int level, int optname, MemorySegment optval, int optlen, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPSetSockOpt, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        if (level == Ws2Def.SOL_SOCKET && optname == WinApi.SO_UPDATE_ACCEPT_CONTEXT()) {
            // optval is the listening socket AcceptEx accepted on: one of our handles, the lower one below.
            if (optval.address() == 0 || optlen < ValueLayout.JAVA_LONG.byteSize()) return failWith(lpErrno, WsaErrors.WSAEFAULT);
            LayeredSocket listener = find(optval.reinterpret(8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0), lpErrno);
            if (listener == null) return SOCKET_ERROR;
            MemorySegment lowerListener = Scratch.get().word;
            lowerListener.set(ValueLayout.JAVA_LONG, 0, listener.lowerHandle());
            return (int) socket.below.setSockOpt.invokeExact(socket.lowerHandle(), level, optname, lowerListener, (int) lowerListener.byteSize(), lpErrno);
        }
        int rc = (int) socket.below.setSockOpt.invokeExact(socket.lowerHandle(), level, optname, optval, optlen, lpErrno);
        if (rc == 0 && level == Ws2Def.SOL_SOCKET && optname == Ws2Def.SO_OOBINLINE && optval.address() != 0 && optlen > 0) {
            MemorySegment v = optval.reinterpret(optlen);
            boolean on = optlen >= 4 ? v.get(ValueLayout.JAVA_INT_UNALIGNED, 0) != 0 : v.get(ValueLayout.JAVA_BYTE, 0) != 0;
            bridge.engine().setOobInline(s, on);
        }
        return rc;
    }

    int shutdown(long s, int how, MemorySegment lpErrno) throws Throwable {
        LayeredSocket socket = enter(SpiEntry.WSPShutdown, s, lpErrno);
        if (socket == null) return SOCKET_ERROR;
        return (int) socket.below.shutdown.invokeExact(socket.lowerHandle(), how, lpErrno);
    }

    long socket(int af, int type, int protocol, MemorySegment lpProtocolInfo, int g, int dwFlags, MemorySegment lpErrno) throws Throwable {
        provider.onCall(SpiEntry.WSPSocket);
        LowerProvider below = lowerFor(lpProtocolInfo, lpErrno);
        if (below == null) return INVALID_SOCKET;
        // The lower provider gets the protocol info we started it with; for a duplicated socket
        // (dwProviderReserved, the lower WSPDuplicateSocket's key) a copy that carries that key.
        MemorySegment info = below.protocolInfo;
        int reserved = lpProtocolInfo.address() == 0 ? 0 : WSAPROTOCOL_INFOW.dwProviderReserved(lpProtocolInfo.reinterpret(WSAPROTOCOL_INFOW.sizeof()));
        if (reserved != 0) {
            info = Scratch.get().protocolInfo;
            info.copyFrom(below.protocolInfo);
            WSAPROTOCOL_INFOW.dwProviderReserved(info, reserved);
        }
        long lowerSocket = (long) below.socket.invokeExact(af, type, protocol, info, g, dwFlags, lpErrno);
        if (lowerSocket == INVALID_SOCKET) return INVALID_SOCKET;
        return open(below, lowerSocket,
                resolve(af, below.protocolInfo, WSAPROTOCOL_INFOW::iAddressFamily),
                resolve(type, below.protocolInfo, WSAPROTOCOL_INFOW::iSocketType),
                resolve(protocol, below.protocolInfo, WSAPROTOCOL_INFOW::iProtocol), hooks, lpErrno);
    }

    int stringToAddress(MemorySegment addressString, int addressFamily, MemorySegment lpProtocolInfo, MemorySegment lpAddress,
            MemorySegment lpAddressLength, MemorySegment lpErrno) throws Throwable {
        provider.onCall(SpiEntry.WSPStringToAddress);
        LowerProvider below = lowerFor(lpProtocolInfo, lpErrno);
        if (below == null) return SOCKET_ERROR;
        return (int) below.stringToAddress.invokeExact(addressString, addressFamily, below.protocolInfo, lpAddress, lpAddressLength, lpErrno);
    }

    // ---- extension functions: called by the application through the pointers extensionFunction hands out

    /** BOOL AcceptEx(sListen, sAccept, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped). */
    int acceptEx(long sListen, long sAccept, MemorySegment lpOutputBuffer, int dwReceiveDataLength, int dwLocalAddressLength,
                 int dwRemoteAddressLength, MemorySegment lpdwBytesReceived, MemorySegment lpOverlapped) throws Throwable {
        Scratch x = Scratch.get();
        LayeredSocket listener = sockets.get(sListen);
        LayeredSocket accepted = sockets.get(sAccept);
        if (listener == null || accepted == null) return extensionFailed(WsaErrors.WSAENOTSOCK);
        LastError lastError = extensions.lastError();
        MethodHandle lower = listener.below.extension(ExtensionFunction.ACCEPT_EX, LPFN_ACCEPTEX.descriptor(), lastError,
                listener.lowerHandle(), x.errno);
        if (lower == null) return extensionFailed(x.errnoValue());
        MemorySegment state = lastError.state();
        if (lpOverlapped.address() == 0) { // Windows requires one: the lower provider says how it refuses
            return extensionReturned((int) lower.invokeExact(state, listener.lowerHandle(), accepted.lowerHandle(), lpOutputBuffer,
                    dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived, MemorySegment.NULL), state);
        }
        OverlappedRequest r = overlapped.begin(listener, OverlappedRequest.Kind.ACCEPT_EX, lpOverlapped.address(), 0, 0, 0, 0, 0,
                hooksFor(listener) && accepted.hooked, x.errno.address());
        if (r == null) return extensionFailed(x.errnoValue());
        synchronized (r) {
            r.acceptEx = new OverlappedRequest.AcceptEx(accepted, lpOutputBuffer.address(), dwReceiveDataLength, dwLocalAddressLength,
                    dwRemoteAddressLength);
        }
        int ok = (int) lower.invokeExact(state, listener.lowerHandle(), accepted.lowerHandle(), lpOutputBuffer, dwReceiveDataLength,
                dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived, r.lower);
        return extensionSubmitted(r, ok, state);
    }

    /** BOOL ConnectEx(s, name, namelen, lpSendBuffer, dwSendDataLength, lpdwBytesSent, lpOverlapped). */
    int connectEx(long s, MemorySegment name, int namelen, MemorySegment lpSendBuffer, int dwSendDataLength,
                  MemorySegment lpdwBytesSent, MemorySegment lpOverlapped) throws Throwable {
        Scratch x = Scratch.get();
        LayeredSocket socket = sockets.get(s);
        if (socket == null) return extensionFailed(WsaErrors.WSAENOTSOCK);
        LastError lastError = extensions.lastError();
        MethodHandle lower = socket.below.extension(ExtensionFunction.CONNECT_EX, LPFN_CONNECTEX.descriptor(), lastError,
                socket.lowerHandle(), x.errno);
        if (lower == null) return extensionFailed(x.errnoValue());
        MemorySegment state = lastError.state();
        InetSocketAddress peer = peer(name, namelen);
        int veto = hooksFor(socket) ? provider.onConnect(socket, peer) : LayeredProvider.ALLOW;
        if (veto != LayeredProvider.ALLOW) return extensionFailed(veto);
        socket.peer(peer);
        if (lpOverlapped.address() == 0) {
            return extensionReturned((int) lower.invokeExact(state, socket.lowerHandle(), name, namelen, lpSendBuffer, dwSendDataLength,
                    lpdwBytesSent, MemorySegment.NULL), state);
        }
        // The send data as a one-element WSABUF array, which the request copies for onSent at completion.
        MemorySegment wsabuf = x.wsabuf;
        WSABUF.len(wsabuf, dwSendDataLength);
        WSABUF.buf(wsabuf, lpSendBuffer);
        boolean data = lpSendBuffer.address() != 0 && dwSendDataLength != 0;
        OverlappedRequest r = overlapped.begin(socket, OverlappedRequest.Kind.CONNECT_EX, lpOverlapped.address(), 0, 0,
                data ? wsabuf.address() : 0, data ? 1 : 0, 0, hooksFor(socket), x.errno.address());
        if (r == null) return extensionFailed(x.errnoValue());
        bridge.connectStarted(socket); // its outcome is the lower provider's next FD_CONNECT
        int ok = (int) lower.invokeExact(state, socket.lowerHandle(), name, namelen, lpSendBuffer, dwSendDataLength, lpdwBytesSent, r.lower);
        return extensionSubmitted(r, ok, state);
    }

    /** BOOL DisconnectEx(s, lpOverlapped, dwFlags, dwReserved). */
    int disconnectEx(long s, MemorySegment lpOverlapped, int dwFlags, int dwReserved) throws Throwable {
        Scratch x = Scratch.get();
        LayeredSocket socket = sockets.get(s);
        if (socket == null) return extensionFailed(WsaErrors.WSAENOTSOCK);
        LastError lastError = extensions.lastError();
        MethodHandle lower = socket.below.extension(ExtensionFunction.DISCONNECT_EX, LPFN_DISCONNECTEX.descriptor(), lastError,
                socket.lowerHandle(), x.errno);
        if (lower == null) return extensionFailed(x.errnoValue());
        MemorySegment state = lastError.state();
        if (lpOverlapped.address() == 0) {
            return extensionReturned((int) lower.invokeExact(state, socket.lowerHandle(), MemorySegment.NULL, dwFlags, dwReserved), state);
        }
        OverlappedRequest r = overlapped.begin(socket, OverlappedRequest.Kind.DISCONNECT_EX, lpOverlapped.address(), 0, 0, 0, 0, 0,
                false, x.errno.address());
        if (r == null) return extensionFailed(x.errnoValue());
        int ok = (int) lower.invokeExact(state, socket.lowerHandle(), r.lower, dwFlags, dwReserved);
        return extensionSubmitted(r, ok, state);
    }

    /** An extension function fails: FALSE, with the thread's last error. */
    private int extensionFailed(int error) throws Throwable {
        extensions.lastError().set(error);
        return 0;
    }

    /**
     * The lower extension function returned {@code ok} on a request without an OVERLAPPED: FALSE passes
     * on the lower provider's last error as the call captured it, set again just before we return
     * (the JVM may have overwritten the thread's since).
     */
    private int extensionReturned(int ok, MemorySegment state) throws Throwable {
        if (ok == 0) extensions.lastError().set(extensions.lastError().captured(state));
        return ok;
    }

    /**
     * The lower extension function returned {@code ok}: TRUE stands (the caller is still notified);
     * FALSE carries the lower provider's last error — ERROR_IO_PENDING (997) for a request under way —
     * which is also ours. It is the one the call captured, never one read afterwards: a pending
     * request taken for a failed one would have its memory reused while the lower provider owns it.
     */
    private int extensionSubmitted(OverlappedRequest r, int ok, MemorySegment state) throws Throwable {
        if (ok != 0) {
            overlapped.submitted(r, 0, 0, 0);
            return 1;
        }
        int error = extensions.lastError().captured(state);
        overlapped.submitted(r, SOCKET_ERROR, error, 0);
        extensions.lastError().set(error); // as the lower provider left it, whatever ran since
        return 0;
    }

    // ---- for the event bridge: the lower provider's event-select surface ---------------------------

    /** The bridge's view of the lower provider, through the same downcall handles. */
    static final class LowerEventCalls implements LowerEvents {
        @Override
        public int eventSelect(LayeredSocket s, long event, int mask) {
            Scratch x = Scratch.get();
            try {
                int rc = (int) s.below.eventSelect.invokeExact(s.lowerHandle(), MemorySegment.ofAddress(event), mask, x.errno);
                return rc == 0 ? 0 : x.errnoValue();
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        public int enumNetworkEvents(LayeredSocket s, long event, NetworkEvents out) {
            Scratch x = Scratch.get();
            try {
                MemorySegment handle = event == s.event ? s.eventHandle : MemorySegment.ofAddress(event); // ours: made once
                int rc = (int) s.below.enumNetworkEvents.invokeExact(s.lowerHandle(), handle, x.networkEvents, x.errno);
                if (rc != 0) return x.errnoValue();
                out.events = WSANETWORKEVENTS.lNetworkEvents(x.networkEvents);
                for (int i = 0; i < out.errors.length; i++) out.errors[i] = WSANETWORKEVENTS.iErrorCode(x.networkEvents, i);
                return 0;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        public int setNonBlocking(LayeredSocket s) {
            Scratch x = Scratch.get();
            try {
                x.word.set(ValueLayout.JAVA_INT, 0, 1);
                int rc = (int) s.below.ioctl.invokeExact(s.lowerHandle(), Ioctls.FIONBIO, x.word, 4, MemorySegment.NULL, 0,
                        x.bytesReturned, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, x.errno);
                return rc == 0 ? 0 : x.errnoValue();
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        public int dataWaiting(LayeredSocket s) {
            return (ioctlValue(s, Ioctls.FIONREAD) > 0 ? FdEvents.FD_READ : 0)
                    | (s.connectionOriented() && ioctlValue(s, Ioctls.SIOCATMARK) == 0 ? FdEvents.FD_OOB : 0);
        }

        /** The lower WSPIoctl(code) that writes an int: its value, or -1 if it failed. */
        private static int ioctlValue(LayeredSocket s, int code) {
            Scratch x = Scratch.get();
            try {
                x.word.set(ValueLayout.JAVA_INT, 0, -1);
                int rc = (int) s.below.ioctl.invokeExact(s.lowerHandle(), code, MemorySegment.NULL, 0, x.word, 4,
                        x.bytesReturned, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, x.errno);
                return rc == 0 ? x.word.get(ValueLayout.JAVA_INT, 0) : -1;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        private static RuntimeException rethrow(Throwable t) {
            if (t instanceof RuntimeException r) return r;
            if (t instanceof Error e) throw e;
            return new IllegalStateException(t);
        }
    }
}
