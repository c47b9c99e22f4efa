package io.wsp4j.provider.sample;

import io.wsp4j.provider.Buffers;
import io.wsp4j.provider.LayeredProvider;
import io.wsp4j.provider.LayeredSocket;
import io.wsp4j.provider.ProviderLog;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample LSP: per-process connection and byte accounting. Every socket that connected or moved
 * data gets one line in the log when it closes (peer, bytes in and out, duration), and WSPCleanup
 * writes a summary line. {@link #snapshot()} gives the same numbers in memory.
 *
 * <p>The log is {@value #LOG_PROPERTY} if set, else {@code wsp4j-accounting.log} in
 * {@code java.io.tmpdir}; lines are appended (several processes may share the file: each line
 * carries the pid). If the log cannot be written the accounting goes on in memory and the failure
 * is logged once.
 */
public final class AccountingProvider extends LayeredProvider {
    public static final String LOG_PROPERTY = "wsp4j.accounting.log";
    /** How many closed connections {@link #snapshot()} keeps (the totals count all of them). */
    public static final int CLOSED_KEPT = 1000;


    private final Path logPath;
    private final long pid = ProcessHandle.current().pid();
    private final ConcurrentHashMap<Long, Meter> open = new ConcurrentHashMap<>();
    private final ArrayDeque<Connection> closed = new ArrayDeque<>();
    private final AtomicLong totalIn = new AtomicLong();
    private final AtomicLong totalOut = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private Writer log;
    private boolean logFailed;

    public AccountingProvider() {
        this(defaultLogPath());
    }

    public AccountingProvider(Path logPath) {
        this.logPath = logPath;
    }

    /** The log file: {@value #LOG_PROPERTY}, else {@code ${java.io.tmpdir}/wsp4j-accounting.log}. */
    public static Path defaultLogPath() {
        String p = System.getProperty(LOG_PROPERTY);
        return p != null && !p.isBlank() ? Path.of(p) : Path.of(System.getProperty("java.io.tmpdir"), "wsp4j-accounting.log");
    }

    public Path logPath() {
        return logPath;
    }

    /** One connection's numbers; {@code closed} is false for a connection still open. */
    public record Connection(long socket, InetSocketAddress peer, long bytesIn, long bytesOut, long durationMillis, boolean closed) {}

    /** Open connections, the last {@value #CLOSED_KEPT} closed ones, and totals over every connection. */
    public record Snapshot(List<Connection> open, List<Connection> closed, long connections, long bytesIn, long bytesOut) {}

    public Snapshot snapshot() {
        List<Connection> o = new ArrayList<>();
        for (Meter m : open.values()) if (m.counts()) o.add(m.toConnection(false));
        List<Connection> c;
        synchronized (closed) {
            c = new ArrayList<>(closed);
        }
        return new Snapshot(List.copyOf(o), List.copyOf(c), connections.get(), totalIn.get(), totalOut.get());
    }

    // ---- hooks ------------------------------------------------------------------------------------

    @Override
    protected int onSocket(LayeredSocket socket) {
        meter(socket);
        return ALLOW;
    }

    @Override
    protected int onConnect(LayeredSocket socket, InetSocketAddress peer) {
        meter(socket).peer = peer;
        return ALLOW;
    }

    @Override
    protected int onAccept(LayeredSocket listener, LayeredSocket accepted) {
        meter(accepted);
        return ALLOW;
    }

    @Override
    protected void onSent(LayeredSocket socket, Buffers data, long bytes) {
        if (bytes <= 0) return;
        meter(socket).out.addAndGet(bytes);
        totalOut.addAndGet(bytes);
    }

    @Override
    protected void onReceived(LayeredSocket socket, Buffers data, long bytes) {
        if (bytes <= 0) return;
        meter(socket).in.addAndGet(bytes);
        totalIn.addAndGet(bytes);
    }

    @Override
    protected void onClose(LayeredSocket socket) {
        Meter m = open.remove(socket.handle());
        if (m == null || !m.counts()) return;
        Connection c = m.toConnection(true);
        connections.incrementAndGet();
        synchronized (closed) {
            if (closed.size() == CLOSED_KEPT) closed.removeFirst();
            closed.addLast(c);
        }
        write("conn socket=0x" + Long.toHexString(c.socket()) + " peer=" + (c.peer() == null ? "-" : format(c.peer()))
                + " in=" + c.bytesIn() + " out=" + c.bytesOut() + " durationMs=" + c.durationMillis());
    }

    @Override
    protected void onCleanup() {
        write("summary connections=" + connections.get() + " open=" + open.size()
                + " in=" + totalIn.get() + " out=" + totalOut.get());
        synchronized (this) {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException e) {
                    failedOnce(e);
                }
                log = null;
            }
        }
    }

    // ---- internals --------------------------------------------------------------------------------

    private Meter meter(LayeredSocket socket) {
        if (socket.attachment() instanceof Meter m) return m;
        Meter m = new Meter(socket);
        socket.attach(m);
        open.put(socket.handle(), m);
        return m;
    }

    /** "127.0.0.1:80", "[::1]:80": how the log writes a peer. */
    public static String format(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private synchronized void write(String line) {
        if (logFailed) return;
        try {
            if (log == null) {
                Path parent = logPath.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                log = Files.newBufferedWriter(logPath, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            log.write(Instant.now() + " pid=" + pid + " " + line + System.lineSeparator());
            log.flush();
        } catch (IOException e) {
            failedOnce(e);
        }
    }

    private void failedOnce(IOException e) {
        if (!logFailed) {
            logFailed = true;
            ProviderLog.warning("accounting log " + logPath + " cannot be written; accounting continues in memory: " + e);
        }
    }

    /** Per-socket counters; sends and receives on one socket may run on different threads. */
    private static final class Meter {
        final LayeredSocket socket;
        final AtomicLong in = new AtomicLong();
        final AtomicLong out = new AtomicLong();
        volatile InetSocketAddress peer;

        Meter(LayeredSocket socket) {
            this.socket = socket;
        }

        /** A socket that never connected and moved nothing is not a connection. */
        boolean counts() {
            return peer() != null || in.get() > 0 || out.get() > 0;
        }

        InetSocketAddress peer() {
            InetSocketAddress p = peer;
            return p != null ? p : socket.peer();
        }

        Connection toConnection(boolean closed) {
            long ms = (System.nanoTime() - socket.createdNanos()) / 1_000_000;
            return new Connection(socket.handle(), peer(), in.get(), out.get(), ms, closed);
        }
    }
}
