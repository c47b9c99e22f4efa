package io.wsp4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsp4j.select.ReferenceModel.Ev;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaErrors;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of registrations, conditions and re-enabling calls: the engine must post exactly
 * the messages the plain {@link ReferenceModel} posts, after every step.
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

    record Recv() implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.afterRecv(S);
            m.afterRecv();
        }
    }

    /** A receive with nothing reported while it ran: the engine's one-step clear and re-enable. */
    record RecvDrained() implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.afterRecv(S, e.readSignals(S));
            m.clear(Ev.READ);
            m.clear(Ev.OOB);
            m.afterRecv();
        }
    }

    /** A receive during which the network layer reported data (or urgent data) again: that report is kept. */
    record RecvRaced(Ev event, int signalError) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            long before = e.readSignals(S);
            e.signal(S, event.bit, signalError);
            m.signal(event, signalError);
            e.afterRecv(S, before);
            m.afterRecv();
        }
    }

    record Send(boolean wouldBlock) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.afterSend(S, wouldBlock);
            m.afterSend(wouldBlock);
        }
    }

    /** A send with no FD_WRITE reported while it ran, handing back the count: as {@link Send}. */
    record SendQuiet(boolean wouldBlock) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            e.afterSend(S, wouldBlock, e.writeSignals(S));
            m.afterSend(wouldBlock);
        }
    }

    /** A send (that would block, or not) during which the network layer reported FD_WRITE: that report stands. */
    record SendRaced(boolean wouldBlock, int signalError) implements Step {
        public void apply(SelectEngine e, ReferenceModel m) {
            long before = e.writeSignals(S);
            e.signal(S, FdEvents.FD_WRITE, signalError);
            m.signal(Ev.WRITE, signalError);
            e.afterSend(S, wouldBlock, before);
            m.afterSend(wouldBlock, true);
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
    void engineMatchesTheReferenceModel(
            @ForAll boolean connectionOriented, @ForAll("steps") @Size(max = 60) List<Step> steps) {
        RecordingSink sink = new RecordingSink();
        SelectEngine engine = new SelectEngine(sink);
        engine.open(S, connectionOriented);
        ReferenceModel model = new ReferenceModel(S, connectionOriented);
        int i = 0;
        for (Step step : steps) {
            step.apply(engine, model);
            List<RecordingSink.Posted> expected = List.copyOf(model.out);
            model.out.clear();
            assertEquals(expected, sink.take(), "after step " + i + " " + step + " of " + steps);
            i++;
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Ev> events = Arbitraries.of(Ev.class);
        Arbitrary<Integer> errors = Arbitraries.of(0, 0, 0, WsaErrors.WSAECONNRESET, WsaErrors.WSAECONNREFUSED,
                WsaErrors.WSAENETDOWN);
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
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new ConnectStarted())),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(new Recv())),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(new RecvDrained())),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(Ev.READ, Ev.OOB).flatMap(ev -> errors.map(sig -> (Step) new RecvRaced(ev, sig)))),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(true, false).map(Send::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(true, false).map(SendQuiet::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(true, false).flatMap(wb -> errors.map(sig -> (Step) new SendRaced(wb, sig)))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0, WsaErrors.WSATRY_AGAIN, WsaErrors.WSAECONNRESET).map(Accept::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0, WsaErrors.WSATRY_AGAIN, WsaErrors.WSAECONNRESET).map(AcceptDrained::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0, WsaErrors.WSATRY_AGAIN).flatMap(err -> errors.map(sig -> (Step) new AcceptRaced(err, sig)))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(Ioctls.SIO_GET_QOS, Ioctls.SIO_GET_GROUP_QOS,
                        Ioctls.SIO_ROUTING_INTERFACE_CHANGE, Ioctls.SIO_ADDRESS_LIST_CHANGE, Ioctls.FIONBIO).map(Ioctl::new)));
        return step.list();
    }
}
