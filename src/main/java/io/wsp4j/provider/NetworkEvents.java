package io.wsp4j.provider;

import io.wsp4j.winsock.FdEvents;

/** What one WSPEnumNetworkEvents returned (WSANETWORKEVENTS: errors by event bit number), in Java; reused by the dispatcher. */
final class NetworkEvents {
    int events;
    final int[] errors = new int[FdEvents.FD_MAX_EVENTS];

    void clear() {
        events = 0;
        java.util.Arrays.fill(errors, 0);
    }
}
