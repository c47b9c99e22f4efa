package io.wsp4j.host;

import static io.wsp4j.winsock.FdEvents.FD_MAX_EVENTS;
import static io.wsp4j.winsock.FdEvents.FD_WRITE;

/**
 * One socket's WSPEventSelect state, kept as Windows' AFD keeps it: a record of the network events that
 * happened (each with its error code), the events selected, and the event object. Guarded by the
 * socket's monitor.
 * <ul>
 *   <li>An event that happens is recorded whether it is selected or not; the event object is signalled
 *       when a selected event is newly recorded, and at WSPEventSelect when a selected one is in the
 *       record. Nothing is worked out anew at WSPEventSelect: what was reported and consumed is not
 *       signalled again.
 *   <li>WSPEnumNetworkEvents reports the selected events of the record and removes only those; the
 *       others stay recorded for a later selection.
 *   <li>FD_WRITE is recorded once per chance to send: when the socket can first send (connected,
 *       accepted, a datagram socket bound or connected), then only after a send that could not take all
 *       its data.
 * </ul>
 * What counts as an event (an arrival of data, of a connection, of urgent data; a re-enabling call that
 * finds more waiting) is the base provider's to say.
 */
final class EventRecord {
    /** The event object of the socket's WSPEventSelect; 0 when it has none. */
    long event;
    /** lNetworkEvents of the socket's WSPEventSelect. */
    int selected;
    /** The events that happened since WSPEnumNetworkEvents last reported them. */
    int recorded;
    /** Each recorded event's error code, by FD_*_BIT. */
    final int[] errors = new int[FD_MAX_EVENTS];
    /** The next chance to send is recorded as FD_WRITE. */
    boolean writeArmed = true;

    /**
     * {@code events} happened, with {@code error}. Returns whether the event object must now be signalled
     * (a selected event newly in the record).
     */
    boolean happened(int events, int error) {
        if ((events & FD_WRITE) != 0) {
            if (writeArmed) writeArmed = false;
            else events &= ~FD_WRITE;
        }
        if (events == 0) return false;
        int before = recorded;
        recorded |= events;
        for (int rest = events; rest != 0; rest &= rest - 1) errors[Integer.numberOfTrailingZeros(rest)] = error;
        return event != 0 && (events & selected & ~before) != 0;
    }

    /** WSPEventSelect(event, lNetworkEvents): returns whether the event object must be signalled now. */
    boolean select(long event, int lNetworkEvents) {
        this.event = lNetworkEvents == 0 ? 0 : event;
        this.selected = lNetworkEvents;
        return this.event != 0 && (recorded & selected) != 0;
    }

    /** WSPEnumNetworkEvents: the selected events of the record, which leave it (their errors stay in {@link #errors}). */
    int report() {
        int reported = recorded & selected;
        recorded &= ~selected;
        return reported;
    }

    /** A re-enabling call (a receive, an accept): its event leaves the record until it happens again. */
    void reenable(int events) {
        recorded &= ~events;
    }

    /** A send could not take all its data: the next chance to send is recorded. */
    void sendBlocked() {
        recorded &= ~FD_WRITE;
        writeArmed = true;
    }

    /** A connect succeeded: sending is a new chance, recorded with it. */
    void connected() {
        writeArmed = true;
    }
}
