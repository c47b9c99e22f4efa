package io.wsp4j.select;

/**
 * The decisions in which {@link SelectRules} differ, each made under the socket's monitor. Everything
 * else (registrations, re-enabling, levels and edges, inheritance, posting and its order of calls) is the
 * engine's own and the same for every rule set. An implementation holds no state: one instance serves
 * every engine of its rules.
 */
abstract sealed class RuleSet permits WindowsRules, DocumentedRules {
    /** The order in which events found due at the same time are posted. */
    abstract int[] postOrder();

    /** A connectionless socket is writable from the moment it exists (else only once bound). */
    abstract boolean datagramWritableWhenOpened();

    /** What a bind of a connectionless socket changes: called under the monitor, for an open datagram socket. */
    abstract void bound(SocketState st);

    /**
     * A registration (lEvent != 0) just replaced the socket's previous one: marks what it posts at once
     * besides the level conditions that hold (persistence).
     */
    abstract void registered(SocketState st);

    /** A graceful FD_CLOSE waits until the data received before it has been read. */
    abstract boolean holdsGracefulClose();

    /** The events a receive called with {@code flags} (MSG_OOB, MSG_PEEK...) re-enables, and settles. */
    abstract int receiveReenables(int flags);

    /** The send found the buffer full: the socket is not writable now and FD_WRITE is owed for when it is. */
    abstract boolean bufferFull(SendOutcome outcome);
}
