package io.wsp4j.provider;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The provider below one of our chain entries: its WSPPROC_TABLE as downcall handles (one per entry,
 * bound to its function pointer), our chain entry it serves, and the WSAPROTOCOL_INFOW that stands
 * for that chain below us (what the lower WSPStartup and WSPSocket get). Chains over the same lower
 * provider share its table: it is started once.
 */
final class LowerProvider {
    /** Our chain entry (its catalog id) this lower provider serves; also the id our handles are made with. */
    final int chainEntryId;
    /** The lower provider's view of the chain, kept for the process lifetime. */
    final MemorySegment protocolInfo;
    /** The one that ran the lower WSPStartup (itself, or the first chain over the same provider). */
    final LowerProvider started;
    private final MethodHandle[] entries;
    /** The lower extension functions asked for so far (on the instance that ran WSPStartup), by ExtensionFunction ordinal. */
    private final AtomicReferenceArray<MethodHandle> extensions = new AtomicReferenceArray<>(ExtensionFunction.values().length);

    final MethodHandle accept, addressToString, asyncSelect, bind, cancelBlockingCall, cleanup, closeSocket,
            connect, duplicateSocket, enumNetworkEvents, eventSelect, getOverlappedResult, getPeerName,
            getSockName, getSockOpt, getQosByName, ioctl, joinLeaf, listen, recv, recvDisconnect, recvFrom,
            select, send, sendDisconnect, sendTo, setSockOpt, shutdown, socket, stringToAddress;

    /**
     * @param procTable the WSPPROC_TABLE the lower WSPStartup filled
     * @throws ProviderStartupException WSAEINVALIDPROCTABLE if an entry is NULL
     */
    LowerProvider(int chainEntryId, MemorySegment protocolInfo, MemorySegment procTable) {
        this(null, chainEntryId, protocolInfo, downcalls(procTable));
    }

    /**
     * @param started the one that ran the lower WSPStartup, or null if this one did
     * @param entries the downcall handles, indexed by {@link SpiEntry#ordinal()}
     */
    private LowerProvider(LowerProvider started, int chainEntryId, MemorySegment protocolInfo,
                          MethodHandle[] entries) {
        this.chainEntryId = chainEntryId;
        this.protocolInfo = protocolInfo;
        this.started = started == null ? this : started;
        this.entries = entries;
        accept = of(SpiEntry.WSPAccept);
        addressToString = of(SpiEntry.WSPAddressToString);
        asyncSelect = of(SpiEntry.WSPAsyncSelect);
        bind = of(SpiEntry.WSPBind);
        cancelBlockingCall = of(SpiEntry.WSPCancelBlockingCall);
        cleanup = of(SpiEntry.WSPCleanup);
        closeSocket = of(SpiEntry.WSPCloseSocket);
        connect = of(SpiEntry.WSPConnect);
        duplicateSocket = of(SpiEntry.WSPDuplicateSocket);
        enumNetworkEvents = of(SpiEntry.WSPEnumNetworkEvents);
        eventSelect = of(SpiEntry.WSPEventSelect);
        getOverlappedResult = of(SpiEntry.WSPGetOverlappedResult);
        getPeerName = of(SpiEntry.WSPGetPeerName);
        getSockName = of(SpiEntry.WSPGetSockName);
        getSockOpt = of(SpiEntry.WSPGetSockOpt);
        getQosByName = of(SpiEntry.WSPGetQOSByName);
        ioctl = of(SpiEntry.WSPIoctl);
        joinLeaf = of(SpiEntry.WSPJoinLeaf);
        listen = of(SpiEntry.WSPListen);
        recv = of(SpiEntry.WSPRecv);
        recvDisconnect = of(SpiEntry.WSPRecvDisconnect);
        recvFrom = of(SpiEntry.WSPRecvFrom);
        select = of(SpiEntry.WSPSelect);
        send = of(SpiEntry.WSPSend);
        sendDisconnect = of(SpiEntry.WSPSendDisconnect);
        sendTo = of(SpiEntry.WSPSendTo);
        setSockOpt = of(SpiEntry.WSPSetSockOpt);
        shutdown = of(SpiEntry.WSPShutdown);
        socket = of(SpiEntry.WSPSocket);
        stringToAddress = of(SpiEntry.WSPStringToAddress);
    }

    /**
     * One downcall handle per WSPPROC_TABLE entry, bound to the function pointer the table holds,
     * with the entry's {@link SpiEntry#javaDescriptor() Java signature}.
     */
    private static MethodHandle[] downcalls(MemorySegment procTable) {
        MethodHandle[] entries = new MethodHandle[SpiEntry.values().length];
        Linker linker = Linker.nativeLinker();
        MemorySegment table = procTable.reinterpret(WSPPROC_TABLE.sizeof());
        for (SpiEntry e : SpiEntry.values()) {
            long offset = WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement(e.tableField()));
            MemorySegment fn = table.get(ValueLayout.ADDRESS, offset);
            if (fn.address() == 0) {
                throw new ProviderStartupException(WsaErrors.WSAEINVALIDPROCTABLE,
                        "the lower provider's WSPStartup left " + e.tableField() + " NULL");
            }
            // The data-path entries take raw pointers, as our stubs get them: passed down as they are.
            entries[e.ordinal()] = linker.downcallHandle(fn, e.javaDescriptor());
        }
        return entries;
    }

    /** Another chain entry of ours over the same, already started, lower provider. */
    LowerProvider forChain(int chainEntryId, MemorySegment protocolInfo) {
        return new LowerProvider(this, chainEntryId, protocolInfo, entries);
    }

    /**
     * The lower provider's extension function {@code f} as a downcall handle of {@code descriptor}
     * that captures the last error it leaves ({@link LastError#capturing}: its first argument is the
     * capture state), asked for once (with WSPIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) on
     * {@code lowerSocket}) and kept for every chain over the same provider; null, with *lpErrno, if
     * the lower provider has none.
     */
    MethodHandle extension(ExtensionFunction f, FunctionDescriptor descriptor, LastError lastError, long lowerSocket,
                           MemorySegment lpErrno) throws Throwable {
        MethodHandle known = started.extensions.get(f.ordinal());
        if (known != null) return known;
        Scratch x = Scratch.get();
        MemorySegment guid = x.guid;
        Guids.write(guid, f.guid());
        x.word.set(ValueLayout.JAVA_LONG, 0, 0);
        int rc = (int) ioctl.invokeExact(lowerSocket, Ioctls.SIO_GET_EXTENSION_FUNCTION_POINTER, guid, (int) guid.byteSize(),
                x.word, (int) x.word.byteSize(), x.bytesReturned, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, lpErrno);
        if (rc != 0) return null;
        MemorySegment fn = x.word.get(ValueLayout.ADDRESS, 0);
        if (fn.address() == 0) {
            lpErrno.reinterpret(4).set(ValueLayout.JAVA_INT, 0, WsaErrors.WSAEOPNOTSUPP);
            return null;
        }
        MethodHandle handle = lastError.capturing(fn, descriptor);
        started.extensions.compareAndSet(f.ordinal(), null, handle);
        return started.extensions.get(f.ordinal());
    }

    MethodHandle of(SpiEntry e) {
        return entries[e.ordinal()];
    }
}
