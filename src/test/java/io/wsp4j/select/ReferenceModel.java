package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.select.RecordingSink.Posted;
import java.util.List;

/**
 * A deliberately plain model of one socket's WSPAsyncSelect behaviour under one {@link SelectRules},
 * to check {@link SelectEngine} against: {@link WindowsModel} and {@link DocumentedModel}, each written
 * from its own rules with one named field per fact and no bit tricks.
 */
interface ReferenceModel {
    enum Ev {
        CONNECT(FD_CONNECT), WRITE(FD_WRITE), ACCEPT(FD_ACCEPT), READ(FD_READ), OOB(FD_OOB), CLOSE(FD_CLOSE),
        QOS(FD_QOS), GROUP_QOS(FD_GROUP_QOS), ROUTING(FD_ROUTING_INTERFACE_CHANGE), ADDRESS_LIST(FD_ADDRESS_LIST_CHANGE);

        final int bit;

        Ev(int bit) {
            this.bit = bit;
        }
    }

    /** What the model posted since the caller last cleared it. */
    List<Posted> out();

    void asyncSelect(long hWnd, int wMsg, int lEvent);

    default void cancel() {
        asyncSelect(0, 0, 0);
    }

    void signal(Ev e, int err);

    /** A level condition (READ, OOB, ACCEPT, WRITE) no longer holds. */
    void clear(Ev e);

    void setOobInline(boolean on);

    void bound();

    void connectStarted();

    /** A receive called with {@code flags} returned. */
    void afterRecv(int flags);

    /**
     * A receive called with {@code flags} took all the data of its kind the network layer had reported
     * (urgent data for MSG_OOB, else data): that condition clears, and the {@link #afterRecv} that
     * follows posts.
     */
    void receiveDrained(int flags);

    /**
     * A send returned with {@code outcome}; {@code writableSaidSince}: the network layer said the socket
     * is writable while the send ran, so a send that found the buffer full does not make it unwritable.
     */
    void afterSend(SendOutcome outcome, boolean writableSaidSince);

    void afterAccept(int err);

    void afterIoctl(int code);
}
