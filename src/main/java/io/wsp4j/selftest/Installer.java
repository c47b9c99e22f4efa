package io.wsp4j.selftest;

import java.util.List;

/**
 * The catalog changes the selftest makes, each one the installer's own transaction as a user runs it
 * ({@code wsp4j install}, {@code uninstall}, {@code rollback}); results are the CLI's exit codes and
 * what it printed.
 */
public interface Installer {
    /** What one command returned and printed (stdout and stderr, in order). */
    record Result(int exitCode, List<String> output) {
        public Result {
            output = List.copyOf(output);
        }

        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** {@code wsp4j install --manifest M}: both catalogs if the manifest says so. */
    Result install();

    /** {@code wsp4j uninstall --manifest M}. */
    Result uninstall();

    /** {@code wsp4j rollback}: finishes a transaction that left its journal. */
    Result rollbackJournal();

    /** {@code wsp4j rollback --snapshot NAME}: makes the catalog and the shim config what the snapshot holds. */
    Result restoreSnapshot(String name);
}
