package io.wsp4j.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What {@link ProviderLog} needs from the system it runs on: where this process's shim configuration
 * is (its {@code log} key names the log file), and a channel a developer can watch when no file is
 * configured. On Windows: {@code WSP4J_SHIM_CONFIG}, else the registry value
 * {@code HKLM\SOFTWARE\wsp4j ConfigPath}, as the shim reads them, appends through a handle opened
 * with {@code FILE_APPEND_DATA} only (as the shim's), and {@code OutputDebugStringW}
 * ({@code io.wsp4j.provider.windows.WindowsLogChannel}). Elsewhere ({@link #portable()}):
 * {@code WSP4J_SHIM_CONFIG}, else {@code /etc/wsp4j/shim.conf}, appends with {@code O_APPEND}, and no
 * debugger channel: the lines
 * {@link ProviderLog#recent()} keeps are its twin, which tests read. Never stdout or stderr.
 */
public interface LogChannel {

    /** The shim configuration file this process's shim reads, if any is named. */
    Optional<Path> shimConfig();

    /** Writes {@code text} where a debugger sees it; false if this system has no such channel. Must not throw. */
    boolean debugOutput(String text);

    /**
     * Appends {@code bytes} to {@code file} in one write, the file opened for appending only (so an
     * append-only ACL is enough, and lines of several processes never overwrite each other); false if
     * it cannot. Must not throw.
     */
    boolean append(Path file, byte[] bytes);

    /** The variable that names the shim configuration file, as the shim reads it. */
    String CONFIG_VARIABLE = "WSP4J_SHIM_CONFIG";

    /** The channel that needs no native code: the environment variable, else the shim's fixed Linux path; no debugger. */
    static LogChannel portable() {
        return new LogChannel() {
            @Override
            public Optional<Path> shimConfig() {
                Optional<Path> named = fromEnvironment();
                if (named.isPresent() || System.getProperty("os.name", "").startsWith("Windows")) return named;
                return Optional.of(Path.of("/etc/wsp4j/shim.conf"));
            }

            @Override
            public boolean debugOutput(String text) {
                return false;
            }

            /** O_APPEND (the JDK's APPEND): every write lands at the end. */
            @Override
            public boolean append(Path file, byte[] bytes) {
                try {
                    Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    return true;
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            }
        };
    }

    /** {@code WSP4J_SHIM_CONFIG}, when set and not empty. */
    static Optional<Path> fromEnvironment() {
        String named = System.getenv(CONFIG_VARIABLE);
        if (named == null || named.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Path.of(named));
        } catch (RuntimeException e) { // an invalid path: the shim cannot open it either
            return Optional.empty();
        }
    }
}
