package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.select.RecordingSink.Posted;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaErrors;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately plain model of one socket's WSPAsyncSelect behaviour, written from the spec's
 * sentences with one named field per fact and no bit tricks, to check {@link SelectEngine} against.
 */
final class ReferenceModel {
    enum Ev {
        CONNECT(FD_CONNECT), WRITE(FD_WRITE), ACCEPT(FD_ACCEPT), READ(FD_READ), OOB(FD_OOB), CLOSE(FD_CLOSE),
        QOS(FD_QOS), GROUP_QOS(FD_GROUP_QOS), ROUTING(FD_ROUTING_INTERFACE_CHANGE), ADDRESS_LIST(FD_ADDRESS_LIST_CHANGE);

        final int bit;

        Ev(int bit) {
            this.bit = bit;
        }
    }

    final long socket;
    final boolean connectionOriented;
    long hWnd;
    int wMsg;
    final Map<Ev, Boolean> registered = new EnumMap<>(Ev.class);
    final Map<Ev, Boolean> mayPost = new EnumMap<>(Ev.class); // "not posted since its re-enabling call"
    final Map<Ev, Integer> error = new EnumMap<>(Ev.class);

    boolean dataToRead, urgentDataToRead, connectionWaiting, writableNow, owedFdWrite, oobInline;
    boolean connectOutcomeUnposted, connectedNow, closeUnposted, closedByPeer;
    boolean qosChanged, groupQosChanged, routingChanged, addressListChanged, routingIoctlIssued, addressIoctlIssued;

    final List<Posted> out = new ArrayList<>();

    ReferenceModel(long socket, boolean connectionOriented) {
        this.socket = socket;
        this.connectionOriented = connectionOriented;
        for (Ev e : Ev.values()) {
            registered.put(e, false);
            mayPost.put(e, false);
            error.put(e, 0);
        }
    }

    void asyncSelect(long hWnd, int wMsg, int lEvent) {
        if ((lEvent & ~FD_ALL_EVENTS) != 0) return; // WSAEINVAL: nothing changes
        this.hWnd = lEvent == 0 ? 0 : hWnd;
        this.wMsg = lEvent == 0 ? 0 : wMsg;
        for (Ev e : Ev.values()) {
            registered.put(e, (lEvent & e.bit) != 0);
            mayPost.put(e, (lEvent & e.bit) != 0);
        }
        if (lEvent != 0) {
            owedFdWrite = true; // "when AsyncSelect is called, if a send is possible"
            if (connectedNow) {
                connectOutcomeUnposted = true;
                error.put(Ev.CONNECT, 0);
            }
            if (closedByPeer) closeUnposted = true;
        }
        postWhatIsDue();
    }

    void cancel() {
        asyncSelect(0, 0, 0);
    }

    void signal(Ev e, int err) {
        switch (e) {
            case READ -> dataToRead = true;
            case OOB -> {
                if (oobInline) dataToRead = true;
                else urgentDataToRead = true;
            }
            case ACCEPT -> connectionWaiting = true;
            case WRITE -> writableNow = true;
            case CONNECT -> {
                connectOutcomeUnposted = true;
                if (err == 0) {
                    connectedNow = true;
                    writableNow = true;
                    owedFdWrite = true;
                }
            }
            case CLOSE -> {
                if (!connectionOriented) return;
                closedByPeer = true;
                closeUnposted = true;
            }
            case QOS -> qosChanged = true;
            case GROUP_QOS -> groupQosChanged = true;
            case ROUTING -> {
                if (!routingIoctlIssued) return;
                routingIoctlIssued = false;
                routingChanged = true;
            }
            case ADDRESS_LIST -> {
                if (!addressIoctlIssued) return;
                addressIoctlIssued = false;
                addressListChanged = true;
            }
        }
        Ev target = (e == Ev.OOB && oobInline) ? Ev.READ : e;
        error.put(target, err);
        postWhatIsDue();
    }

    void clear(Ev e) {
        switch (e) {
            case READ -> dataToRead = false;
            case OOB -> urgentDataToRead = false;
            case ACCEPT -> connectionWaiting = false;
            case WRITE -> writableNow = false;
            default -> throw new IllegalArgumentException(e + " is not a level condition");
        }
        postWhatIsDue();
    }

    void setOobInline(boolean on) {
        oobInline = on;
        if (on && urgentDataToRead) {
            urgentDataToRead = false;
            dataToRead = true;
            error.put(Ev.READ, error.get(Ev.OOB));
        }
        postWhatIsDue();
    }

    void bound() {
        if (connectionOriented) return;
        writableNow = true;
        owedFdWrite = true;
        postWhatIsDue();
    }

    void connectStarted() {
        connectedNow = false;
        connectOutcomeUnposted = false;
        if (registered.get(Ev.CONNECT)) mayPost.put(Ev.CONNECT, true);
    }

    void afterRecv() {
        reenable(Ev.READ);
        reenable(Ev.OOB);
        postWhatIsDue();
    }

    void afterSend(boolean wouldBlock) {
        afterSend(wouldBlock, false);
    }

    /**
     * A send returned; {@code writableSaidSince}: the network layer said the socket is writable while
     * the send ran, so a send that would have blocked does not make it unwritable (that word is newer).
     */
    void afterSend(boolean wouldBlock, boolean writableSaidSince) {
        reenable(Ev.WRITE);
        if (wouldBlock) {
            if (!writableSaidSince) writableNow = false;
            owedFdWrite = true;
        }
        postWhatIsDue();
    }

    void afterAccept(int err) {
        if (err != WsaErrors.WSATRY_AGAIN) reenable(Ev.ACCEPT);
        postWhatIsDue();
    }

    void afterIoctl(int code) {
        if (code == Ioctls.SIO_GET_QOS) reenable(Ev.QOS);
        if (code == Ioctls.SIO_GET_GROUP_QOS) reenable(Ev.GROUP_QOS);
        if (code == Ioctls.SIO_ROUTING_INTERFACE_CHANGE) {
            routingIoctlIssued = true;
            reenable(Ev.ROUTING);
        }
        if (code == Ioctls.SIO_ADDRESS_LIST_CHANGE) {
            addressIoctlIssued = true;
            reenable(Ev.ADDRESS_LIST);
        }
        postWhatIsDue();
    }

    private void reenable(Ev e) {
        if (registered.get(e)) mayPost.put(e, true);
    }

    private boolean conditionFor(Ev e) {
        return switch (e) {
            case READ -> dataToRead;
            case OOB -> urgentDataToRead;
            case ACCEPT -> connectionWaiting;
            case WRITE -> writableNow && owedFdWrite;
            case CONNECT -> connectOutcomeUnposted;
            case CLOSE -> closeUnposted && (error.get(Ev.CLOSE) != 0 || !dataToRead);
            case QOS -> qosChanged;
            case GROUP_QOS -> groupQosChanged;
            case ROUTING -> routingChanged;
            case ADDRESS_LIST -> addressListChanged;
        };
    }

    private void consume(Ev e) {
        switch (e) {
            case WRITE -> owedFdWrite = false;
            case CONNECT -> connectOutcomeUnposted = false;
            case CLOSE -> closeUnposted = false;
            case QOS -> qosChanged = false;
            case GROUP_QOS -> groupQosChanged = false;
            case ROUTING -> routingChanged = false;
            case ADDRESS_LIST -> addressListChanged = false;
            default -> {} // level conditions stay until cleared
        }
    }

    private void postWhatIsDue() {
        for (Ev e : Ev.values()) { // declaration order is the posting order
            if (registered.get(e) && mayPost.get(e) && conditionFor(e)) {
                out.add(new Posted(hWnd, wMsg, socket, e.bit, error.get(e)));
                mayPost.put(e, false);
                consume(e);
            }
        }
    }
}
