package io.wsp4j.provider;

import static io.wsp4j.winsock.FdEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.core.linux.EpollCompletionPort;
import io.wsp4j.core.linux.EventFd;
import io.wsp4j.select.SelectEngine;
import io.wsp4j.select.SelectRules;
import io.wsp4j.select.SendOutcome;
import io.wsp4j.winsock.WsaErrors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The event bridge over the real epoll completion port, with a lower provider that behaves like
 * Windows' WSPEventSelect/WSPEnumNetworkEvents: a per-socket record of the network events that happened
 * (selected or not), the associated event object set when a selected one is recorded, and
 * WSPEnumNetworkEvents reporting and removing the selected ones.
 */
@EnabledOnOs(OS.LINUX)
class AsyncSelectBridgeTest {
    private static final long HWND = 0x1000;
    private static final int WM_SOCKET = 0x0400 + 1;
    private static final long QUIET = 150;

    private final MessageLog messages = new MessageLog();
    private final SocketContexts sockets = new SocketContexts();
    private final Lower lower = new Lower();
    private AsyncSelectBridge bridge;
    /** Set by a test: posting while the posting thread holds this socket's monitor is recorded. */
    private volatile LayeredSocket watched;
    private volatile boolean postedUnderItsMonitor;
    /** Set by a test: a post waits for it to open (a slow WPUPostMessage), after counting down postEntered. */
    private volatile CountDownLatch postGate;
    private final CountDownLatch postEntered = new CountDownLatch(1);

    /** One lower socket: its event association and its network event record. */
    static final class LowerSocket {
        long event;
        int mask;
        int record;
        final int[] errors = new int[FD_MAX_EVENTS];
        int eventSelects;
        boolean nonBlocking;
        /** What its ioctls say waits (FD_READ, FD_OOB). */
        int waiting;
    }

    /** The lower provider's event-select behaviour, as Windows' AFD keeps it. */
    static final class Lower implements LowerEvents {
        final Map<Long, LowerSocket> byHandle = new HashMap<>();
        int failEventSelect;

        synchronized LowerSocket of(long lower) {
            return byHandle.computeIfAbsent(lower, k -> new LowerSocket());
        }

        @Override
        public synchronized int eventSelect(LayeredSocket s, long event, int mask) {
            if (failEventSelect != 0) return failEventSelect;
            LowerSocket l = of(s.lowerHandle());
            l.event = event;
            l.mask = mask;
            l.eventSelects++;
            l.nonBlocking = true;
            if (event != 0 && (l.record & mask) != 0) assertTrue(EventFd.set((int) event)); // what it holds signals the new event
            return 0;
        }

        @Override
        public synchronized int enumNetworkEvents(LayeredSocket s, long event, NetworkEvents out) {
            LowerSocket l = of(s.lowerHandle());
            if (l.event != event) return WsaErrors.WSAEINVAL;
            out.events = l.record & l.mask;
            System.arraycopy(l.errors, 0, out.errors, 0, FD_MAX_EVENTS);
            l.record &= ~l.mask;
            EventFd.reset((int) event);
            return 0;
        }

        @Override
        public synchronized int setNonBlocking(LayeredSocket s) {
            of(s.lowerHandle()).nonBlocking = true;
            return 0;
        }

        @Override
        public synchronized int dataWaiting(LayeredSocket s) {
            return of(s.lowerHandle()).waiting;
        }

        /** {@code event} happens on a lower socket: recorded, and the associated event set if it is selected. */
        synchronized void raise(long lower, int event, int error) {
            LowerSocket l = of(lower);
            l.record |= event;
            l.errors[Integer.numberOfTrailingZeros(event)] = error;
            if (l.event != 0 && (l.mask & event) != 0) assertTrue(EventFd.set((int) l.event));
        }
    }

    @BeforeEach
    void start() {
        bridge = new AsyncSelectBridge(new EpollCompletionPort(), sockets, lower, new SelectEngine(this::post, SelectRules.WINDOWS));
        bridge.start();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private boolean post(long hWnd, int wMsg, long wParam, long lParam) {
        LayeredSocket w = watched;
        if (w != null && Thread.holdsLock(w)) postedUnderItsMonitor = true;
        CountDownLatch gate = postGate;
        if (gate != null) {
            postEntered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return messages.post(hWnd, wMsg, wParam, lParam);
    }

    private LayeredSocket socket(long ours, long lowerHandle) {
        LayeredSocket s = new LayeredSocket(ours, lowerHandle, 2, 1, 6);
        assertTrue(sockets.add(s));
        bridge.opened(s);
        return s;
    }

    @Test
    void conditionsOfTheLowerSocketArePostedNamingOurHandle() throws Exception {
        LayeredSocket s = socket(400, 7);
        assertEquals(0, bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ | FD_CLOSE));
        assertEquals(AsyncSelectBridge.LOWER_MASK, lower.of(7).mask, "the lower socket reports everything to us");
        lower.raise(7, FD_READ, 0);
        assertEquals(new MessageLog.Message(HWND, WM_SOCKET, 400, FD_READ, 0), messages.next(5_000));
        lower.raise(7, FD_WRITE, 0); // not registered by the app: filtered by the engine
        assertNull(messages.next(QUIET));
    }

    @Test
    void readIsReenabledByRecvAndReassertedByTheLowerProvider() throws Exception {
        LayeredSocket s = socket(404, 8);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        lower.raise(8, FD_READ, 0);
        assertEquals(FD_READ, messages.next(5_000).event());
        lower.raise(8, FD_READ, 0); // more data before any recv: no second message (no re-enabling call)
        assertNull(messages.next(QUIET));
        // What WSPRecv does around the lower recv: the condition is re-read from below.
        long before = bridge.readReports(s);
        bridge.afterRecv(s, 0, before);
        assertNull(messages.next(QUIET), "cleared: nothing until the lower provider says data remains");
        lower.raise(8, FD_READ, 0);
        assertEquals(FD_READ, messages.next(5_000).event());
    }

    @Test
    void aReadReportThatComesWhileTheRecvIsDownIsReadWhenItIsBack_andPostedNotUnderTheSocketsMonitor() throws Exception {
        LayeredSocket s = socket(440, 17);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        lower.raise(17, FD_READ, 0);
        assertEquals(FD_READ, messages.next(5_000).event());
        long before = bridge.readReports(s); // the recv goes down ...
        lower.raise(17, FD_READ, 0);         // ... and below, data remains or more arrives, and is reported
        assertNull(messages.next(QUIET));
        assertEquals(before, bridge.engine().readSignals(s.handle()), "held back while the recv is down");
        watched = s;
        bridge.afterRecv(s, 0, before);       // ... the recv comes back
        assertEquals(FD_READ, messages.next(5_000).event(), "the report is read when the recv is back, and posted");
        assertFalse(postedUnderItsMonitor, "posted while holding the socket's monitor");
    }

    @Test
    void aWriteReportThatComesWhileAWouldBlockSendIsDownIsPosted_notUnderTheSocketsMonitor() throws Exception {
        LayeredSocket s = socket(444, 18);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_WRITE);
        lower.raise(18, FD_WRITE, 0);
        assertEquals(FD_WRITE, messages.next(5_000).event());
        long before = bridge.writeReports(s); // a send goes down and will fail with WSAEWOULDBLOCK ...
        lower.raise(18, FD_WRITE, 0);         // ... while the buffer drains and below reports FD_WRITE
        assertNull(messages.next(QUIET), "held back while the send is down");
        watched = s;
        bridge.afterSend(s, before, SendOutcome.WOULD_BLOCK); // ... the send comes back
        assertEquals(FD_WRITE, messages.next(5_000).event(), "the report that came meanwhile is posted");
        assertFalse(postedUnderItsMonitor, "posted while holding the socket's monitor");
        before = bridge.writeReports(s);      // with nothing reported meanwhile: the next FD_WRITE waits for the lower one
        bridge.afterSend(s, before, SendOutcome.WOULD_BLOCK);
        assertNull(messages.next(QUIET));
        lower.raise(18, FD_WRITE, 0);
        assertEquals(FD_WRITE, messages.next(5_000).event());
    }

    @Test
    void theDispatcherPostsAReportNotUnderTheSocketsMonitor() throws Exception {
        LayeredSocket s = socket(464, 23);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ | FD_CLOSE);
        watched = s;
        lower.raise(23, FD_READ, 0);
        lower.raise(23, FD_CLOSE, WsaErrors.WSAECONNRESET);
        assertEquals(new MessageLog.Message(HWND, WM_SOCKET, 464, FD_READ, 0), messages.next(5_000));
        assertEquals(new MessageLog.Message(HWND, WM_SOCKET, 464, FD_CLOSE, WsaErrors.WSAECONNRESET), messages.next(5_000));
        assertFalse(postedUnderItsMonitor, "the dispatcher posted while holding the socket's monitor");
    }

    @Test
    void aSlowPostByTheDispatcherDoesNotHoldUpTheSocketsCloseYetNothingComesAfterIt() throws Exception {
        LayeredSocket s = socket(468, 24);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        CountDownLatch gate = new CountDownLatch(1);
        postGate = gate;
        CountDownLatch closingReturned = new CountDownLatch(1);
        CountDownLatch closedReturned = new CountDownLatch(1);
        Thread closer = null;
        try {
            lower.raise(24, FD_READ, 0);
            assertTrue(postEntered.await(5, TimeUnit.SECONDS), "the dispatcher is posting");
            closer = Thread.ofPlatform().start(() -> {
                bridge.closing(s); // WSPCloseSocket's first step: takes the socket's monitor
                closingReturned.countDown();
                sockets.remove(s.handle());
                bridge.closed(s); // the engine forgets the socket once the message it decided is out
                closedReturned.countDown();
            });
            assertTrue(closingReturned.await(5, TimeUnit.SECONDS), "closing was held up by the dispatcher's post");
            assertFalse(closedReturned.await(200, TimeUnit.MILLISECONDS), "closed returned before the message it must follow was out");
        } finally {
            gate.countDown();
        }
        closer.join(5_000);
        assertEquals(0, closedReturned.getCount());
        assertEquals(FD_READ, messages.next(5_000).event());
        postGate = null;
        assertEquals(List.of(), messages.drain(QUIET));
    }

    @Test
    void aNeverArmedSocketsCountsAreZeroWithoutAskingTheEngine() throws Exception {
        LayeredSocket s = socket(460, 22);
        bridge.engine().signal(s.handle(), FD_READ | FD_WRITE, 0); // not from below: only the engine counts it
        assertEquals(0, bridge.readReports(s), "not engaged: the engine is not asked");
        assertEquals(0, bridge.writeReports(s));
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        assertEquals(FD_READ, messages.next(5_000).event());
        assertEquals(1, bridge.readReports(s), "engaged: the engine's count");
        assertEquals(1, bridge.writeReports(s));
    }

    @Test
    void acceptIsReenabledAndItsConditionReassertedByTheLowerProvider() throws Exception {
        LayeredSocket listener = socket(452, 20);
        bridge.asyncSelect(listener, HWND, WM_SOCKET, FD_ACCEPT);
        lower.raise(20, FD_ACCEPT, 0);
        assertEquals(FD_ACCEPT, messages.next(5_000).event());
        // What WSPAccept does around the lower accept.
        long before = bridge.acceptReports(listener);
        bridge.afterAccept(listener, before, 0);
        assertNull(messages.next(QUIET), "cleared: nothing until the lower provider says a connection waits");
        lower.raise(20, FD_ACCEPT, 0);
        assertEquals(FD_ACCEPT, messages.next(5_000).event());
    }

    @Test
    void anAcceptReportThatComesWhileTheAcceptIsDownIsPosted_notUnderTheSocketsMonitor() throws Exception {
        LayeredSocket listener = socket(456, 21);
        bridge.asyncSelect(listener, HWND, WM_SOCKET, FD_ACCEPT);
        lower.raise(21, FD_ACCEPT, 0);
        assertEquals(FD_ACCEPT, messages.next(5_000).event());
        long before = bridge.acceptReports(listener); // the accept goes down ...
        lower.raise(21, FD_ACCEPT, 0);                // ... and below, another connection is reported
        assertNull(messages.next(QUIET), "held back while the accept is down");
        watched = listener;
        bridge.afterAccept(listener, before, 0);      // ... the accept comes back
        assertEquals(FD_ACCEPT, messages.next(5_000).event(), "the report that came meanwhile is posted");
        assertFalse(postedUnderItsMonitor, "posted while holding the socket's monitor");
    }

    @Test
    void aReportThatCameWhileACallWasDownIsNotLostWhenTheCallIsBack() throws Exception {
        LayeredSocket s = socket(482, 28);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ | FD_OOB);
        long before = bridge.readReports(s);
        lower.raise(28, FD_OOB, 0);
        Thread.sleep(QUIET); // the dispatcher has come and held it back
        bridge.afterRecv(s, 0, before);
        assertEquals(FD_OOB, messages.next(5_000).event());
    }

    @Test
    void errorCodesOfTheLowerProviderReachTheMessage() throws Exception {
        LayeredSocket s = socket(408, 9);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_CONNECT);
        bridge.engine().connectStarted(s.handle());
        lower.raise(9, FD_CONNECT, WsaErrors.WSAECONNREFUSED);
        assertEquals(new MessageLog.Message(HWND, WM_SOCKET, 408, FD_CONNECT, WsaErrors.WSAECONNREFUSED), messages.next(5_000));
    }

    @Test
    void aRegistrationTakesWhatTheLowerProviderRecordedWithIt_inTheRulesOrder() throws Exception {
        LayeredSocket s = socket(470, 25);
        lower.raise(25, FD_WRITE, 0); // before any registration: recorded below, nobody signalled
        lower.raise(25, FD_READ, 0);
        assertEquals(0, bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ | FD_WRITE));
        assertEquals(List.of(new MessageLog.Message(HWND, WM_SOCKET, 470, FD_READ, 0),
                new MessageLog.Message(HWND, WM_SOCKET, 470, FD_WRITE, 0)), messages.drain(QUIET), "Windows' order: FD_READ first");
        assertEquals(0, lower.of(25).record, "the registration read the record itself");
    }

    @Test
    void aConnectThatEndedBeforeTheFirstRegistrationPostsNoConnect() throws Exception {
        LayeredSocket s = socket(474, 26);
        bridge.connectStarted(s); // a blocking connect, before any WSPAsyncSelect
        lower.raise(26, FD_CONNECT, 0);
        lower.raise(26, FD_WRITE, 0);
        assertEquals(0, bridge.asyncSelect(s, HWND, WM_SOCKET, FD_CONNECT | FD_WRITE));
        assertEquals(List.of(new MessageLog.Message(HWND, WM_SOCKET, 474, FD_WRITE, 0)), messages.drain(QUIET));
    }

    @Test
    void aConnectRecordWithNoConnectOfOursUnderWayIsNoOutcome() throws Exception {
        LayeredSocket s = socket(478, 27);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_CONNECT | FD_READ);
        lower.raise(27, FD_CONNECT, 0); // e.g. recorded again when the lower socket is armed again
        lower.raise(27, FD_READ, 0);
        assertEquals(List.of(new MessageLog.Message(HWND, WM_SOCKET, 478, FD_READ, 0)), messages.drain(QUIET));
    }

    @Test
    void theLowerSocketIsArmedOnceAndWithOurOwnEvent() {
        LayeredSocket s = socket(412, 10);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        bridge.asyncSelect(s, HWND, WM_SOCKET + 1, FD_READ | FD_WRITE);
        assertEquals(1, lower.of(10).eventSelects);
        assertNotEquals(0, s.event);
    }

    @Test
    void cancellingWithZeroStillMakesTheSocketNonBlockingAndArmsNothing() {
        LayeredSocket s = socket(416, 11);
        assertEquals(0, bridge.asyncSelect(s, HWND, WM_SOCKET, 0));
        assertTrue(lower.of(11).nonBlocking);
        assertEquals(0, lower.of(11).eventSelects);
    }

    @Test
    void cancellingAnArmedSocketDisarmsTheLowerSocketAndANewRegistrationRearmsIt() throws Exception {
        LayeredSocket s = socket(448, 19);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        assertEquals(0, bridge.asyncSelect(s, 0, 0, 0));
        assertEquals(0, lower.of(19).mask, "the lower socket no longer reports to us");
        assertEquals(0, lower.of(19).event);
        lower.raise(19, FD_READ, 0);
        assertNull(messages.next(QUIET));
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        assertEquals(AsyncSelectBridge.LOWER_MASK, lower.of(19).mask);
        lower.raise(19, FD_READ, 0);
        assertEquals(FD_READ, messages.next(5_000).event());
    }

    @Test
    void aFailingLowerEventSelectFailsTheCallAndLeavesNoRegistration() throws Exception {
        LayeredSocket s = socket(420, 12);
        lower.failEventSelect = WsaErrors.WSAENETDOWN;
        assertEquals(WsaErrors.WSAENETDOWN, bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ));
        lower.failEventSelect = 0;
        bridge.engine().signal(s.handle(), FD_READ, 0);
        assertNull(messages.next(QUIET), "no registration survived the failure");
    }

    @Test
    void anAcceptedSocketInheritsTheRegistrationAndGetsItsOwnEventAtOnce() throws Exception {
        LayeredSocket listener = socket(424, 13);
        bridge.asyncSelect(listener, HWND, WM_SOCKET, FD_ACCEPT | FD_READ);
        lower.raise(13, FD_ACCEPT, 0);
        assertEquals(new MessageLog.Message(HWND, WM_SOCKET, 424, FD_ACCEPT, 0), messages.next(5_000));
        // What WSPAccept does: our handle in the table first, then the engine, then the lower event.
        LayeredSocket accepted = new LayeredSocket(428, 14, 2, 1, 6);
        sockets.add(accepted);
        assertEquals(0, bridge.accepted(listener, accepted));
        assertEquals(1, lower.of(14).eventSelects, "the accepted lower socket gets its own event");
        assertNotEquals(listener.event, accepted.event);
        lower.raise(14, FD_READ, 0); // data that arrived right after the accept
        assertEquals(new MessageLog.Message(HWND, WM_SOCKET, 428, FD_READ, 0), messages.next(5_000));
    }

    @Test
    void afterCloseNothingIsPostedAndTheEventIsReleased() throws Exception {
        LayeredSocket s = socket(432, 15);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        long event = s.event;
        bridge.closing(s);
        lower.raise(15, FD_READ, 0);
        sockets.remove(s.handle());
        bridge.closed(s);
        assertEquals(0, s.event);
        assertEquals(List.of(), messages.drain(QUIET));
        assertFalse(EventFd.set((int) event), "the event fd was closed");
    }

    @Test
    void whileTheApplicationsEventSelectIsDownTheDispatcherLeavesTheLowerRecordAlone() throws Exception {
        LayeredSocket s = socket(437, 17);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        assertTrue(bridge.eventSelecting(s), "it was armed");
        lower.raise(17, FD_READ, 0); // reported while the application's WSPEventSelect is on its way down
        assertNull(messages.next(QUIET));
        assertEquals(FD_READ, lower.of(17).record, "the record is still there for the application's event");
        bridge.eventSelectFailed(s, true); // it failed below: ours again, and the record is read
        assertEquals(FD_READ, messages.next(5_000).event());
        assertEquals(0, lower.of(17).record);
    }

    @Test
    void aRegistrationAfterTheApplicationsEventSelectAsksWhatHolds() throws Exception {
        LayeredSocket s = socket(486, 29);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        bridge.eventSelecting(s);
        bridge.eventSelected(s); // the application's event mode consumes the lower reports
        lower.of(29).waiting = FD_READ;
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ | FD_OOB);
        assertEquals(List.of(new MessageLog.Message(HWND, WM_SOCKET, 486, FD_READ, 0)), messages.drain(QUIET));
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ | FD_OOB); // asked once: the record is ours again
        assertEquals(List.of(new MessageLog.Message(HWND, WM_SOCKET, 486, FD_READ, 0)), messages.drain(QUIET),
                "the engine keeps what it learned until a receive settles it");
    }

    @Test
    void theApplicationsOwnEventSelectCancelsTheAsyncSelectRegistration() throws Exception {
        LayeredSocket s = socket(436, 16);
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ);
        bridge.eventSelecting(s);
        bridge.eventSelected(s);
        lower.raise(16, FD_READ, 0);
        assertNull(messages.next(QUIET));
        bridge.asyncSelect(s, HWND, WM_SOCKET, FD_READ); // and a new WSPAsyncSelect re-arms below
        assertEquals(2, lower.of(16).eventSelects);
        lower.raise(16, FD_READ, 0);
        assertEquals(FD_READ, messages.next(5_000).event());
    }
}
