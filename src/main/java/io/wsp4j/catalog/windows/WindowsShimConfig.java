package io.wsp4j.catalog.windows;

import io.wsp4j.catalog.AtomicFiles;
import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.ShimConfigStore;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shim config on Windows: a file in %ProgramData%\wsp4j, named by the REG_SZ value
 * HKLM\SOFTWARE\wsp4j ConfigPath (the shim reads the value in WSPStartup, then the file). A file
 * still held open is deleted at the next reboot ({@link WindowsFiles}).
 */
final class WindowsShimConfig implements ShimConfigStore {
    static final String KEY = "SOFTWARE\\wsp4j";
    static final String VALUE = "ConfigPath";

    private final Path location;

    WindowsShimConfig(Path location) {
        this.location = location;
    }

    @Override
    public Path location() {
        return location;
    }

    @Override
    public Optional<byte[]> read() {
        try {
            return Optional.of(Files.readAllBytes(location));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CatalogException("cannot read " + location + ": " + e.getMessage(), 0, e);
        }
    }

    @Override
    public void write(byte[] content) {
        try {
            AtomicFiles.write(location, content);
        } catch (IOException e) {
            throw new CatalogException("cannot write " + location + ": " + e.getMessage(), 0, e);
        }
        String path = location.toAbsolutePath().toString();
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = Win32.wide(arena, path);
            int rc = (int) Win32.Handles.REG_SET_KEY_VALUE.invokeExact(Win32.HKEY_LOCAL_MACHINE, Win32.wide(arena, KEY),
                    Win32.wide(arena, VALUE), Win32.REG_SZ, data, (int) data.byteSize());
            if (rc != Win32.ERROR_SUCCESS) {
                throw new CatalogException("RegSetKeyValueW HKLM\\" + KEY + " " + VALUE + " failed with error " + rc, rc);
            }
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("RegSetKeyValueW failed: " + t, 0, t);
        }
    }

    @Override
    public void delete() {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) Win32.Handles.REG_DELETE_KEY_VALUE.invokeExact(Win32.HKEY_LOCAL_MACHINE, Win32.wide(arena, KEY),
                    Win32.wide(arena, VALUE));
            if (rc != Win32.ERROR_SUCCESS && rc != Win32.ERROR_FILE_NOT_FOUND) {
                throw new CatalogException("RegDeleteKeyValueW HKLM\\" + KEY + " " + VALUE + " failed with error " + rc, rc);
            }
            WindowsFiles.deleteNowOrAtReboot(location);
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("removing the shim configuration failed: " + t, 0, t);
        }
    }
}
