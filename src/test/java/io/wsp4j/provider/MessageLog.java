package io.wsp4j.provider;

import io.wsp4j.select.MessageSink;
import io.wsp4j.winsock.FdEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A MessageSink that queues what the engine posts, for tests that wait for messages. */
final class MessageLog implements MessageSink {
    record Message(long hWnd, int wMsg, long socket, int event, int error) {
        @Override
        public String toString() {
            return "Message[hWnd=" + hWnd + ", wMsg=" + wMsg + ", s=" + socket + ", "
                    + FdEvents.describe(event) + ", error=" + error + "]";
        }
    }

    private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();

    @Override
    public boolean post(long hWnd, int wMsg, long wParam, long lParam) {
        queue.add(new Message(hWnd, wMsg, wParam, FdEvents.selectEvent(lParam), FdEvents.selectError(lParam)));
        return true;
    }

    /** The next message, or null after {@code millis}. */
    Message next(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Everything that arrives within {@code millis}. */
    List<Message> drain(long millis) throws InterruptedException {
        List<Message> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Message m = queue.poll(left, TimeUnit.NANOSECONDS);
            if (m != null) all.add(m);
        }
        return all;
    }
}
