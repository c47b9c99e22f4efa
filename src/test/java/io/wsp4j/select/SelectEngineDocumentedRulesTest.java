package io.wsp4j.select;

import static io.wsp4j.winsock.FdEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.select.RecordingSink.Posted;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaErrors;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link SelectRules#DOCUMENTED} rules: one test (at least) per rule of LPWSPASYNCSELECT, numbered
 * as in the foundation issue. Each test drives the engine the way the network layer and the provider
 * would, and checks the exact messages. {@link SelectEngineWindowsRulesTest} is the Windows twin.
 */
class SelectEngineDocumentedRulesTest extends EngineFixture {
    @Override
    SelectRules rules() {
        return SelectRules.DOCUMENTED;
    }

    // ---- Windows' numbered behaviours B1 to B8, as the page has them (SelectEngineWindowsRulesTest: as Windows) ----

    @Nested
    class B1_FdConnectAlsoAtRegistration {
        @Test
        void aRegistrationOnAConnectedSocketPostsConnect_everyTime() {
            connect(S);
            register(S, FD_CONNECT | FD_WRITE);
            expect(msg(S, FD_CONNECT), msg(S, FD_WRITE));
            register(S, FD_CONNECT | FD_WRITE);
            expect(msg(S, FD_CONNECT), msg(S, FD_WRITE));
        }

        @Test
        void anAcceptedSocketIsConnectedToo() {
            engine.open(LISTENER, true);
            register(LISTENER, FD_ACCEPT | FD_CONNECT);
            engine.accepted(LISTENER, ACCEPTED);
            expectNothing(); // inherited: nothing holds but the connection, and it was not "initiated"
            register(ACCEPTED, FD_CONNECT | FD_WRITE);
            expect(msg(ACCEPTED, FD_CONNECT), msg(ACCEPTED, FD_WRITE));
        }

        @Test
        void aConnectReportWithNoConnectUnderWayIsNoOutcome() {
            register(S, FD_CONNECT);
            engine.signal(S, FD_CONNECT, 0);
            expectNothing();
        }
    }

    @Nested
    class RegistrationWithARecord {
        @Test
        void aConnectedSocketsRecordOfItsConnectIsPostedAsTheRegistrationWould() {
            int[] errors = new int[FD_MAX_EVENTS];
            SelectEngine.PendingPosts pending = new SelectEngine.PendingPosts();
            engine.connectStarted(S);
            assertTrue(engine.asyncSelect(S, HWND, WM, FD_CONNECT | FD_WRITE, FD_CONNECT | FD_WRITE, errors, pending).succeeded());
            engine.post(pending);
            expect(msg(S, FD_CONNECT), msg(S, FD_WRITE));
        }

        @Test
        void anyReceiveReenablesMoreThanItSettles() {
            assertFalse(engine.receiveSettlesAlone(0), "a receive re-enables FD_OOB too, and a graceful FD_CLOSE waits for the data");
            assertFalse(engine.receiveSettlesAlone(io.wsp4j.winsock.Ws2Def.MSG_OOB));
        }
    }

    @Nested
    class B2_GracefulCloseWaitsForTheData {
        @Test
        void heldUntilTheDataIsRead() {
            register(S, FD_READ | FD_CLOSE);
            engine.signal(S, FD_READ | FD_CLOSE, 0);
            expect(msg(S, FD_READ));
            engine.clear(S, FD_READ);
            expect(msg(S, FD_CLOSE));
        }
    }

    @Nested
    class B3_AbortIsConnReset {
        @Test
        void theRulesSayConnReset() {
            assertEquals(WsaErrors.WSAECONNRESET, SelectRules.DOCUMENTED.resetError());
            register(S, FD_READ | FD_CLOSE);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
            engine.signal(S, FD_CLOSE, SelectRules.DOCUMENTED.resetError()); // an abort does not wait for the data
            expect(msg(S, FD_CLOSE, WsaErrors.WSAECONNRESET));
        }
    }

    @Nested
    class B4_ReselectPostsWhatHolds_connectIncluded {
        @Test
        void readWriteCloseAndConnect() {
            connect(S);
            engine.signal(S, FD_CLOSE, 0);
            register(S, FD_ALL_EVENTS);
            expect(msg(S, FD_CONNECT), msg(S, FD_WRITE), msg(S, FD_CLOSE));
            engine.signal(S, FD_READ, 0); // arrives after the close: the close is posted, the data too
            expect(msg(S, FD_READ));
            register(S, FD_ALL_EVENTS);
            expect(msg(S, FD_CONNECT), msg(S, FD_WRITE), msg(S, FD_READ)); // FD_CLOSE waits for the data again
        }
    }

    @Nested
    class B5_FdWriteAfterWouldBlockOnly {
        @Test
        void aShortSendIsASendThatWentThrough() {
            connect(S);
            register(S, FD_WRITE);
            expect(msg(S, FD_WRITE));
            engine.afterSend(S, SendOutcome.SHORT);
            engine.signal(S, FD_WRITE, 0);
            expectNothing();
            engine.afterSend(S, SendOutcome.WOULD_BLOCK);
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void aDatagramSocketIsWritableFromItsBind() {
            engine.open(T, false);
            register(T, FD_WRITE);
            expectNothing();
            engine.bound(T);
            expect(msg(T, FD_WRITE));
        }
    }

    @Nested
    class B6_AnyReceiveReenablesReadAndOob {
        @Test
        void msgOobOrNot() {
            register(S, FD_READ | FD_OOB);
            engine.signal(S, FD_READ | FD_OOB, 0);
            expect(msg(S, FD_READ), msg(S, FD_OOB));
            engine.afterRecv(S, io.wsp4j.winsock.Ws2Def.MSG_OOB);
            expect(msg(S, FD_READ), msg(S, FD_OOB));
            engine.afterRecv(S, 0);
            expect(msg(S, FD_READ), msg(S, FD_OOB));
        }
    }

    @Nested
    class B7_LocalShutdownIsNotAClose {
        @Test
        void onlyThePeersCloseIsFdClose() {
            connect(S);
            register(S, FD_READ | FD_CLOSE);
            expectNothing();
            register(S, FD_READ | FD_CLOSE); // after shutdown(SD_RECEIVE): nothing closed
            expectNothing();
            engine.signal(S, FD_CLOSE, 0); // "the remote system has responded with an end-of-data notification"
            expect(msg(S, FD_CLOSE));
        }
    }

    @Nested
    class B8_OrderConnectWriteAcceptReadOobClose {
        @Test
        void writeBeforeRead() {
            connect(S);
            engine.signal(S, FD_OOB | FD_READ, 0);
            register(S, FD_READ | FD_OOB | FD_WRITE);
            expect(msg(S, FD_WRITE), msg(S, FD_READ), msg(S, FD_OOB));
        }
    }

    @Nested
    class Rule01_RegistrationReplacesAndCancels {
        @Test
        void rule1_newAsyncSelectReplacesThePreviousOne() {
            register(S, FD_READ);
            register(S, FD_WRITE | FD_OOB);
            sink.take();
            engine.signal(S, FD_READ, 0);
            expectNothing();
            engine.signal(S, FD_OOB, 0);
            expect(msg(S, FD_OOB));
        }

        @Test
        void rule1_asyncSelectReplacesEventSelect() {
            register(S, FD_READ);
            engine.eventSelect(S); // WSPEventSelect cancels the AsyncSelect registration
            engine.signal(S, FD_READ, 0);
            expectNothing();
            assertEquals(RegisterOutcome.OK_REPLACED_EVENT_SELECT, engine.asyncSelect(S, HWND, WM, FD_READ));
            assertTrue(RegisterOutcome.OK_REPLACED_EVENT_SELECT.replacedEventSelect());
            expect(msg(S, FD_READ)); // the condition still holds: posted at registration
            assertEquals(RegisterOutcome.OK, engine.asyncSelect(S, HWND, WM, FD_READ), "replaced only once");
        }

        @Test
        void rule1_lEventZeroCancelsAllNotification() {
            register(S, FD_ALL_EVENTS);
            sink.take();
            assertEquals(RegisterOutcome.OK, engine.asyncSelect(S, 0, 0, 0));
            engine.signal(S, FD_READ | FD_OOB | FD_ACCEPT | FD_QOS, 0);
            engine.signal(S, FD_CONNECT, 0);
            engine.signal(S, FD_CLOSE, 0);
            engine.afterRecv(S);
            engine.afterSend(S, false);
            expectNothing();
        }

        @Test
        void rule1_successfulRegistrationTellsTheCallerToMakeTheSocketNonBlocking() {
            RegisterOutcome ok = engine.asyncSelect(S, HWND, WM, FD_READ);
            assertTrue(ok.mustSetNonBlocking());
            assertTrue(engine.asyncSelect(S, 0, 0, 0).mustSetNonBlocking(), "even lEvent = 0 sets non-blocking");
            assertFalse(engine.asyncSelect(S, HWND, WM, 1 << 12).mustSetNonBlocking());
            assertFalse(engine.asyncSelect(999, HWND, WM, FD_READ).mustSetNonBlocking());
        }
    }

    @Nested
    class Rule02_OneMessagePerEventSameWMsg {
        @Test
        void rule2_eachEventIsItsOwnMessageWithTheRegistrationsWMsg() {
            register(S, FD_READ | FD_OOB | FD_QOS);
            engine.signal(S, FD_READ | FD_OOB | FD_QOS, 0);
            expect(msg(S, FD_READ), msg(S, FD_OOB), msg(S, FD_QOS));
        }

        @Test
        void rule2_theSpecsIncorrectExample_secondCallReplacesNeverAdds() {
            assertTrue(engine.asyncSelect(S, HWND, WM, FD_READ).succeeded());
            assertTrue(engine.asyncSelect(S, HWND2, WM2, FD_WRITE).succeeded());
            sink.take();
            engine.signal(S, FD_READ, 0);
            expectNothing(); // FD_READ with wMsg1 is gone
            engine.afterSend(S, true);
            engine.signal(S, FD_WRITE, 0);
            assertEquals(List.of(new Posted(HWND2, WM2, S, FD_WRITE, 0)), sink.take());
        }
    }

    @Nested
    class Rule03_Persistence {
        @Test
        void rule3_listenThenConnectionArrivesThenRegister_postsFdAcceptAtOnce() {
            engine.open(LISTENER, true);
            engine.signal(LISTENER, FD_ACCEPT, 0); // a connect request, not yet accepted
            expectNothing();
            register(LISTENER, FD_ACCEPT);
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void rule3_dataAlreadyThereAtRegistration_postsFdRead() {
            engine.signal(S, FD_READ, 0);
            register(S, FD_READ);
            expect(msg(S, FD_READ));
        }

        @Test
        void rule3_conditionTrueAtReenable_isPosted() {
            register(S, FD_READ);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
            engine.afterRecv(S); // data still there (not cleared)
            expect(msg(S, FD_READ));
        }

        @Test
        void rule3_peerClosedBeforeRegistration_postsFdCloseAtRegistration() {
            engine.signal(S, FD_CLOSE, 0); // graceful close, no unread data
            expectNothing();
            register(S, FD_CLOSE);
            expect(msg(S, FD_CLOSE));
        }

        @Test
        void rule3_edgeEventThatHappenedBeforeRegistration_isPostedAtRegistration() {
            engine.signal(S, FD_QOS, 0);
            register(S, FD_QOS);
            expect(msg(S, FD_QOS));
        }
    }

    @Nested
    class Rule04_ReenablingFunctions {
        @Test
        void rule4_fdRead_notPostedAgainUntilRecvOrRecvFrom() {
            register(S, FD_READ);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
            engine.signal(S, FD_READ, 0); // more data arrives
            engine.afterSend(S, false);
            engine.afterAccept(S, 0);
            engine.afterIoctl(S, Ioctls.SIO_GET_QOS);
            expectNothing();
            engine.afterRecv(S);
            expect(msg(S, FD_READ));
        }

        @Test
        void rule4_fdOob_reenabledByRecv() {
            register(S, FD_OOB);
            engine.signal(S, FD_OOB, 0);
            expect(msg(S, FD_OOB));
            engine.afterSend(S, false);
            expectNothing();
            engine.afterRecv(S);
            expect(msg(S, FD_OOB));
        }

        @Test
        void rule4_fdWrite_reenabledBySendOrSendTo() {
            register(S, FD_WRITE);
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
            engine.clear(S, FD_WRITE);
            engine.afterRecv(S);
            engine.signal(S, FD_WRITE, 0);
            expectNothing(); // no re-enable, and no FD_WRITE owed
            engine.afterSend(S, true);
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void rule4_fdAccept_reenabledByAccept_exceptWhenItReturnedWsaTryAgain() {
            engine.open(LISTENER, true);
            register(LISTENER, FD_ACCEPT);
            engine.signal(LISTENER, FD_ACCEPT, 0);
            expect(msg(LISTENER, FD_ACCEPT));
            engine.afterAccept(LISTENER, WsaErrors.WSATRY_AGAIN); // CF_DEFER
            expectNothing();
            engine.afterAccept(LISTENER, 0);
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void rule4_aFailingCallReenablesToo() {
            engine.open(LISTENER, true);
            register(LISTENER, FD_ACCEPT);
            engine.signal(LISTENER, FD_ACCEPT, 0);
            expect(msg(LISTENER, FD_ACCEPT));
            engine.afterAccept(LISTENER, WsaErrors.WSAECONNRESET); // accept failed
            expect(msg(LISTENER, FD_ACCEPT));

            register(S, FD_WRITE);
            sink.take();
            engine.afterSend(S, true); // a failing send (WSAEWOULDBLOCK) re-enables
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void rule4_fdConnectAndFdClose_haveNoReenablingFunction() {
            register(S, FD_CONNECT | FD_CLOSE);
            engine.connectStarted(S);
            engine.signal(S, FD_CONNECT, 0);
            expect(msg(S, FD_CONNECT));
            engine.signal(S, FD_CLOSE, 0);
            expect(msg(S, FD_CLOSE));
            engine.afterRecv(S);
            engine.afterSend(S, false);
            engine.afterAccept(S, 0);
            for (int code : new int[] {Ioctls.SIO_GET_QOS, Ioctls.SIO_GET_GROUP_QOS,
                    Ioctls.SIO_ROUTING_INTERFACE_CHANGE, Ioctls.SIO_ADDRESS_LIST_CHANGE}) {
                engine.afterIoctl(S, code);
            }
            engine.signal(S, FD_CONNECT | FD_CLOSE, 0);
            expectNothing();
        }

        @Test
        void rule4_fdQos_reenabledOnlyBySioGetQos() {
            register(S, FD_QOS);
            engine.signal(S, FD_QOS, 0);
            expect(msg(S, FD_QOS));
            engine.signal(S, FD_QOS, 0); // another change while disabled
            engine.afterIoctl(S, Ioctls.SIO_GET_GROUP_QOS);
            engine.afterIoctl(S, Ioctls.SIO_SET_QOS);
            engine.afterRecv(S);
            expectNothing();
            engine.afterIoctl(S, Ioctls.SIO_GET_QOS);
            expect(msg(S, FD_QOS));
        }

        @Test
        void rule4_fdGroupQos_reenabledOnlyBySioGetGroupQos() {
            register(S, FD_GROUP_QOS);
            engine.signal(S, FD_GROUP_QOS, 0);
            expect(msg(S, FD_GROUP_QOS));
            engine.signal(S, FD_GROUP_QOS, 0);
            engine.afterIoctl(S, Ioctls.SIO_GET_QOS);
            expectNothing();
            engine.afterIoctl(S, Ioctls.SIO_GET_GROUP_QOS);
            expect(msg(S, FD_GROUP_QOS));
        }
    }

    @Nested
    class Rule05_LevelTriggered {
        @Test
        void rule5_fdRead_repostedAfterRecvWhileDataRemains_notOnceDrained() {
            register(S, FD_READ);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
            engine.afterRecv(S);
            expect(msg(S, FD_READ));
            engine.clear(S, FD_READ); // the recv read everything
            engine.afterRecv(S);
            expectNothing();
        }

        @Test
        void rule5_fdOob_levelTriggered() {
            register(S, FD_OOB);
            engine.signal(S, FD_OOB, 0);
            expect(msg(S, FD_OOB));
            engine.afterRecv(S);
            expect(msg(S, FD_OOB));
            engine.clear(S, FD_OOB);
            engine.afterRecv(S);
            expectNothing();
        }

        @Test
        void rule5_fdAccept_levelTriggered() {
            engine.open(LISTENER, true);
            register(LISTENER, FD_ACCEPT);
            engine.signal(LISTENER, FD_ACCEPT, 0);
            expect(msg(LISTENER, FD_ACCEPT));
            engine.afterAccept(LISTENER, 0); // another connection is waiting
            expect(msg(LISTENER, FD_ACCEPT));
            engine.clear(LISTENER, FD_ACCEPT);
            engine.afterAccept(LISTENER, 0);
            expectNothing();
        }
    }

    /** The accept's one-step clear and re-enable: what the layered provider's WSPAccept reports. */
    @Nested
    class Rule05_AcceptWithTheSignalsItSaw {
        @BeforeEach
        void listen() {
            engine.open(LISTENER, true);
            register(LISTENER, FD_ACCEPT);
            engine.signal(LISTENER, FD_ACCEPT, 0);
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void noSignalSinceItWentDown_theConditionIsClearedAndReenabled() {
            long before = engine.acceptSignals(LISTENER);
            engine.afterAccept(LISTENER, 0, before);
            expectNothing(); // the accept took the connection the last FD_ACCEPT was about
            engine.signal(LISTENER, FD_ACCEPT, 0); // the next connection
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void aSignalThatRacedTheAccept_isKeptAndPosted() {
            long before = engine.acceptSignals(LISTENER);
            engine.signal(LISTENER, FD_ACCEPT, 0); // another connection, reported while the accept ran
            expectNothing(); // not re-enabled yet
            engine.afterAccept(LISTENER, 0, before);
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void wsaTryAgain_clearsButDoesNotReenable() {
            long before = engine.acceptSignals(LISTENER);
            engine.afterAccept(LISTENER, WsaErrors.WSATRY_AGAIN, before); // CF_DEFER
            engine.signal(LISTENER, FD_ACCEPT, 0);
            expectNothing();
            engine.afterAccept(LISTENER, 0, before); // a signal came since: kept
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void aFailedAcceptReenablesToo() {
            long before = engine.acceptSignals(LISTENER);
            engine.signal(LISTENER, FD_ACCEPT, 0);
            engine.afterAccept(LISTENER, WsaErrors.WSAECONNRESET, before);
            expect(msg(LISTENER, FD_ACCEPT));
        }

        @Test
        void signalsAreCountedPerSocketAndOnlyForFdAccept() {
            long before = engine.acceptSignals(LISTENER);
            engine.signal(LISTENER, FD_READ | FD_WRITE | FD_CLOSE, 0);
            engine.signal(S, FD_ACCEPT, 0);
            assertEquals(before, engine.acceptSignals(LISTENER));
            engine.signal(LISTENER, FD_ACCEPT, WsaErrors.WSAENETDOWN);
            assertEquals(before + 1, engine.acceptSignals(LISTENER));
            assertEquals(0, engine.acceptSignals(0xDEAD), "unknown socket");
        }

        @Test
        void afterCloseNothingIsPosted() {
            long before = engine.acceptSignals(LISTENER);
            engine.signal(LISTENER, FD_ACCEPT, 0);
            engine.closed(LISTENER);
            engine.afterAccept(LISTENER, 0, before);
            expectNothing();
        }
    }

    /** The receive's one-step clear and re-enable: what the layered provider's WSPRecv reports. */
    @Nested
    class Rule05_RecvWithTheSignalsItSaw {
        @BeforeEach
        void dataArrived() {
            register(S, FD_READ | FD_OOB | FD_CLOSE);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
        }

        @Test
        void noSignalSinceItWentDown_theConditionIsClearedAndReenabled() {
            long before = engine.readSignals(S);
            engine.afterRecv(S, before);
            expectNothing(); // the recv took the data the last FD_READ was about
            engine.signal(S, FD_READ, 0); // more data
            expect(msg(S, FD_READ));
        }

        @Test
        void aSignalThatRacedTheRecv_isKeptAndPosted() {
            long before = engine.readSignals(S);
            engine.signal(S, FD_READ, 0); // more data, reported while the recv ran
            expectNothing(); // not re-enabled yet
            engine.afterRecv(S, before);
            expect(msg(S, FD_READ));
        }

        @Test
        void urgentDataThatRacedTheRecv_keepsFdReadToo() {
            engine.signal(S, FD_OOB, 0);
            expect(msg(S, FD_OOB));
            long before = engine.readSignals(S);
            engine.signal(S, FD_OOB, 0); // one count for FD_READ and FD_OOB: either keeps both
            engine.afterRecv(S, before);
            expect(msg(S, FD_READ), msg(S, FD_OOB));
        }

        @Test
        void drainingReleasesTheGracefulCloseItHeldBack() {
            engine.signal(S, FD_CLOSE, 0);
            expectNothing(); // data still to read
            engine.afterRecv(S, engine.readSignals(S));
            expect(msg(S, FD_CLOSE));
        }

        @Test
        void aRacedSignalStillHoldsBackTheGracefulClose() {
            engine.signal(S, FD_CLOSE, 0);
            long before = engine.readSignals(S);
            engine.signal(S, FD_READ, 0);
            engine.afterRecv(S, before);
            expect(msg(S, FD_READ)); // FD_CLOSE waits until that data is read
            engine.afterRecv(S, engine.readSignals(S));
            expect(msg(S, FD_CLOSE));
        }

        @Test
        void signalsAreCountedPerSocketAndOnlyForFdReadAndFdOob() {
            long before = engine.readSignals(S);
            engine.signal(S, FD_WRITE | FD_ACCEPT | FD_CLOSE | FD_QOS, 0);
            engine.open(T, true);
            engine.signal(T, FD_READ, 0);
            assertEquals(before, engine.readSignals(S));
            engine.signal(S, FD_READ, WsaErrors.WSAENETDOWN);
            assertEquals(before + 1, engine.readSignals(S));
            engine.setOobInline(S, true);
            engine.signal(S, FD_OOB, 0); // reported as FD_READ, counted all the same
            assertEquals(before + 2, engine.readSignals(S));
            assertEquals(0, engine.readSignals(0xDEAD), "unknown socket");
        }

        @Test
        void afterCloseNothingIsPosted() {
            long before = engine.readSignals(S);
            engine.signal(S, FD_READ, 0);
            engine.closed(S);
            engine.afterRecv(S, before);
            expectNothing();
        }
    }

    @Nested
    class Rule06_EdgeTriggered {
        @Test
        void rule6_fdQos_oncePerChange() {
            register(S, FD_QOS);
            engine.signal(S, FD_QOS, 0);
            expect(msg(S, FD_QOS));
            engine.afterIoctl(S, Ioctls.SIO_GET_QOS); // renegotiated, but no new change
            expectNothing();
            engine.signal(S, FD_QOS, 0);
            expect(msg(S, FD_QOS));
        }

        @Test
        void rule6_routingInterfaceChange_onlyAfterItsIoctl_andAgainOnlyAfterReissue() {
            register(S, FD_ROUTING_INTERFACE_CHANGE);
            engine.signal(S, FD_ROUTING_INTERFACE_CHANGE, 0); // no ioctl yet
            expectNothing();
            engine.afterIoctl(S, Ioctls.SIO_ROUTING_INTERFACE_CHANGE);
            expectNothing(); // the change before the ioctl does not count
            engine.signal(S, FD_ROUTING_INTERFACE_CHANGE, WsaErrors.WSAENETUNREACH);
            expect(msg(S, FD_ROUTING_INTERFACE_CHANGE, WsaErrors.WSAENETUNREACH));
            engine.signal(S, FD_ROUTING_INTERFACE_CHANGE, 0);
            expectNothing(); // not reissued
            engine.afterIoctl(S, Ioctls.SIO_ROUTING_INTERFACE_CHANGE);
            expectNothing(); // reissued, no change since
            engine.signal(S, FD_ROUTING_INTERFACE_CHANGE, 0);
            expect(msg(S, FD_ROUTING_INTERFACE_CHANGE));
        }

        @Test
        void rule6_addressListChange_onlyAfterItsIoctl_andAgainOnlyAfterReissue() {
            register(S, FD_ADDRESS_LIST_CHANGE);
            engine.signal(S, FD_ADDRESS_LIST_CHANGE, 0);
            engine.afterIoctl(S, Ioctls.SIO_ROUTING_INTERFACE_CHANGE); // the other ioctl
            engine.signal(S, FD_ADDRESS_LIST_CHANGE, 0);
            expectNothing();
            engine.afterIoctl(S, Ioctls.SIO_ADDRESS_LIST_CHANGE);
            engine.signal(S, FD_ADDRESS_LIST_CHANGE, 0);
            engine.signal(S, FD_ADDRESS_LIST_CHANGE, 0);
            expect(msg(S, FD_ADDRESS_LIST_CHANGE));
            engine.afterIoctl(S, Ioctls.SIO_ADDRESS_LIST_CHANGE);
            engine.signal(S, FD_ADDRESS_LIST_CHANGE, 0);
            expect(msg(S, FD_ADDRESS_LIST_CHANGE));
        }
    }

    @Nested
    class Rule07_FdWrite {
        @Test
        void rule7_onConnectCompletion_afterFdConnect() {
            register(S, FD_CONNECT | FD_WRITE);
            engine.connectStarted(S);
            engine.signal(S, FD_CONNECT, 0);
            expect(msg(S, FD_CONNECT), msg(S, FD_WRITE));
        }

        @Test
        void rule7_onAccept() {
            engine.open(LISTENER, true);
            register(LISTENER, FD_ACCEPT | FD_WRITE);
            engine.accepted(LISTENER, ACCEPTED);
            expect(msg(ACCEPTED, FD_WRITE));
        }

        @Test
        void rule7_atRegistrationIfSendingIsPossible() {
            engine.signal(S, FD_WRITE, 0);
            expectNothing();
            register(S, FD_WRITE);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void rule7_afterWouldBlock_whenSpaceReturns() {
            register(S, FD_WRITE);
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
            engine.afterSend(S, true);
            expectNothing(); // not writable now
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void rule7_notOtherwise_sendsThatSucceedOweNoFdWrite() {
            register(S, FD_WRITE);
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
            for (int i = 0; i < 3; i++) {
                engine.afterSend(S, false);
                engine.signal(S, FD_WRITE, 0);
            }
            expectNothing();
        }

        @Test
        void rule7_connectionlessSocket_writableRightAfterBind() {
            engine.open(T, false);
            register(T, FD_WRITE);
            expectNothing(); // unbound: not known to be writable yet
            engine.bound(T);
            expect(msg(T, FD_WRITE));
        }

        @Test
        void rule7_failedConnect_isNoFdWrite() {
            register(S, FD_CONNECT | FD_WRITE);
            engine.connectStarted(S);
            engine.signal(S, FD_CONNECT, WsaErrors.WSAECONNREFUSED);
            expect(msg(S, FD_CONNECT, WsaErrors.WSAECONNREFUSED));
        }
    }

    /** The send's one-step re-enable: what the layered provider's WSPSend reports. */
    @Nested
    class Rule07_SendWithTheSignalsItSaw {
        @BeforeEach
        void writable() {
            register(S, FD_WRITE);
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void wouldBlockWithNoSignalSince_waitsForTheNextFdWrite() {
            engine.afterSend(S, true, engine.writeSignals(S));
            expectNothing(); // not writable now
            engine.signal(S, FD_WRITE, 0);
            expect(msg(S, FD_WRITE));
        }

        @Test
        void anFdWriteThatRacedAWouldBlockSend_isPostedWithItsErrorCode() {
            long before = engine.writeSignals(S);
            engine.signal(S, FD_WRITE, WsaErrors.WSAENETDOWN); // the buffer drained (or the net went) while the send ran
            expectNothing(); // not re-enabled yet, and nothing owed
            engine.afterSend(S, true, before);
            expect(msg(S, FD_WRITE, WsaErrors.WSAENETDOWN));
            engine.afterSend(S, true, engine.writeSignals(S)); // the next one waits again
            expectNothing();
        }

        @Test
        void aSendThatWentThrough_owesNothingRacedOrNot() {
            long before = engine.writeSignals(S);
            engine.signal(S, FD_WRITE, 0);
            engine.afterSend(S, false, before);
            expectNothing();
            engine.signal(S, FD_WRITE, 0);
            expectNothing();
        }

        @Test
        void signalsAreCountedPerSocketAndOnlyForFdWrite() {
            long before = engine.writeSignals(S);
            engine.signal(S, FD_READ | FD_OOB | FD_ACCEPT | FD_CLOSE, 0);
            engine.open(T, true);
            engine.signal(T, FD_WRITE, 0);
            assertEquals(before, engine.writeSignals(S));
            engine.signal(S, FD_WRITE, 0);
            assertEquals(before + 1, engine.writeSignals(S));
            assertEquals(0, engine.writeSignals(0xDEAD), "unknown socket");
        }

        @Test
        void afterCloseNothingIsPosted() {
            long before = engine.writeSignals(S);
            engine.signal(S, FD_WRITE, 0);
            engine.closed(S);
            engine.afterSend(S, true, before);
            expectNothing();
        }
    }

    @Nested
    class Rule08_OobInline {
        @Test
        void rule8_fdOob_whenSoOobInlineIsOff() {
            register(S, FD_READ | FD_OOB);
            engine.signal(S, FD_OOB, 0);
            expect(msg(S, FD_OOB));
        }

        @Test
        void rule8_withSoOobInlineOn_urgentDataIsFdRead() {
            register(S, FD_READ | FD_OOB);
            engine.setOobInline(S, true);
            engine.signal(S, FD_OOB, 0);
            expect(msg(S, FD_READ));
            engine.afterRecv(S);
            expect(msg(S, FD_READ));
            engine.clear(S, FD_READ);
            engine.afterRecv(S);
            expectNothing();
        }

        @Test
        void rule8_turningOobInlineOn_turnsPendingUrgentDataIntoFdRead() {
            engine.signal(S, FD_OOB, 0);
            engine.setOobInline(S, true);
            register(S, FD_READ | FD_OOB);
            expect(msg(S, FD_READ));
        }
    }

    @Nested
    class Rule09_FdClose {
        @Test
        void rule9_gracefulClose_postedOnlyAfterAllDataWasRead_withErrorZero_andNoFdReadForIt() {
            register(S, FD_READ | FD_CLOSE);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
            engine.signal(S, FD_CLOSE, 0); // FIN behind unread data
            expectNothing();
            engine.afterRecv(S); // read part of it
            expect(msg(S, FD_READ));
            engine.clear(S, FD_READ); // read the rest
            expect(msg(S, FD_CLOSE, 0));
            engine.afterRecv(S);
            expectNothing(); // no FD_READ for the end of data
        }

        @Test
        void rule9_gracefulCloseIsHeldEvenWhenFdReadIsNotRegistered() {
            register(S, FD_CLOSE);
            engine.signal(S, FD_READ, 0);
            engine.signal(S, FD_CLOSE, 0);
            expectNothing();
            engine.clear(S, FD_READ);
            expect(msg(S, FD_CLOSE));
        }

        @Test
        void rule9_abortiveClose_carriesTheError_atOnce() {
            for (int err : new int[] {WsaErrors.WSAECONNRESET, WsaErrors.WSAECONNABORTED, WsaErrors.WSAENETDOWN}) {
                engine.closed(S);
                engine.open(S, true);
                register(S, FD_READ | FD_CLOSE);
                engine.signal(S, FD_READ, 0);
                expect(msg(S, FD_READ));
                engine.signal(S, FD_CLOSE, err); // data still unread: an abort does not wait
                expect(msg(S, FD_CLOSE, err));
            }
        }

        @Test
        void rule9_neverAfterTheLocalSideCalledClosesocket() {
            register(S, FD_CLOSE);
            engine.closed(S);
            engine.signal(S, FD_CLOSE, 0);
            expectNothing();
        }

        @Test
        void rule9_onlyOnConnectionOrientedSockets() {
            engine.open(T, false);
            register(T, FD_CLOSE);
            engine.signal(T, FD_CLOSE, 0);
            expectNothing();
        }

        @Test
        void rule9_closeThatHappenedBeforeRegistration_isPostedAtRegistration() {
            engine.signal(S, FD_CLOSE, 0);
            register(S, FD_CLOSE);
            expect(msg(S, FD_CLOSE));
        }
    }

    @Nested
    class Rule10_FdConnect {
        @Test
        void rule10_postedWhenTheOutcomeIsKnown_successOrFailure() {
            for (int err : new int[] {0, WsaErrors.WSAECONNREFUSED, WsaErrors.WSAETIMEDOUT, WsaErrors.WSAENETUNREACH}) {
                engine.closed(S);
                engine.open(S, true);
                register(S, FD_CONNECT);
                engine.connectStarted(S);
                expectNothing(); // outcome not known yet
                engine.signal(S, FD_CONNECT, err);
                expect(msg(S, FD_CONNECT, err));
            }
        }

        @Test
        void rule10_evenWhenConnectCompletedImmediately_datagram() {
            engine.open(T, false);
            register(T, FD_CONNECT);
            engine.connectStarted(T);
            engine.signal(T, FD_CONNECT, 0); // UDP connect succeeds at once
            expect(msg(T, FD_CONNECT));
            engine.connectStarted(T); // a datagram socket may connect again: a new outcome
            engine.signal(T, FD_CONNECT, 0);
            expect(msg(T, FD_CONNECT));
        }

        @Test
        void rule10_registeringOnAnAlreadyConnectedSocket_postsFdConnect() {
            engine.connectStarted(S);
            engine.signal(S, FD_CONNECT, 0);
            register(S, FD_CONNECT);
            expect(msg(S, FD_CONNECT));
        }
    }

    @Nested
    class Rule11_AcceptedSocketsInherit {
        @Test
        void rule11_acceptedSocketInheritsHWndWMsgAndLEvent() {
            engine.open(LISTENER, true);
            assertTrue(engine.asyncSelect(LISTENER, HWND2, WM2, FD_ACCEPT | FD_READ).succeeded());
            engine.accepted(LISTENER, ACCEPTED);
            engine.signal(ACCEPTED, FD_READ | FD_OOB, 0);
            assertEquals(List.of(new Posted(HWND2, WM2, ACCEPTED, FD_READ, 0)), sink.take());
            // a new registration on the accepted socket replaces what it inherited
            assertTrue(engine.asyncSelect(ACCEPTED, HWND, WM, FD_OOB).succeeded());
            expect(msg(ACCEPTED, FD_OOB));
        }

        @Test
        void rule11_socketAcceptedFromAnUnregisteredListenerGetsNothing() {
            engine.open(LISTENER, true);
            engine.accepted(LISTENER, ACCEPTED);
            engine.signal(ACCEPTED, FD_READ, 0);
            expectNothing();
        }
    }

    @Nested
    class Rule12_NothingAfterCloseOrCancel {
        @Test
        void rule12_afterClosesocket_nothingIsPosted_evenForQueuedConditions() {
            register(S, FD_ALL_EVENTS);
            sink.take();
            engine.closed(S);
            engine.signal(S, FD_ALL_EVENTS, 0);
            engine.afterRecv(S);
            engine.afterSend(S, true);
            engine.retryRefused();
            expectNothing();
            assertEquals(RegisterOutcome.NOT_SOCKET, engine.asyncSelect(S, HWND, WM, FD_READ));
        }

        @Test
        void rule12_afterCancel_conditionsAlreadyHeldAreNotPosted() {
            register(S, FD_READ);
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ));
            engine.cancel(S);
            engine.afterRecv(S); // data still there, re-enable: but cancelled
            engine.signal(S, FD_READ, 0);
            expectNothing();
        }

        @Test
        void rule12_closesocketWaitsForAPostInFlight_soNothingArrivesAfterItReturns() throws Exception {
            CountDownLatch inPost = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            SelectEngine slow = new SelectEngine((h, m, w, l) -> {
                inPost.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                order.add("posted");
                return true;
            });
            slow.open(S, true);
            slow.asyncSelect(S, HWND, WM, FD_READ);
            Thread poster = Thread.ofPlatform().start(() -> slow.signal(S, FD_READ, 0));
            inPost.await();
            Thread closer = Thread.ofPlatform().start(() -> {
                slow.closed(S);
                order.add("closed");
            });
            while (closer.getState() != Thread.State.WAITING) Thread.onSpinWait();
            release.countDown();
            poster.join();
            closer.join();
            assertEquals(List.of("posted", "closed"), order);
        }
    }

    /** A network-event record decided under the caller's lock, posted after it: the layered provider's dispatcher. */
    @Nested
    class DeferredPosts {
        final int[] errors = new int[FD_MAX_EVENTS];
        final SelectEngine.PendingPosts pending = new SelectEngine.PendingPosts();

        @Test
        void nothingIsPostedUntilPost_thenEachEventWithItsOwnCode_inPostingOrder() {
            register(S, FD_READ | FD_CONNECT | FD_CLOSE);
            engine.connectStarted(S);
            errors[Integer.numberOfTrailingZeros(FD_CLOSE)] = WsaErrors.WSAECONNRESET;
            engine.signal(S, FD_CLOSE | FD_READ | FD_CONNECT, errors, pending);
            expectNothing();
            engine.post(pending);
            expect(msg(S, FD_CONNECT), msg(S, FD_READ), msg(S, FD_CLOSE, WsaErrors.WSAECONNRESET));
            engine.post(pending);
            expectNothing(); // posted once
        }

        @Test
        void theDecisionIsTheEnginesAtSignal_asForAnImmediateSignal() {
            register(S, FD_READ);
            engine.signal(S, FD_READ, errors, pending);
            engine.signal(S, FD_READ, 0); // FD_READ is already decided, not re-enabled
            expectNothing();
            engine.post(pending);
            expect(msg(S, FD_READ));
            assertEquals(2, engine.readSignals(S), "counted at each signal");
        }

        @Test
        void messagesNotPostedYetCannotBeOverwritten() {
            register(S, FD_READ);
            engine.signal(S, FD_READ, errors, pending);
            assertThrows(IllegalStateException.class, () -> engine.signal(S, FD_OOB, errors, pending));
            engine.post(pending);
            expect(msg(S, FD_READ));
            engine.signal(S, FD_READ, errors, pending); // empty again: usable, decides nothing here
            engine.post(pending);
            expectNothing();
        }

        @Test
        void unknownOrClosedSocketLeavesNothingToPost() {
            engine.signal(0xDEAD, FD_READ, errors, pending);
            register(S, FD_READ);
            engine.closed(S);
            engine.signal(S, FD_READ, errors, pending);
            engine.post(pending);
            expectNothing();
        }

        @Test
        void closeWaitsForDecidedMessages_whichGoOutBeforeItReturns() throws Exception {
            register(S, FD_READ);
            engine.signal(S, FD_READ, errors, pending);
            List<String> order = new CopyOnWriteArrayList<>();
            Thread closer = Thread.ofPlatform().start(() -> {
                engine.closed(S);
                order.add("closed");
            });
            while (closer.getState() != Thread.State.WAITING) Thread.onSpinWait();
            order.add("posting");
            engine.post(pending);
            closer.join();
            assertEquals(List.of("posting", "closed"), order);
            expect(msg(S, FD_READ));
        }
    }

    @Nested
    class Rule13_BadInputChangesNothing {
        @Test
        void rule13_invalidLEventBits_wsaeinval_andTheRegistrationStands() {
            register(S, FD_READ);
            RegisterOutcome bad = engine.asyncSelect(S, HWND2, WM2, FD_READ | (1 << FD_MAX_EVENTS));
            assertEquals(RegisterOutcome.INVALID_ARGUMENT, bad);
            assertEquals(WsaErrors.WSAEINVAL, bad.errorCode());
            engine.signal(S, FD_READ, 0);
            expect(msg(S, FD_READ)); // the old hWnd/wMsg still count
        }

        @Test
        void rule13_unknownSocket_wsaenotsock() {
            RegisterOutcome r = engine.asyncSelect(0x999, HWND, WM, FD_READ);
            assertEquals(RegisterOutcome.NOT_SOCKET, r);
            assertEquals(WsaErrors.WSAENOTSOCK, r.errorCode());
            assertEquals(1, engine.size());
            expectNothing();
        }
    }

    @Nested
    class RefusedPosts {
        @Test
        void aRefusedPostIsNotLost_itIsPostedOnRetry() {
            register(S, FD_READ | FD_CONNECT);
            sink.refuseNext(2);
            engine.connectStarted(S);
            engine.signal(S, FD_CONNECT, WsaErrors.WSAECONNREFUSED); // refused
            engine.signal(S, FD_READ, 0); // held behind the refused FD_CONNECT, to keep the order
            expectNothing();
            assertTrue(engine.hasRefused());
            assertEquals(1, engine.retryRefused()); // refused again
            expectNothing();
            assertEquals(1, engine.retryRefused());
            expect(msg(S, FD_CONNECT, WsaErrors.WSAECONNREFUSED), msg(S, FD_READ));
            assertFalse(engine.hasRefused());
            engine.retryRefused();
            expectNothing(); // posted once, not twice
        }

        @Test
        void aRefusedPostOfAnOldRegistration_isNotRetriedUnderTheNewOne() {
            register(S, FD_QOS);
            sink.refuseNext(1);
            engine.signal(S, FD_QOS, 0);
            assertTrue(engine.asyncSelect(S, HWND2, WM2, FD_READ).succeeded());
            engine.retryRefused();
            expectNothing();
        }
    }
}
