package io.wsp4j.select;

import io.wsp4j.winsock.FdEvents;
import java.util.ArrayList;
import java.util.List;

/** A MessageSink that records what is posted, and can refuse the next posts like a full queue. */
final class RecordingSink implements MessageSink {
    record Posted(long hWnd, int wMsg, long socket, int event, int error) {
        @Override
        public String toString() {
            return "Posted[hWnd=" + hWnd + ", wMsg=" + wMsg + ", s=" + socket + ", "
                    + FdEvents.describe(event) + ", error=" + error + "]";
        }
    }

    private final List<Posted> posted = new ArrayList<>();
    private int refuseNext;

    @Override
    public synchronized boolean post(long hWnd, int wMsg, long wParam, long lParam) {
        if (refuseNext > 0) {
            refuseNext--;
            return false;
        }
        posted.add(new Posted(hWnd, wMsg, wParam, FdEvents.selectEvent(lParam), FdEvents.selectError(lParam)));
        return true;
    }

    synchronized void refuseNext(int n) {
        refuseNext = n;
    }

    /** Returns what was posted since the last call. */
    synchronized List<Posted> take() {
        List<Posted> out = List.copyOf(posted);
        posted.clear();
        return out;
    }
}
