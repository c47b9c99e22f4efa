package io.wsp4j.provider;

/**
 * The lower provider's event-select surface the {@link AsyncSelectBridge} drives. Every method
 * returns 0 or the lower provider's WSAE* code (its {@code *lpErrno}).
 */
interface LowerEvents {
    /** The lower WSPEventSelect(lower, event, mask). */
    int eventSelect(LayeredSocket socket, long event, int mask);

    /** The lower WSPEnumNetworkEvents(lower, event, &amp;out): reads and resets the socket's record and the event. */
    int enumNetworkEvents(LayeredSocket socket, long event, NetworkEvents out);

    /** The lower WSPIoctl(lower, FIONBIO, 1): WSPAsyncSelect makes the socket non-blocking. */
    int setNonBlocking(LayeredSocket socket);
}
