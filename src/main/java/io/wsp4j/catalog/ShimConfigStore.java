package io.wsp4j.catalog;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the shim's key=value configuration lives and how the shim finds it: next to the file
 * catalog on the host; on Windows a file under %ProgramData%\wsp4j plus the registry value
 * HKLM\SOFTWARE\wsp4j ConfigPath that names it.
 */
public interface ShimConfigStore {
    Path location();

    /** The current bytes, or empty when there is no config. */
    Optional<byte[]> read();

    /** Writes the file (atomically) and publishes its location. */
    void write(byte[] content);

    /** Removes the file and its published location; no-op when absent. */
    void delete();
}
