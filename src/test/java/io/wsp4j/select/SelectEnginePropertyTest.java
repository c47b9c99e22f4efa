package io.wsp4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsp4j.select.ReferenceModel.Ev;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.util.List;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of registrations, conditions and re-enabling calls: the engine must post exactly
 * the messages its rules' plain reference model posts, after every step: {@link WindowsModel} for
 * {@link SelectRules#WINDOWS}, {@link DocumentedModel} for {@link SelectRules#DOCUMENTED}.
 */
class SelectEnginePropertyTest {
    static final long S = 0x2A4;

    sealed interface Step {
        void apply(SelectEngine engine, ReferenceModel model);
    }

    record Register(long hWnd, int wMsg, int lEvent) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.asyncSelect(S, hWnd, wMsg, lEvent);
            m.asyncSelect(hWnd, wMsg, lEvent);
        }
    }

    record Cancel() implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.cancel(S);
            m.cancel();
        }
    }

    record Signal(Ev event, int error) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.signal(S, event.bit, error);
            m.signal(event, error);
        }
    }

    /** The same signal, decided with a record of error codes and posted after (the layered dispatcher's form). */
    record SignalDeferred(Ev event, int error) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            int[] errors = new int[FdEvents.FD_MAX_EVENTS];
            errors[Integer.numberOfTrailingZeros(event.bit)] = error;
            SelectEngine.PendingPosts pending = new SelectEngine.PendingPosts();
            e.signal(S, event.bit, errors, pending);
            e.post(pending);
            m.signal(event, error);
        }
    }

    record Clear(Ev event) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.clear(S, event.bit);
            m.clear(event);
        }
    }

    record OobInline(boolean on) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.setOobInline(S, on);
            m.setOobInline(on);
        }
    }

    record Bound() implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.bound(S);
            m.bound();
        }
    }

    record ConnectStarted() implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.connectStarted(S);
            m.connectStarted();
        }
    }

    /** A receive with {@code flags} (0, MSG_OOB, MSG_PEEK, both). */
    record Recv(int flags) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            if (flags == 0) e.afterRecv(S);
            else e.afterRecv(S, flags);
            m.afterRecv(flags);
        }
    }

    /** A receive with nothing reported while it ran: the engine's one-step clear and re-enable. */
    record RecvDrained(int flags) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            if (flags == 0) e.afterRecv(S, e.readSignals(S));
            else e.afterRecv(S, flags, e.readSignals(S));
            m.receiveDrained(flags);
            m.afterRecv(flags);
        }
    }

    /** A receive during which the network layer reported data (or urgent data) again: that report is kept. */
    record RecvRaced(int flags, Ev event, int signalError) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            long before = e.readSignals(S);
            e.signal(S, event.bit, signalError);
            m.signal(event, signalError);
            e.afterRecv(S, flags, before);
            m.afterRecv(flags);
        }
    }

    record Send(SendOutcome outcome) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            if (outcome == SendOutcome.SHORT) e.afterSend(S, outcome);
            else e.afterSend(S, outcome == SendOutcome.WOULD_BLOCK); // the boolean form, as callers use it
            m.afterSend(outcome, false);
        }
    }

    /** A send with no FD_WRITE reported while it ran, handing back the count: as {@link Send}. */
    record SendQuiet(SendOutcome outcome) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.afterSend(S, outcome, e.writeSignals(S));
            m.afterSend(outcome, false);
        }
    }

    /** A send during which the network layer reported FD_WRITE: that report stands. */
    record SendRaced(SendOutcome outcome, int signalError) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            long before = e.writeSignals(S);
            e.signal(S, FdEvents.FD_WRITE, signalError);
            m.signal(Ev.WRITE, signalError);
            e.afterSend(S, outcome, before);
            m.afterSend(outcome, true);
        }
    }

    record Accept(int error) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.afterAccept(S, error);
            m.afterAccept(error);
        }
    }

    /** An accept with nothing reported while it ran: the engine's one-step clear and re-enable. */
    record AcceptDrained(int error) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.afterAccept(S, error, e.acceptSignals(S));
            m.clear(Ev.ACCEPT);
            m.afterAccept(error);
        }
    }

    /** An accept during which the network layer reported FD_ACCEPT again: that report is kept. */
    record AcceptRaced(int error, int signalError) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            long before = e.acceptSignals(S);
            e.signal(S, FdEvents.FD_ACCEPT, signalError);
            m.signal(Ev.ACCEPT, signalError);
            e.afterAccept(S, error, before);
            m.afterAccept(error);
        }
    }

    record Ioctl(int code) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.afterIoctl(S, code);
            m.afterIoctl(code);
        }
    }

    @Property(tries = 2000)
    void windowsRulesMatchTheWindowsModel(
            @ForAll boolean connectionOriented, @ForAll("steps") @Size(max = 60) List<Step> steps) {
        check(SelectRules.WINDOWS, WindowsModel::new, connectionOriented, steps);
    }

    @Property(tries = 2000)
    void documentedRulesMatchTheDocumentedModel(
            @ForAll boolean connectionOriented, @ForAll("steps") @Size(max = 60) List<Step> steps) {
        check(SelectRules.DOCUMENTED, DocumentedModel::new, connectionOriented, steps);
    }

    private static void check(SelectRules rules, BiFunction<Long, Boolean, ReferenceModel> models,
                              boolean connectionOriented, List<Step> steps) {
        RecordingSink sink = new RecordingSink();
        SelectEngine engine = new SelectEngine(sink, rules);
        engine.open(S, connectionOriented);
        ReferenceModel model = models.apply(S, connectionOriented);
        int i = 0;
        for (Step step : steps) {
            step.apply(engine, model);
            List<RecordingSink.Posted> expected = List.copyOf(model.out());
            model.out().clear();
            assertEquals(expected, sink.take(), rules + ", after step " + i + " " + step + " of " + steps);
            i++;
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Ev> events = Arbitraries.of(Ev.class);
        Arbitrary<Integer> errors = Arbitraries.of(0, 0, 0, WsaErrors.WSAECONNRESET, WsaErrors.WSAECONNREFUSED,
                WsaErrors.WSAENETDOWN);
        Arbitrary<Integer> recvFlags = Arbitraries.of(0, 0, Ws2Def.MSG_OOB, Ws2Def.MSG_PEEK, Ws2Def.MSG_OOB | Ws2Def.MSG_PEEK);
        Arbitrary<SendOutcome> sends = Arbitraries.of(SendOutcome.class);
        Arbitrary<Integer> lEvents = Arbitraries.oneOf(
                Arbitraries.integers().between(0, FdEvents.FD_ALL_EVENTS),
                Arbitraries.just(FdEvents.FD_ALL_EVENTS),
                Arbitraries.just(1 << 11)); // invalid: must change nothing
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, lEvents.flatMap(l -> Arbitraries.of(0x10L, 0x20L)
                        .flatMap(h -> Arbitraries.of(0x401, 0x402).map(w -> (Step) new Register(h, w, l))))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Cancel())),
                net.jqwik.api.Tuple.of(8, events.flatMap(ev -> errors.map(err -> (Step) new Signal(ev, err)))),
                net.jqwik.api.Tuple.of(3, events.flatMap(ev -> errors.map(err -> (Step) new SignalDeferred(ev, err)))),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(Ev.READ, Ev.OOB, Ev.ACCEPT, Ev.WRITE).map(Clear::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(OobInline::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Bound())),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new ConnectStarted())),
                net.jqwik.api.Tuple.of(4, recvFlags.map(Recv::new)),
                net.jqwik.api.Tuple.of(3, recvFlags.map(RecvDrained::new)),
                net.jqwik.api.Tuple.of(3, recvFlags.flatMap(f -> Arbitraries.of(Ev.READ, Ev.OOB)
                        .flatMap(ev -> errors.map(sig -> (Step) new RecvRaced(f, ev, sig))))),
                net.jqwik.api.Tuple.of(3, sends.map(Send::new)),
                net.jqwik.api.Tuple.of(2, sends.map(SendQuiet::new)),
                net.jqwik.api.Tuple.of(3, sends.flatMap(o -> errors.map(sig -> (Step) new SendRaced(o, sig)))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0, WsaErrors.WSATRY_AGAIN, WsaErrors.WSAECONNRESET).map(Accept::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0, WsaErrors.WSATRY_AGAIN, WsaErrors.WSAECONNRESET).map(AcceptDrained::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0, WsaErrors.WSATRY_AGAIN).flatMap(err -> errors.map(sig -> (Step) new AcceptRaced(err, sig)))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(Ioctls.SIO_GET_QOS, Ioctls.SIO_GET_GROUP_QOS,
                        Ioctls.SIO_ROUTING_INTERFACE_CHANGE, Ioctls.SIO_ADDRESS_LIST_CHANGE, Ioctls.FIONBIO).map(Ioctl::new)));
        return step.list();
    }
}
