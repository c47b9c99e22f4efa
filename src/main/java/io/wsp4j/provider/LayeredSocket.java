package io.wsp4j.provider;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.winsock.Ws2Def;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * One socket of the layered provider: the handle the application sees (ours, from
 * WPUCreateSocketHandle) and the lower provider's handle behind it. Hooks of a {@link LayeredProvider}
 * receive it; an author keeps per-socket state in {@link #attach}.
 */
public final class LayeredSocket {
    private final long handle;
    private final long lower;
    private final int addressFamily;
    private final int type;
    private final int protocol;
    private final long createdNanos;
    private volatile InetSocketAddress peer;
    private volatile Object attachment;

    // Event-core state, guarded by this object's monitor (see AsyncSelectBridge).
    long event;            // our WSAEVENT for the lower WSPEventSelect; 0 until the first WSPAsyncSelect
    /** {@link #event} as the segment a downcall takes: made once, not at every read of the lower record. */
    MemorySegment eventHandle = MemorySegment.NULL;
    boolean lowerArmed;    // the lower socket is event-selected on {@link #event}
    boolean closing;       // WSPCloseSocket started: the dispatcher leaves the lower socket alone
    /** Armed at least once (never reset): before that, receives have no engine state to settle. */
    volatile boolean engaged;
    /** Re-enabling calls of ours under way below: the dispatcher leaves the lower record alone meanwhile. */
    int callsBelow;
    /** The dispatcher left a report for when the calls below are back. */
    boolean reportHeld;
    /**
     * The application's own WSPEventSelect owned the lower record since we last read it: what it reported
     * to the application the engine never heard of.
     */
    boolean recordWasTheApplications;

    /** The provider below that owns {@link #lower}; null only in tests of the event bridge. */
    final LowerProvider below;
    /**
     * The author's hooks run for this socket. False for the provider's own sockets: those a hook
     * opened or accepted with a nested Winsock call (see {@link Reentry}), and those accepted on
     * the provider's own listeners.
     */
    final boolean hooked;

    LayeredSocket(long handle, long lower, int addressFamily, int type, int protocol) {
        this(handle, lower, addressFamily, type, protocol, null, true);
    }

    LayeredSocket(long handle, long lower, int addressFamily, int type, int protocol, LowerProvider below, boolean hooked) {
        this.below = below;
        this.hooked = hooked;
        this.handle = handle;
        this.lower = lower;
        this.addressFamily = addressFamily;
        this.type = type;
        this.protocol = protocol;
        this.createdNanos = System.nanoTime();
    }

    static LayeredSocket tombstone() {
        return new LayeredSocket(Long.MIN_VALUE, Long.MIN_VALUE, 0, 0, 0);
    }

    /** The handle the application sees, and every message it receives names. */
    public long handle() { return handle; }

    /** The lower provider's handle for the same socket. */
    public long lowerHandle() { return lower; }

    public int addressFamily() { return addressFamily; }

    /** SOCK_STREAM, SOCK_DGRAM … */
    public int type() { return type; }

    public int protocol() { return protocol; }

    /** Stream sockets are connection-oriented: they get FD_CLOSE (the engine's rule). */
    public boolean connectionOriented() { return type == Ws2Def.SOCK_STREAM || type == WinApi.SOCK_SEQPACKET(); }

    /** System.nanoTime() when the provider made the socket (created or accepted). */
    public long createdNanos() { return createdNanos; }

    /** The connected peer: set by WSPConnect's target or WSPAccept's caller; null before. */
    public InetSocketAddress peer() { return peer; }

    void peer(InetSocketAddress peer) { this.peer = peer; }

    /** The author's per-socket object. */
    public Object attachment() { return attachment; }

    public void attach(Object attachment) { this.attachment = attachment; }

    @Override
    public String toString() {
        return "socket " + handle + " (lower " + lower + (peer == null ? "" : ", peer " + peer) + ")";
    }
}
