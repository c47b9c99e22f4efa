package io.wsp4j.select;

import io.wsp4j.winsock.WsaErrors;

/**
 * What {@link SelectEngine#asyncSelect} did. A successful registration always obliges the caller to
 * put the socket into non-blocking mode (the spec: "This function automatically sets socket s to
 * nonblocking mode"), which the engine cannot do itself.
 */
public enum RegisterOutcome {
    /** Registered (or cancelled, for lEvent = 0). */
    OK(0),
    /** Registered, and a WSPEventSelect association of the socket was replaced: the caller drops it. */
    OK_REPLACED_EVENT_SELECT(0),
    /** lEvent has bits outside FD_ALL_EVENTS: WSAEINVAL, nothing changed. */
    INVALID_ARGUMENT(WsaErrors.WSAEINVAL),
    /** The engine knows no such socket: WSAENOTSOCK, nothing changed. */
    NOT_SOCKET(WsaErrors.WSAENOTSOCK);

    private final int errorCode;

    RegisterOutcome(int errorCode) {
        this.errorCode = errorCode;
    }

    /** 0 on success, else the WSAE* code for {@code *lpErrno}. */
    public int errorCode() {
        return errorCode;
    }

    public boolean succeeded() {
        return errorCode == 0;
    }

    /** True when the caller must now make the socket non-blocking (every successful registration). */
    public boolean mustSetNonBlocking() {
        return succeeded();
    }

    /** True when the caller must drop the socket's WSPEventSelect association. */
    public boolean replacedEventSelect() {
        return this == OK_REPLACED_EVENT_SELECT;
    }
}
