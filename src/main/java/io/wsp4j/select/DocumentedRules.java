package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;

/**
 * WSPAsyncSelect as LPWSPASYNCSELECT describes it, read to the letter: a registration posts FD_CONNECT
 * "if there is currently a connection established"; a graceful FD_CLOSE is posted "only after all the
 * received data has been read"; FD_WRITE is owed after a send "fails with WSAEWOULDBLOCK", and a
 * connectionless socket "is always writable immediately after LPWSPBind"; the re-enabling function of
 * both FD_READ and FD_OOB is "LPWSPRecv or LPWSPRecvFrom"; and resets are WSAECONNRESET.
 */
final class DocumentedRules extends RuleSet {
    private static final int[] POST_ORDER = {
        FD_CONNECT, FD_WRITE, FD_ACCEPT, FD_READ, FD_OOB, FD_CLOSE,
        FD_QOS, FD_GROUP_QOS, FD_ROUTING_INTERFACE_CHANGE, FD_ADDRESS_LIST_CHANGE
    };

    @Override
    int[] postOrder() {
        return POST_ORDER;
    }

    @Override
    boolean datagramWritableWhenOpened() {
        return false;
    }

    @Override
    void bound(SocketState st) {
        st.writable = true; // "always writable immediately after LPWSPBind"
        st.writeOwed = true;
    }

    @Override
    void registered(SocketState st) {
        st.writeOwed = true; // "when WSPAsyncSelect is called, if a send is possible"
        if (st.connected) { // "if there is currently a connection established"
            st.ready |= FD_CONNECT;
            st.setError(FD_CONNECT, 0);
        }
        if (st.peerClosed) st.ready |= FD_CLOSE; // "if the socket connection has been closed"
    }

    @Override
    boolean holdsGracefulClose() {
        return true;
    }

    @Override
    int receiveReenables(int flags) {
        return FD_READ | FD_OOB;
    }

    @Override
    boolean bufferFull(SendOutcome outcome) {
        return outcome == SendOutcome.WOULD_BLOCK;
    }
}
