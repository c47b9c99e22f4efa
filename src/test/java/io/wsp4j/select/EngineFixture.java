package io.wsp4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsp4j.select.RecordingSink.Posted;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** An engine of one {@link SelectRules} over a {@link RecordingSink}, with socket S open (a stream socket). */
abstract class EngineFixture {
    static final long S = 0x104, T = 0x108, LISTENER = 0x10C, ACCEPTED = 0x110;
    static final long HWND = 0x7000, HWND2 = 0x7100;
    static final int WM = 0x401, WM2 = 0x402;

    RecordingSink sink;
    SelectEngine engine;

    /** The rules under test. */
    abstract SelectRules rules();

    @BeforeEach
    void setUp() {
        sink = new RecordingSink();
        engine = new SelectEngine(sink, rules());
        engine.open(S, true);
    }

    static Posted msg(long s, int event) {
        return new Posted(HWND, WM, s, event, 0);
    }

    static Posted msg(long s, int event, int error) {
        return new Posted(HWND, WM, s, event, error);
    }

    void register(long s, int lEvent) {
        assertEquals(RegisterOutcome.OK, engine.asyncSelect(s, HWND, WM, lEvent));
    }

    void expect(Posted... messages) {
        assertEquals(List.of(messages), sink.take());
    }

    void expectNothing() {
        assertEquals(List.of(), sink.take());
    }

    /** A stream socket connected by a connect whose outcome was signalled. */
    void connect(long s) {
        engine.connectStarted(s);
        engine.signal(s, io.wsp4j.winsock.FdEvents.FD_CONNECT, 0);
    }
}
