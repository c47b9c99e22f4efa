package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.winsock.Ws2Def;

/**
 * WSPAsyncSelect as Windows 10/11's base provider behaves (msafd, which polls AFD for what holds and
 * posts FD_CONNECT from its connect routine): where it departs from the SPI page, this class says so.
 * <ol>
 *   <li>FD_CONNECT is only a connect's outcome: a registration never posts it, not even on a socket
 *       that is connected (the page: "when WSPAsyncSelect is called, if there is currently a connection
 *       established"), and an outcome that found no registration for it is gone.
 *   <li>A graceful FD_CLOSE is posted as soon as the peer's close arrives, after FD_READ for data still
 *       unread (the page holds it until all data is read).
 *   <li>A reset is FD_CLOSE with WSAECONNABORTED ({@link SelectRules#resetError()}; the page: WSAECONNRESET).
 *   <li>A registration re-posts what holds now: FD_READ, FD_OOB, FD_ACCEPT, FD_WRITE, FD_CLOSE.
 *   <li>FD_WRITE is owed after a send that could not take all its data: WSAEWOULDBLOCK or a short send
 *       (the page: WSAEWOULDBLOCK only). A datagram socket is writable from the moment it exists, bound
 *       or not (the page: from its bind).
 *   <li>A receive re-enables FD_READ; one with MSG_OOB re-enables FD_OOB instead (the page: any receive
 *       re-enables both).
 *   <li>Posting order: FD_CONNECT, FD_READ, FD_OOB, FD_WRITE, FD_ACCEPT, FD_CLOSE, then the rest, msafd's
 *       order (FD_CONNECT first: msafd posts FD_WRITE only once the connect is done).
 * </ol>
 */
final class WindowsRules extends RuleSet {
    private static final int[] POST_ORDER = {
        FD_CONNECT, FD_READ, FD_OOB, FD_WRITE, FD_ACCEPT, FD_CLOSE,
        FD_QOS, FD_GROUP_QOS, FD_ROUTING_INTERFACE_CHANGE, FD_ADDRESS_LIST_CHANGE
    };

    @Override
    int[] postOrder() {
        return POST_ORDER;
    }

    @Override
    boolean datagramWritableWhenOpened() {
        return true;
    }

    @Override
    void bound(SocketState st) {
        // Writable since it was opened: FD_WRITE was owed at registration, a bind owes none.
    }

    @Override
    void registered(SocketState st) {
        st.ready &= ~FD_CONNECT; // an outcome not posted when it happened is never posted
        st.writeOwed = true; // FD_WRITE if writable now
        if (st.peerClosed) st.ready |= FD_CLOSE; // again, with the error it carried
    }

    @Override
    boolean holdsGracefulClose() {
        return false;
    }

    @Override
    int receiveReenables(int flags) {
        return (flags & Ws2Def.MSG_OOB) != 0 ? FD_OOB : FD_READ;
    }

    @Override
    boolean bufferFull(SendOutcome outcome) {
        return outcome != SendOutcome.COMPLETE;
    }
}
