package io.wsp4j.host;

import io.wsp4j.winsock.FdEvents;

/** WSANETWORKEVENTS: the network events WSAEnumNetworkEvents reports, with an error code per FD_*_BIT. */
public final class NetworkEvents {
    public int lNetworkEvents;
    public final int[] iErrorCode = new int[FdEvents.FD_MAX_EVENTS];

    @Override
    public String toString() {
        return "NetworkEvents[" + FdEvents.describe(lNetworkEvents) + "]";
    }
}
