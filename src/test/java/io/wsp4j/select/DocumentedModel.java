package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.select.RecordingSink.Posted;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SelectRules#DOCUMENTED} as a plain model: written from the spec's sentences with one named
 * field per fact and no bit tricks. Its posting order is {@link #ORDER}.
 */
final class DocumentedModel implements ReferenceModel {
    private static final Ev[] ORDER = {
        Ev.CONNECT, Ev.WRITE, Ev.ACCEPT, Ev.READ, Ev.OOB, Ev.CLOSE, Ev.QOS, Ev.GROUP_QOS, Ev.ROUTING, Ev.ADDRESS_LIST
    };

    final long socket;
    final boolean connectionOriented;
    long hWnd;
    int wMsg;
    final Map<Ev, Boolean> registered = new EnumMap<>(Ev.class);
    final Map<Ev, Boolean> mayPost = new EnumMap<>(Ev.class); // "not posted since its re-enabling call"
    final Map<Ev, Integer> error = new EnumMap<>(Ev.class);

    boolean dataToRead, urgentDataToRead, connectionWaiting, writableNow, owedFdWrite, oobInline;
    boolean connectOutcomeUnposted, connectedNow, connectUnderWay, closeUnposted, closedByPeer;
    boolean qosChanged, groupQosChanged, routingChanged, addressListChanged, routingIoctlIssued, addressIoctlIssued;

    final List<Posted> out = new ArrayList<>();

    DocumentedModel(long socket, boolean connectionOriented) {
        this.socket = socket;
        this.connectionOriented = connectionOriented;
        for (Ev e : Ev.values()) {
            registered.put(e, false);
            mayPost.put(e, false);
            error.put(e, 0);
        }
    }

    @Override
    public List<Posted> out() {
        return out;
    }

    @Override
    public void asyncSelect(long hWnd, int wMsg, int lEvent) {
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

    @Override
    public void signal(Ev e, int err) {
        switch (e) {
            case READ -> dataToRead = true;
            case OOB -> {
                if (oobInline) dataToRead = true;
                else urgentDataToRead = true;
            }
            case ACCEPT -> connectionWaiting = true;
            case WRITE -> writableNow = true;
            case CONNECT -> {
                if (!connectUnderWay) return; // only the outcome of a connect counts
                connectUnderWay = false;
                connectOutcomeUnposted = true;
                if (err == 0) {
                    connectedNow = true;
                    writableNow = true;
                    owedFdWrite = true;
                    reenable(Ev.WRITE); // "after connect, when the connection is established"
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

    @Override
    public void clear(Ev e) {
        switch (e) {
            case READ -> dataToRead = false;
            case OOB -> urgentDataToRead = false;
            case ACCEPT -> connectionWaiting = false;
            case WRITE -> writableNow = false;
            default -> throw new IllegalArgumentException(e + " is not a level condition");
        }
        postWhatIsDue();
    }

    @Override
    public void setOobInline(boolean on) {
        oobInline = on;
        if (on && urgentDataToRead) {
            urgentDataToRead = false;
            dataToRead = true;
            error.put(Ev.READ, error.get(Ev.OOB));
        }
        postWhatIsDue();
    }

    @Override
    public void bound() {
        if (connectionOriented) return;
        writableNow = true;
        owedFdWrite = true;
        postWhatIsDue();
    }

    @Override
    public void connectStarted() {
        connectUnderWay = true;
        connectedNow = false;
        connectOutcomeUnposted = false;
        if (registered.get(Ev.CONNECT)) mayPost.put(Ev.CONNECT, true);
    }

    /** "FD_READ, FD_OOB: LPWSPRecv or LPWSPRecvFrom", whatever the flags. */
    @Override
    public void afterRecv(int flags) {
        reenable(Ev.READ);
        reenable(Ev.OOB);
        postWhatIsDue();
    }

    @Override
    public void receiveDrained(int flags) {
        if ((flags & Ws2Def.MSG_OOB) != 0) urgentDataToRead = false;
        else dataToRead = false;
    }

    /** "After LPWSPSend or LPWSPSendTo fail with WSAEWOULDBLOCK": a short send is a send that went through. */
    @Override
    public void afterSend(SendOutcome outcome, boolean writableSaidSince) {
        boolean wouldBlock = outcome == SendOutcome.WOULD_BLOCK;
        reenable(Ev.WRITE);
        if (wouldBlock) {
            if (!writableSaidSince) writableNow = false;
            owedFdWrite = true;
        }
        postWhatIsDue();
    }

    @Override
    public void afterAccept(int err) {
        if (err != WsaErrors.WSATRY_AGAIN) reenable(Ev.ACCEPT);
        postWhatIsDue();
    }

    @Override
    public void afterIoctl(int code) {
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
        for (Ev e : ORDER) {
            if (registered.get(e) && mayPost.get(e) && conditionFor(e)) {
                out.add(new Posted(hWnd, wMsg, socket, e.bit, error.get(e)));
                mayPost.put(e, false);
                consume(e);
            }
        }
    }
}
