package io.wsp4j.selftest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sample provider's accounting log, read back: one {@code conn} line per connection when it
 * closes ({@code pid=… conn socket=… peer=… in=… out=…}), as {@code AccountingProvider} writes it. The
 * selftest checks that a child's exchanges are there, each connection with the bytes the child moved.
 */
public final class AccountingLog {
    /** One {@code conn} line. */
    public record Connection(long pid, InetSocketAddress peer, long in, long out, String line) {}

    /** What the log says of a child's exchanges: the lines that match, and what is missing or wrong. */
    public record Verdict(List<String> matched, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final List<Connection> connections;

    private AccountingLog(List<Connection> connections) {
        this.connections = List.copyOf(connections);
    }

    /** The log's conn lines; a missing file is an empty log. */
    public static AccountingLog read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        }
        return parse(lines);
    }

    static AccountingLog parse(List<String> lines) {
        List<Connection> out = new ArrayList<>();
        for (String line : lines) {
            Map<String, String> f = fields(line);
            if (!f.containsKey("conn")) continue;
            try {
                out.add(new Connection(Long.parseLong(f.get("pid")), Exchange.parseAddress(f.get("peer")),
                        Long.parseLong(f.get("in")), Long.parseLong(f.get("out")), line));
            } catch (RuntimeException e) {
                // not a line of the sample's format: not counted
            }
        }
        return new AccountingLog(out);
    }

    /** The conn lines of process {@code pid}. */
    public List<Connection> of(long pid) {
        return connections.stream().filter(c -> c.pid() == pid).toList();
    }

    /**
     * Each exchange must appear as two connections of {@code pid}: the client's (its peer the listener;
     * out = what the client sent, in = what the server sent) and the server's (its peer the client;
     * the other way round).
     */
    public Verdict check(long pid, List<Exchange> exchanges) {
        List<Connection> mine = of(pid);
        List<String> matched = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Exchange e : exchanges) {
            expect(mine, e.kind() + " client", e.listener(), e.serverSent(), e.clientSent(), matched, problems);
            expect(mine, e.kind() + " server", e.clientSeenByServer(), e.clientSent(), e.serverSent(), matched, problems);
        }
        if (mine.isEmpty()) problems.add("the log has no connection of pid " + pid + " at all");
        return new Verdict(matched, problems);
    }

    private static void expect(List<Connection> mine, String who, InetSocketAddress peer, long in, long out,
                               List<String> matched, List<String> problems) {
        Optional<Connection> c = mine.stream().filter(x -> Objects.equals(x.peer(), peer)).findFirst();
        if (c.isEmpty()) {
            problems.add(who + ": no connection with peer " + Exchange.address(peer));
        } else if (c.get().in() != in || c.get().out() != out) {
            problems.add(who + ": counted in=" + c.get().in() + " out=" + c.get().out() + ", expected in=" + in + " out=" + out
                    + ": " + c.get().line());
        } else {
            matched.add(who + ": " + c.get().line());
        }
    }

    /** "2026-… pid=42 conn socket=0x4 peer=… in=1 out=2": each word a key, with its value after '='. */
    private static Map<String, String> fields(String line) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String word : line.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) f.put(word.substring(0, eq), word.substring(eq + 1));
            else f.put(word, "");
        }
        return f;
    }
}
