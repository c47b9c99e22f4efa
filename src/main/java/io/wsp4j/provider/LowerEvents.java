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

    /**
     * What the lower socket holds now, as far as its ioctls say: FD_READ if FIONREAD counts data waiting,
     * FD_OOB if SIOCATMARK says urgent data waits; 0 when they fail.
     */
    int dataWaiting(LayeredSocket socket);
}
