package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.select.RecordingSink.Posted;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link SelectRules#WINDOWS} rules (the default): one nested class per numbered behaviour of
 * Windows' message mode — B1 FD_CONNECT only as a connect's outcome, B2 FD_CLOSE at once, B3 an
 * abortive close is WSAECONNABORTED, B4 a re-select re-posts what holds now, B5 FD_WRITE, B6 re-enabling
 * receives, B7 a local shutdown is not a close, B8 order. {@link SelectEngineDocumentedRulesTest} has the
 * same behaviours under the page's reading (its B1 to B8) besides the page's own numbered rules; the
 * host's conformance suites use the same numbers.
 */
class SelectEngineWindowsRulesTest extends EngineFixture {
    @Override
    SelectRules rules() {
        return SelectRules.WINDOWS;
    }

    @Test
    void theDefaultRulesAreWindows() {
        assertEquals(SelectRules.WINDOWS, SelectRules.parse(null));
        assertEquals(SelectRules.WINDOWS, SelectRules.parse(" Windows "));
        assertEquals(SelectRules.DOCUMENTED, SelectRules.parse("DOCUMENTED"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelectRules.parse("docs"));
        assertTrue(e.getMessage().contains("wsp4j.asyncselect=docs"), e.getMessage());
        assertEquals(SelectRules.configured(), new SelectEngine(sink).rules(), "an engine made without rules follows the property");
    }

    @Nested
    class B1_FdConnectOnlyAsAConnectsOutcome {
        @Test
        void theOutcomeIsPostedOnce_successOrFailure() {
            for (int err : new int[] {0, WsaErrors.WSAECONNREFUSED, WsaErrors.WSAETIMEDOUT}) {
                engine.closed(S);
                engine.open(S, true);
                register(S, FD_CONNECT);
                engine.connectStarted(S);
                expectNothing();
                engine.signal(S, FD_CONNECT, err);
                expect(msg(S, FD_CONNECT, err));
                engine.signal(S, FD_CONNECT, err); // reported again: no connect under way
                expectNothing();
            }
        }

        @Test
        void aRegistrationOnAConnectedSocketPostsNoConnect() {
            connect(S); // e.g. a blocking connect, before any registration
            register(S, FD_CONNECT | FD_WRITE);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void aReselectPostsNoConnect() {
            register(S, FD_CONNECT | FD_WRITE);
            connect(S);
            expect(msg(S, FD_CONNECT), msg(S, FD_WRITE));
            register(S, FD_CONNECT | FD_WRITE);
            expect(msg(S, FD_WRITE));
            assertEquals(RegisterOutcome.OK, engine.asyncSelect(S, 0, 0, 0));
            register(S, FD_CONNECT | FD_WRITE);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void anAcceptedSocketGetsNoConnect_inheritedOrRegistered() {
            engine.open(LISTENER, true);
            register(LISTENER, FD_ACCEPT | FD_CONNECT | FD_WRITE);
            engine.accepted(LISTENER, ACCEPTED);
            expect(msg(ACCEPTED, FD_WRITE));
            register(ACCEPTED, FD_CONNECT | FD_WRITE | FD_READ);
            expect(msg(ACCEPTED, FD_WRITE));
        }

        @Test
        void anOutcomeThatFoundNoRegistrationForItIsGone() {
            register(S, FD_READ);
            connect(S);
            expectNothing();
            register(S, FD_CONNECT | FD_WRITE);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void aConnectReportWithNoConnectUnderWayIsDropped() {
            register(S, FD_CONNECT | FD_WRITE);
            engine.signal(S, FD_CONNECT, 0); // a lower provider's record when it is armed again
            expectNothing();
        }

        @Test
        void aDatagramConnectPostsConnectThenWriteAgain() {
            engine.open(T, false);
            register(T, FD_CONNECT | FD_WRITE);
            expect(msg(T, FD_WRITE)); // writable from the start, unbound
            connect(T);
            expect(msg(T, FD_CONNECT), msg(T, FD_WRITE));
        }
    }

    @Nested
    class B2_FdCloseAtOnce {
        @Test
        void gracefulCloseWithUnreadData_readFirstThenCloseAtOnce() {
            register(S, FD_READ | FD_CLOSE);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
            engine.signal(S, FD_CLOSE, 0); // FIN behind unread data
            expect(msg(S, FD_CLOSE));
        }

        @Test
        void dataAndCloseReportedTogether_readThenClose() {
            register(S, FD_READ | FD_CLOSE);
            engine.signal(S, FD_CLOSE | FD_READ, 0);
            expect(msg(S, FD_READ), msg(S, FD_CLOSE));
        }

        @Test
        void readingTheRestPostsNothingFurther() {
            register(S, FD_READ | FD_CLOSE);
            engine.signal(S, FD_READ | FD_CLOSE, 0);
            sink.take();
            engine.afterRecv(S); // part of the data
            expect(msg(S, FD_READ));
            engine.clear(S, FD_READ); // the rest
            engine.afterRecv(S);
            expectNothing(); // no FD_READ for the end of data, no second FD_CLOSE
        }

        @Test
        void notHeldWhenFdReadIsNotRegisteredEither() {
            register(S, FD_CLOSE);
            engine.signal(S, FD_READ | FD_CLOSE, 0);
            expect(msg(S, FD_CLOSE));
        }
    }

    @Nested
    class B3_AbortIsConnAborted {
        @Test
        void theRulesSayConnAborted_andTheEnginePostsTheCodeItIsGiven() {
            assertEquals(WsaErrors.WSAECONNABORTED, SelectRules.WINDOWS.resetError());
            register(S, FD_READ | FD_CLOSE);
            engine.signal(S, FD_CLOSE, SelectRules.WINDOWS.resetError());
            expect(msg(S, FD_CLOSE, WsaErrors.WSAECONNABORTED));
        }

        @Test
        void aReselectPostsTheSameCodeAgain() {
            register(S, FD_CLOSE);
            engine.signal(S, FD_CLOSE, WsaErrors.WSAECONNABORTED);
            expect(msg(S, FD_CLOSE, WsaErrors.WSAECONNABORTED));
            register(S, FD_CLOSE);
            expect(msg(S, FD_CLOSE, WsaErrors.WSAECONNABORTED));
        }
    }

    @Nested
    class B4_ReselectRepostsWhatHoldsNow {
        @Test
        void sameMask_dataUrgentDataWritableAndClose() {
            connect(S);
            register(S, FD_READ | FD_OOB | FD_WRITE | FD_CLOSE | FD_CONNECT);
            expect(msg(S, FD_WRITE));
            engine.signal(S, FD_READ | FD_OOB | FD_CLOSE, 0);
            expect(msg(S, FD_READ), msg(S, FD_OOB), msg(S, FD_CLOSE));
            register(S, FD_READ | FD_OOB | FD_WRITE | FD_CLOSE | FD_CONNECT);
            expect(msg(S, FD_READ), msg(S, FD_OOB), msg(S, FD_WRITE), msg(S, FD_CLOSE));
        }

        @Test
        void aNewMask_orZeroThenAMask() {
            connect(S);
            engine.signal(S, FD_READ, 0);
            register(S, FD_READ);
            expect(msg(S, FD_READ));
            register(S, FD_WRITE | FD_READ);
            expect(msg(S, FD_READ), msg(S, FD_WRITE));
            assertEquals(RegisterOutcome.OK, engine.asyncSelect(S, 0, 0, 0));
            expectNothing();
            register(S, FD_READ | FD_WRITE | FD_CONNECT);
            expect(msg(S, FD_READ), msg(S, FD_WRITE));
        }

        @Test
        void aPendingConnection() {
            engine.open(LISTENER, true);
            register(LISTENER, FD_ACCEPT);
            engine.signal(LISTENER, FD_ACCEPT, 0);
            expect(msg(LISTENER, FD_ACCEPT));
            register(LISTENER, FD_ACCEPT);
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void whatNoLongerHoldsIsNotPosted() {
            connect(S);
            register(S, FD_READ | FD_WRITE);
            engine.signal(S, FD_READ, 0);
            sink.take();
            engine.afterRecv(S, engine.readSignals(S)); // the receive took it all
            engine.afterSend(S, SendOutcome.WOULD_BLOCK);
            expectNothing();
            register(S, FD_READ | FD_WRITE);
            expectNothing();
        }
    }

    @Nested
    class B5_FdWrite {
        @Test
        void whenAConnectionIsEstablished_connectOrAccept() {
            register(S, FD_WRITE);
            expectNothing(); // not connected: not writable
            connect(S);
            expect(msg(S, FD_WRITE));
            engine.open(LISTENER, true);
            register(LISTENER, FD_WRITE);
            engine.accepted(LISTENER, ACCEPTED);
            expect(msg(ACCEPTED, FD_WRITE));
        }

        @Test
        void aDatagramSocketAtRegistrationEvenUnbound_andNothingMoreAtBind() {
            engine.open(T, false);
            register(T, FD_WRITE);
            expect(msg(T, FD_WRITE));
            engine.bound(T);
            expectNothing();
        }

        @Test
        void aShortSendOwesFdWriteForWhenSpaceFrees() {
            connect(S);
            register(S, FD_WRITE);
            expect(msg(S, FD_WRITE));
            engine.afterSend(S, SendOutcome.SHORT);
            expectNothing(); // not writable now
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void aWouldBlockSendOwesFdWriteToo() {
            connect(S);
            register(S, FD_WRITE);
            sink.take();
            engine.afterSend(S, SendOutcome.WOULD_BLOCK);
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void aCompleteSendNeitherPostsNorRearms() {
            connect(S);
            register(S, FD_WRITE);
            expect(msg(S, FD_WRITE));
            for (int i = 0; i < 3; i++) {
                engine.afterSend(S, SendOutcome.COMPLETE);
                engine.signal(S, FD_WRITE, 0);
            }
            expectNothing();
        }
    }

    @Nested
    class B6_ReenablingReceives {
        @Test
        void successFailureAndPeekReenableFdRead_andItIsPostedWhileDataRemains() {
            register(S, FD_READ);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
            engine.afterRecv(S, 0); // succeeded, data remains
            expect(msg(S, FD_READ));
            engine.afterRecv(S, 0); // failed (WSAEFAULT): re-enables all the same
            expect(msg(S, FD_READ));
            engine.afterRecv(S, Ws2Def.MSG_PEEK);
            expect(msg(S, FD_READ));
        }

        @Test
        void msgOobReenablesFdOob_notFdRead() {
            register(S, FD_READ | FD_OOB);
            engine.signal(S, FD_READ | FD_OOB, 0);
            expect(msg(S, FD_READ), msg(S, FD_OOB));
            engine.afterRecv(S, Ws2Def.MSG_OOB | Ws2Def.MSG_PEEK);
            expect(msg(S, FD_OOB));
            engine.afterRecv(S, 0);
            expect(msg(S, FD_READ)); // and FD_OOB stays disabled
            engine.clear(S, FD_OOB);
            engine.afterRecv(S, Ws2Def.MSG_OOB);
            expectNothing();
        }

        @Test
        void aReceiveThatTookTheDataAnnouncesNothing() {
            register(S, FD_READ);
            long before = engine.readSignals(S); // an overlapped receive goes down before the data arrives
            engine.afterRecv(S, 0, before);
            expectNothing(); // it takes the data as it arrives: the network layer reports nothing
            engine.signal(S, FD_READ, 0); // data nobody took
            expect(msg(S, FD_READ));
        }
    }

    @Nested
    class B7_LocalShutdownIsNotAClose {
        @Test
        void onlyThePeersCloseIsFdClose_evenAfterASelectOnAHalfClosedSocket() {
            // The engine has no input for a local shutdown: the network layer reports only the peer's.
            connect(S);
            register(S, FD_READ | FD_WRITE | FD_CLOSE);
            expect(msg(S, FD_WRITE));
            register(S, FD_READ | FD_WRITE | FD_CLOSE); // after shutdown(SD_RECEIVE): nothing closed
            expect(msg(S, FD_WRITE));
            engine.signal(S, FD_CLOSE, 0); // the peer's shutdown(SD_SEND)
            expect(msg(S, FD_CLOSE));
        }
    }

    @Nested
    class B8_Order {
        @Test
        void connectThenWrite() {
            register(S, FD_WRITE | FD_CONNECT | FD_READ);
            engine.connectStarted(S);
            engine.signal(S, FD_CONNECT | FD_READ, 0);
            expect(msg(S, FD_CONNECT), msg(S, FD_READ), msg(S, FD_WRITE));
        }

        @Test
        void onReselect_readBeforeWrite_everythingInMsafdsOrder() {
            engine.open(LISTENER, true);
            engine.signal(LISTENER, FD_ACCEPT, 0);
            connect(S);
            engine.signal(S, FD_CLOSE | FD_OOB | FD_READ | FD_QOS, 0);
            register(S, FD_ALL_EVENTS);
            expect(msg(S, FD_READ), msg(S, FD_OOB), msg(S, FD_WRITE), msg(S, FD_CLOSE), msg(S, FD_QOS));
            register(LISTENER, FD_ALL_EVENTS);
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void theOrderIsTheRules() {
            assertEquals(List.of(FD_CONNECT, FD_READ, FD_OOB, FD_WRITE, FD_ACCEPT, FD_CLOSE, FD_QOS, FD_GROUP_QOS,
                    FD_ROUTING_INTERFACE_CHANGE, FD_ADDRESS_LIST_CHANGE),
                    java.util.Arrays.stream(SelectRules.WINDOWS.rules.postOrder()).boxed().toList());
        }
    }

    /** A registration with what the network layer finds at that moment (the host's look, a lower provider's record). */
    @Nested
    class RegistrationWithWhatHoldsNow {
        final int[] errors = new int[FD_MAX_EVENTS];
        final SelectEngine.PendingPosts pending = new SelectEngine.PendingPosts();

        @Test
        void levelsFoundAtRegistrationArePostedWithIt_inTheRulesOrder() {
            connect(S);
            assertEquals(RegisterOutcome.OK, engine.asyncSelect(S, HWND, WM, FD_READ | FD_WRITE, FD_READ));
            expect(msg(S, FD_READ), msg(S, FD_WRITE)); // not FD_WRITE first and FD_READ when its signal comes
        }

        @Test
        void aRecordReadAtRegistration_postedWhenTheCallerPosts_withEachEventsCode() {
            connect(S);
            errors[bitOf(FD_CLOSE)] = WsaErrors.WSAECONNABORTED;
            assertTrue(engine.asyncSelect(S, HWND, WM, FD_READ | FD_CLOSE, FD_READ | FD_CLOSE, errors, pending).succeeded());
            expectNothing();
            engine.post(pending);
            expect(msg(S, FD_READ), msg(S, FD_CLOSE, WsaErrors.WSAECONNABORTED));
        }

        @Test
        void aConnectsOutcomeInTheRecordHappenedBeforeTheRegistration_soItIsNotPosted() {
            engine.connectStarted(S); // a blocking connect, no registration while it ran
            assertTrue(engine.asyncSelect(S, HWND, WM, FD_CONNECT | FD_WRITE, FD_CONNECT | FD_WRITE, errors, pending).succeeded());
            engine.post(pending);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void pendingPostsNotPostedYetCannotBeReused() {
            assertTrue(engine.asyncSelect(S, HWND, WM, FD_READ, FD_READ, errors, pending).succeeded());
            assertThrows(IllegalStateException.class, () -> engine.asyncSelect(S, HWND, WM, FD_READ, FD_READ, errors, pending));
            engine.post(pending);
            expect(msg(S, FD_READ));
        }
    }

    /** What a receive settled by counts clears: the kind of data it took, which the network layer reports again if some remains. */
    @Nested
    class ReceivesSettleTheirKind {
        @Test
        void anOobReceiveSettlesUrgentDataOnly_theDataStillHolds() {
            connect(S);
            register(S, FD_READ | FD_OOB);
            engine.signal(S, FD_READ | FD_OOB, 0);
            expect(msg(S, FD_READ), msg(S, FD_OOB));
            engine.afterRecv(S, Ws2Def.MSG_OOB, engine.readSignals(S));
            expectNothing();
            register(S, FD_READ | FD_OOB);
            expect(msg(S, FD_READ)); // the data is still there; the urgent data was taken
        }

        @Test
        void aReceiveSettlesAloneUnderTheseRules() {
            assertTrue(engine.receiveSettlesAlone(0));
            assertTrue(engine.receiveSettlesAlone(Ws2Def.MSG_OOB | Ws2Def.MSG_PEEK));
        }
    }

    @Test
    void messagesCarryTheRegistrationsWindowAndMessage() {
        assertTrue(engine.asyncSelect(S, HWND2, WM2, FD_READ).succeeded());
        engine.signal(S, FD_READ, 0);
        assertEquals(List.of(new Posted(HWND2, WM2, S, FD_READ, 0)), sink.take());
    }
}
