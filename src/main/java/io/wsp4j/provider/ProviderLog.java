package io.wsp4j.provider;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * The layered provider's log. wsp4j runs inside other people's processes, so it never writes to their
 * stdout or stderr (nor lets a logging framework do it for them): a line goes to the shim's log file
 * (the {@code log} key of the shim configuration this process's shim reads, or {@code -Dwsp4j.log}),
 * else to the system's debugger channel ({@code OutputDebugStringW} on Windows), and the last lines
 * are kept in memory ({@link #recent()}: the Linux twin of the debugger channel, which tests read).
 * Lines look like the shim's: {@code 2026-11-30T02:33:02Z wsp4j java.exe[4242] ERROR: message}, a
 * failure's stack trace after it.
 *
 * <p>Every method is safe to call from an upcall: nothing is thrown. Logging is for failures and
 * rare events; it is not on the data path.
 */
public final class ProviderLog {
    /** Names a log file, for a JVM whose shim configuration is not the one to use (hosts, tests). */
    public static final String FILE_PROPERTY = "wsp4j.log";
    /** With {@code true}, {@link #debug} lines are written too. */
    public static final String DEBUG_PROPERTY = "wsp4j.log.debug";
    private static final int RECENT_LINES = 256;

    private static final Object LOCK = new Object();
    private static final ArrayDeque<String> recent = new ArrayDeque<>(); // guarded by LOCK
    private static Destination destination; // guarded by LOCK; found at the first line

    /** Where lines go: a file, else the channel's debugger output. */
    private record Destination(Path file, LogChannel channel) {}

    private ProviderLog() {}

    public static void error(String message) {
        log("ERROR", message, null);
    }

    public static void error(String message, Throwable failure) {
        log("ERROR", message, failure);
    }

    public static void warning(String message) {
        log("WARNING", message, null);
    }

    /** Written only with {@code -Dwsp4j.log.debug=true}. */
    public static void debug(String message) {
        if (Boolean.getBoolean(DEBUG_PROPERTY)) log("DEBUG", message, null);
    }

    /** The last lines logged in this JVM (at most 256), oldest first. */
    public static List<String> recent() {
        synchronized (LOCK) {
            return List.copyOf(recent);
        }
    }

    /** Forgets the destination found, so the next line looks again (tests that change -Dwsp4j.log). */
    static void reset() {
        synchronized (LOCK) {
            destination = null;
        }
    }

    private static void log(String level, String message, Throwable failure) {
        try {
            String line = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " wsp4j " + Process.IMAGE + "[" + Process.PID + "] "
                    + level + ": " + message + (failure == null ? "" : " (" + failure + ")");
            String text = failure == null ? line : line + System.lineSeparator() + stackTrace(failure);
            synchronized (LOCK) {
                if (recent.size() == RECENT_LINES) recent.removeFirst();
                recent.addLast(line);
                if (destination == null) destination = find();
                if (destination.file() == null || !destination.channel().append(destination.file(),
                        (text + System.lineSeparator()).getBytes(StandardCharsets.UTF_8))) {
                    destination.channel().debugOutput(text);
                }
            }
        } catch (Throwable ignored) {
            // nothing is left to report with, and an upcall must not throw
        }
    }

    /** -Dwsp4j.log, else the shim configuration's log key; the channel always (for when the file fails). */
    private static Destination find() {
        LogChannel channel = channel();
        String property = System.getProperty(FILE_PROPERTY);
        if (property != null && !property.isBlank()) return new Destination(Path.of(property.strip()), channel);
        Optional<Path> config = channel.shimConfig();
        Optional<Path> file = Optional.empty();
        if (config.isPresent()) {
            try {
                file = ShimConfigLog.logPath(Files.readAllBytes(config.get()));
            } catch (IOException | RuntimeException e) {
                // no readable configuration: the shim targets nothing then, and so no file is ours
            }
        }
        return new Destination(file.orElse(null), channel);
    }

    /**
     * The Windows channel (registry and debugger) needs native calls; without native access they would
     * print the very warning this log exists to avoid, so then the portable one is used.
     */
    private static LogChannel channel() {
        if (!System.getProperty("os.name", "").startsWith("Windows") || !NativeAccess.granted()) return LogChannel.portable();
        try {
            return (LogChannel) Class.forName("io.wsp4j.provider.windows.WindowsLogChannel").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return LogChannel.portable();
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter s = new StringWriter();
        t.printStackTrace(new PrintWriter(s));
        return s.toString().stripTrailing();
    }

    /** This process, named as the shim names it in its lines: the executable's base name and the pid. */
    private static final class Process {
        static final long PID = ProcessHandle.current().pid();
        static final String IMAGE = ProcessHandle.current().info().command()
                .map(c -> Path.of(c).getFileName().toString()).orElse("java");
    }
}
