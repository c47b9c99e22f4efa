package io.wsp4j.host;

import static io.wsp4j.winsock.FdEvents.*;
import static io.wsp4j.winsock.WsaErrors.*;
import static io.wsp4j.winsock.Ws2Def.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wsp4j.bindings._OVERLAPPED;
import io.wsp4j.select.SelectRules;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of an async-select conformance scenario on one host: Winsock calls through {@link Ws2}, the
 * messages (message mode) and network-event records (event mode) it gets, each checked against what
 * the scenario expects, and a transcript of what was seen in which every socket is named by its role
 * ("client", "server"...), so that runs on different stacks, whose handles differ, compare equal
 * when they saw the same. Waits are bounded; "nothing" is a short bounded wait.
 */
public final class ScenarioRun implements AutoCloseable {
    /** How long "no message" waits: conditions on loopback arrive well within it. */
    public static final long QUIET_MILLIS = 150;
    public static final long MESSAGE_MILLIS = 5_000;
    public static final int WM_SOCKET = 0x0400 + 1; // WM_USER + 1
    public static final int WM_OTHER = 0x0400 + 2;

    public final Host host;
    public final Ws2 ws2;
    public final long hWnd;
    /** The rules the stack under test follows (its scenario's expectations depend on them). */
    public final SelectRules rules;
    private final Arena arena = Arena.ofShared();
    private final Map<Long, String> names = new HashMap<>();
    private final List<Long> open = new ArrayList<>();
    private final List<Long> events = new ArrayList<>();
    private final List<String> transcript = new ArrayList<>();

    public ScenarioRun(Host host, SelectRules rules) {
        this.host = host;
        this.ws2 = host.ws2();
        this.hWnd = host.createWindow();
        this.rules = rules;
    }

    public boolean windows() {
        return rules == SelectRules.WINDOWS;
    }

    /** What was seen, in order, sockets named by role. */
    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    /** Adds a line to the transcript (a result both stacks must agree on). */
    public void note(String line) {
        transcript.add(line);
    }

    @Override
    public void close() {
        for (long s : open) ws2.closesocket(s);
        for (long e : events) ws2.WSACloseEvent(e);
        host.close();
        arena.close();
    }

    // ---- sockets --------------------------------------------------------------------------------

    public long socket(String name, int type) {
        return socket(name, AF_INET, type);
    }

    public long socket(String name, int af, int type) {
        return adopt(name, ws2.socket(af, type, 0), "socket");
    }

    /** {@code s} under {@code name}, closed after the run. */
    public long adopt(String name, long s, String call) {
        assertNotEquals(INVALID_SOCKET, s, () -> call + " (" + name + "): " + WsaError.describe(ws2.WSAGetLastError()));
        open.add(s);
        names.put(s, name);
        return s;
    }

    public String name(long s) {
        return names.getOrDefault(s, "unknown socket " + s);
    }

    public void close(long s) {
        ok(ws2.closesocket(s), "closesocket " + name(s));
        open.remove(s);
    }

    public static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public void ok(int rc, String call) {
        assertEquals(0, rc, () -> call + ": " + WsaError.describe(ws2.WSAGetLastError()));
    }

    /** A call that must fail with {@code error}. */
    public void fails(int rc, int error, String call) {
        assertEquals(SOCKET_ERROR, rc, call + " succeeded");
        assertEquals(WsaError.describe(error), WsaError.describe(ws2.WSAGetLastError()), call);
    }

    public long listener(String name) {
        long l = socket(name, SOCK_STREAM);
        ok(ws2.bind(l, loopback(0)), "bind");
        ok(ws2.listen(l, 16), "listen");
        return l;
    }

    public long accept(String name, long listener) {
        return adopt(name, ws2.accept(listener), "accept");
    }

    /** A blocking connect and accept over loopback, the listener closed: {client, server}. */
    public long[] pair(String client, String server) {
        long l = listener("listener");
        long c = socket(client, SOCK_STREAM);
        ok(ws2.connect(c, ws2.getsockname(l)), "connect");
        long a = accept(server, l);
        close(l);
        return new long[] {c, a};
    }

    public void send(long s, String data) {
        byte[] b = data.getBytes(StandardCharsets.US_ASCII);
        assertEquals(b.length, ws2.send(s, b, b.length, 0), () -> "send: " + WsaError.describe(ws2.WSAGetLastError()));
    }

    public void sendOob(long s, char c) {
        assertEquals(1, ws2.send(s, new byte[] {(byte) c}, 1, MSG_OOB), () -> "send(MSG_OOB): " + WsaError.describe(ws2.WSAGetLastError()));
    }

    /** A receive of up to {@code max} bytes with {@code flags}, which must succeed: the text, also in the transcript. */
    public String recv(long s, int max, int flags) {
        byte[] b = new byte[max];
        int n = ws2.recv(s, b, max, flags);
        assertTrue(n >= 0, () -> "recv: " + WsaError.describe(ws2.WSAGetLastError()));
        String text = new String(b, 0, n, StandardCharsets.US_ASCII);
        note("recv " + name(s) + " '" + text + "'");
        return text;
    }

    public String recv(long s, int max) {
        return recv(s, max, 0);
    }

    /** Receives exactly {@code n} bytes (waiting for them to arrive first), in the transcript as one receive. */
    public String recvAll(long s, int n) {
        awaitReadable(s, n);
        StringBuilder sb = new StringBuilder();
        byte[] b = new byte[n];
        while (sb.length() < n) {
            int got = ws2.recv(s, b, n - sb.length(), 0);
            assertTrue(got > 0, () -> "recv: " + WsaError.describe(ws2.WSAGetLastError()));
            sb.append(new String(b, 0, got, StandardCharsets.US_ASCII));
        }
        note("recv " + name(s) + " '" + sb + "'");
        return sb.toString();
    }

    /** Waits until {@code bytes} have arrived at {@code s} (FIONREAD), without re-enabling anything. */
    public void awaitReadable(long s, int bytes) {
        long deadline = System.nanoTime() + MESSAGE_MILLIS * 1_000_000;
        int[] n = {0};
        while (System.nanoTime() < deadline) {
            ok(ws2.ioctlsocket(s, Ioctls.FIONREAD, n), "FIONREAD");
            if (n[0] >= bytes) return;
            Thread.onSpinWait();
        }
        throw new AssertionError("only " + n[0] + " of " + bytes + " bytes arrived");
    }

    /** Waits until urgent data has arrived at {@code s} (SIOCATMARK says so), without re-enabling anything. */
    public void awaitUrgent(long s) {
        long deadline = System.nanoTime() + MESSAGE_MILLIS * 1_000_000;
        int[] atMark = {1};
        while (System.nanoTime() < deadline) {
            ok(ws2.ioctlsocket(s, Ioctls.SIOCATMARK, atMark), "SIOCATMARK");
            if (atMark[0] == 0) return;
            Thread.onSpinWait();
        }
        throw new AssertionError("no urgent data arrived");
    }

    /** Memory that lives as long as the run (overlapped buffers and OVERLAPPEDs). */
    public MemorySegment memory(long size) {
        return arena.allocate(size);
    }

    /** A zeroed OVERLAPPED whose hEvent is {@code hEvent} (0: none). */
    public MemorySegment overlapped(long hEvent) {
        MemorySegment ov = _OVERLAPPED.allocate(arena);
        ov.fill((byte) 0);
        _OVERLAPPED.hEvent(ov, MemorySegment.ofAddress(hEvent));
        return ov;
    }

    // ---- message mode ------------------------------------------------------------------------------

    public void select(long s, int lEvent) {
        select(s, WM_SOCKET, lEvent);
    }

    public void select(long s, int wMsg, int lEvent) {
        ok(ws2.WSAAsyncSelect(s, hWnd, wMsg, lEvent), "WSAAsyncSelect " + name(s));
    }

    /** The next message: {@code event} without error for {@code s}. */
    public void expect(long s, int event) {
        expect(s, WM_SOCKET, event, 0);
    }

    public void expect(long s, int event, int error) {
        expect(s, WM_SOCKET, event, error);
    }

    /** The next message: for {@code s}, {@code event} with {@code error}, sent as {@code wMsg} to our window. */
    public void expect(long s, int wMsg, int event, int error) {
        Msg m = host.getMessage(hWnd, MESSAGE_MILLIS);
        String want = describe(s, wMsg, event, error);
        if (m == null) fail("no message; expected " + want + " after " + transcript);
        String got = describe(m);
        transcript.add(got);
        assertEquals(want, got, () -> "after " + transcript.subList(0, transcript.size() - 1));
        assertEquals(hWnd, m.hWnd());
    }

    /** No message within {@link #QUIET_MILLIS}. */
    public void quiet() {
        Msg m = host.getMessage(hWnd, QUIET_MILLIS);
        if (m != null) {
            transcript.add(describe(m));
            fail("unexpected " + describe(m) + " after " + transcript.subList(0, transcript.size() - 1));
        }
        transcript.add("quiet");
    }

    private String describe(long s, int wMsg, int event, int error) {
        return FdEvents.describe(event) + "(" + error + ") " + name(s) + (wMsg == WM_SOCKET ? "" : " msg " + wMsg);
    }

    private String describe(Msg m) {
        return describe(m.wParam(), m.message(), FdEvents.selectEvent(m.lParam()), FdEvents.selectError(m.lParam()));
    }

    // ---- event mode -------------------------------------------------------------------------------

    /** A manual-reset event object (WSACreateEvent), closed after the run. */
    public long event() {
        long e = ws2.WSACreateEvent();
        assertNotEquals(0, e, "WSACreateEvent");
        events.add(e);
        return e;
    }

    public void eventSelect(long s, long event, int lEvent) {
        ok(ws2.WSAEventSelect(s, event, lEvent), "WSAEventSelect " + name(s));
    }

    /**
     * The event is signalled, and WSAEnumNetworkEvents(s, event) reports {@code events}, each with
     * error 0 but those given as {event, error} pairs in {@code errors}; the slots of events it does not
     * report are left as they were.
     */
    public void expectRecord(long s, long event, int events, int... errors) {
        int signalled = ws2.WSAWaitForMultipleEvents(new long[] {event}, false, (int) MESSAGE_MILLIS, false);
        if (signalled != Ws2.WSA_WAIT_EVENT_0) fail("not signalled; expected " + record(s, events, errors) + " after " + transcript);
        enumerate(s, event, events, errors);
    }

    /** WSAEnumNetworkEvents(s, event) reports {@code events} now (whether the event is signalled or not). */
    public void enumerate(long s, long event, int events, int... errors) {
        NetworkEvents ne = new NetworkEvents();
        java.util.Arrays.fill(ne.iErrorCode, UNTOUCHED);
        ok(ws2.WSAEnumNetworkEvents(s, event, ne), "WSAEnumNetworkEvents " + name(s));
        String got = record(s, ne);
        transcript.add(got);
        assertEquals(record(s, events, errors), got, () -> "after " + transcript.subList(0, transcript.size() - 1));
    }

    /** The event stays unsignalled for {@link #QUIET_MILLIS}, and WSAEnumNetworkEvents then reports nothing. */
    public void noRecord(long s, long event) {
        int signalled = ws2.WSAWaitForMultipleEvents(new long[] {event}, false, (int) QUIET_MILLIS, false);
        if (signalled == Ws2.WSA_WAIT_EVENT_0) {
            NetworkEvents ne = new NetworkEvents();
            java.util.Arrays.fill(ne.iErrorCode, UNTOUCHED);
            ws2.WSAEnumNetworkEvents(s, event, ne);
            transcript.add(record(s, ne));
            fail("signalled: " + record(s, ne) + " after " + transcript.subList(0, transcript.size() - 1));
        }
        assertEquals(Ws2.WSA_WAIT_TIMEOUT, signalled, "WSAWaitForMultipleEvents");
        enumerate(s, event, 0);
    }

    /** What an iErrorCode slot holds when the call left it alone. */
    static final int UNTOUCHED = 0x5A5A;

    private String record(long s, int events, int... errors) {
        int[] slots = new int[FD_MAX_EVENTS];
        java.util.Arrays.fill(slots, UNTOUCHED);
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++) if ((events & (1 << bit)) != 0) slots[bit] = 0;
        for (int i = 0; i + 1 < errors.length; i += 2) slots[bitOf(errors[i])] = errors[i + 1];
        return describeRecord(s, events, slots);
    }

    private String record(long s, NetworkEvents ne) {
        return describeRecord(s, ne.lNetworkEvents, ne.iErrorCode);
    }

    /** "record client FD_READ(0)|FD_WRITE(0)", and "untouched" or the slots of unreported events that were written. */
    private String describeRecord(long s, int events, int[] slots) {
        StringBuilder sb = new StringBuilder("record ").append(name(s)).append(' ');
        if (events == 0) sb.append("none");
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
            if ((events & (1 << bit)) == 0) continue;
            if (sb.charAt(sb.length() - 1) != ' ') sb.append('|');
            sb.append(FdEvents.describe(1 << bit)).append('(').append(slots[bit]).append(')');
        }
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
            if ((events & (1 << bit)) == 0 && slots[bit] != UNTOUCHED) {
                sb.append(", slot of unreported ").append(FdEvents.describe(1 << bit)).append(" written: ").append(slots[bit]);
            }
        }
        return sb.toString();
    }
}
