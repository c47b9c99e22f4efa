package io.wsp4j.select;

/** How a send (WSPSend, WSPSendTo) ended, as the re-enabling rules of FD_WRITE tell them apart. */
public enum SendOutcome {
    /** It took every byte it was given, or failed for a reason other than a full buffer. */
    COMPLETE,
    /** A non-blocking stream send took fewer bytes than it was given: the buffer filled up. */
    SHORT,
    /** It failed with WSAEWOULDBLOCK: the buffer was full. */
    WOULD_BLOCK
}
