package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.UUID;

/**
 * A provider ws2 has started: the WSPPROC_TABLE its WSPStartup filled, as downcall handles through
 * each function pointer. ws2 calls the provider only through these.
 */
final class ProviderTable {
    final UUID providerId;
    final MethodHandle accept, asyncSelect, bind, cleanup, closeSocket, connect, enumNetworkEvents, eventSelect,
            getOverlappedResult, getPeerName, getSockName, getSockOpt, ioctl, listen, recv, recvFrom, send, sendTo, setSockOpt,
            shutdown, socket;

    /** Reads the table; null if any of the 30 entries is NULL (WSAEINVALIDPROCTABLE). */
    static ProviderTable of(UUID providerId, MemorySegment table) {
        MemorySegment t = table.reinterpret(Spi.WSPPROC_TABLE.byteSize());
        for (String name : Spi.PROC_ENTRIES) {
            if (t.get(ADDRESS, Spi.offset(Spi.WSPPROC_TABLE, name)).address() == 0) return null;
        }
        return new ProviderTable(providerId, t);
    }

    private ProviderTable(UUID providerId, MemorySegment t) {
        this.providerId = providerId;
        accept = entry(t, "lpWSPAccept");
        asyncSelect = entry(t, "lpWSPAsyncSelect");
        bind = entry(t, "lpWSPBind");
        cleanup = entry(t, "lpWSPCleanup");
        closeSocket = entry(t, "lpWSPCloseSocket");
        connect = entry(t, "lpWSPConnect");
        enumNetworkEvents = entry(t, "lpWSPEnumNetworkEvents");
        eventSelect = entry(t, "lpWSPEventSelect");
        getOverlappedResult = entry(t, "lpWSPGetOverlappedResult");
        getPeerName = entry(t, "lpWSPGetPeerName");
        getSockName = entry(t, "lpWSPGetSockName");
        getSockOpt = entry(t, "lpWSPGetSockOpt");
        ioctl = entry(t, "lpWSPIoctl");
        listen = entry(t, "lpWSPListen");
        recv = entry(t, "lpWSPRecv");
        recvFrom = entry(t, "lpWSPRecvFrom");
        send = entry(t, "lpWSPSend");
        sendTo = entry(t, "lpWSPSendTo");
        setSockOpt = entry(t, "lpWSPSetSockOpt");
        shutdown = entry(t, "lpWSPShutdown");
        socket = entry(t, "lpWSPSocket");
    }

    private static MethodHandle entry(MemorySegment table, String name) {
        return Native.downcall(table.get(ADDRESS, Spi.offset(Spi.WSPPROC_TABLE, name)), Spi.procDescriptor(name));
    }
}
