package io.wsp4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's soft limit on open files (RLIMIT_NOFILE), as Linux reports it. */
final class OpenFileLimit {
    private static final Path LIMITS = Path.of("/proc/self/limits");

    private OpenFileLimit() {}

    /** The limit; Long.MAX_VALUE if unlimited or unknown (not Linux). */
    static long current() {
        try {
            for (String line : Files.readAllLines(LIMITS)) {
                if (!line.startsWith("Max open files")) continue;
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or a format this does not know: let the benchmark find out
        }
        return Long.MAX_VALUE;
    }
}
