package io.wsp4j.provider;

import java.net.InetSocketAddress;

/**
 * What an LSP author writes: extend this class and override only the hooks you need; every SPI entry
 * you do not touch passes straight through to the provider below.
 *
 * <p>Hooks that return {@code int} may veto the call: return {@link #ALLOW} to let it proceed, or a
 * WSAE* code ({@link io.wsp4j.winsock.WsaErrors}) that the application then gets from
 * WSAGetLastError(). Hooks run on the application's thread, inside its Winsock call: keep them short.
 * A hook that decides (returns {@code int}) and throws fails that one call with WSAENETDOWN (logged
 * once per entry); a hook that observes a completed call ({@link #onSent}, {@link #onReceived},
 * {@link #onClose}) and throws is logged once and the call's result stands. No exception ever reaches
 * the application's process.
 *
 * <p>A hook may itself use Winsock (a remote log, a library that opens sockets): those calls come back
 * through this provider on the same thread and go straight down, running no hook. A socket a hook
 * opens is the provider's own: it is an ordinary Winsock socket to the hook, but no hook ever runs
 * for it, on any thread. {@link #onCall} runs for every call but these nested ones.
 *
 * <pre>{@code
 * public final class NoTelnet extends LayeredProvider {
 *     @Override protected int onConnect(LayeredSocket s, InetSocketAddress peer) {
 *         return peer.getPort() == 23 ? WsaErrors.WSAEACCES : ALLOW;
 *     }
 * }
 * }</pre>
 */
public abstract class LayeredProvider {
    /** The value a hook returns to let a call proceed. */
    public static final int ALLOW = 0;

    /**
     * Once per process, at the first WSPStartup, before any other hook. The provider is not up yet:
     * Winsock calls made here cannot reach this provider (its WSPStartup refuses them with
     * WSAEPROVIDERFAILEDINIT); open sockets lazily from a later hook.
     */
    protected void onStartup() {}

    /** Once per process, at the last WSPCleanup, after every other hook. */
    protected void onCleanup() {}

    /** Called at the start of every one of the 30 SPI entries (tracing, fault injection). */
    protected void onCall(SpiEntry entry) {}

    /** A socket was created below (WSPSocket, WSPJoinLeaf); a veto closes it and fails the call. */
    protected int onSocket(LayeredSocket socket) {
        return ALLOW;
    }

    /** Before WSPConnect to {@code peer} (null if the address is not IPv4/IPv6); a veto fails the connect. */
    protected int onConnect(LayeredSocket socket, InetSocketAddress peer) {
        return ALLOW;
    }

    /** A connection was accepted on {@code listener}; a veto closes {@code accepted} and fails the accept. */
    protected int onAccept(LayeredSocket listener, LayeredSocket accepted) {
        return ALLOW;
    }

    /** Before WSPSend/WSPSendTo; a veto fails the send, nothing is sent. */
    protected int onSend(LayeredSocket socket, Buffers data) {
        return ALLOW;
    }

    /** WSPSend/WSPSendTo sent {@code bytes} bytes at once (overlapped sends that are pending are not reported). */
    protected void onSent(LayeredSocket socket, Buffers data, long bytes) {}

    /** WSPRecv/WSPRecvFrom received {@code bytes} bytes at once (0: the peer closed gracefully). */
    protected void onReceived(LayeredSocket socket, Buffers data, long bytes) {}

    /** WSPCloseSocket closed the socket below; the handle is still ours until this returns. */
    protected void onClose(LayeredSocket socket) {}
}
