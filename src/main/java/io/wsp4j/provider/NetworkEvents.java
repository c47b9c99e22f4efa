package io.wsp4j.provider;

import io.wsp4j.winsock.FdEvents;

/** What one WSPEnumNetworkEvents returned (WSANETWORKEVENTS), in Java; reused by the dispatcher. */
final class NetworkEvents {
    int events;
    final int[] errors = new int[FdEvents.FD_MAX_EVENTS];

    void clear() {
        events = 0;
        java.util.Arrays.fill(errors, 0);
    }

    /** The error code of the single-bit event {@code event}. */
    int error(int event) {
        return errors[Integer.numberOfTrailingZeros(event)];
    }
}
