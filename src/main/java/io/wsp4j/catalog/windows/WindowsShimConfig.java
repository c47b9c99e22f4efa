package io.wsp4j.catalog.windows;

import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.FileShimConfig;
import io.wsp4j.catalog.ShimConfigStore;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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

    private final FileShimConfig file;

    WindowsShimConfig(Path location) {
        this.file = new FileShimConfig(location);
    }

    @Override
    public Path location() {
        return file.location();
    }

    @Override
    public Optional<byte[]> read() {
        return file.read();
    }

    @Override
    public void write(byte[] content) {
        file.write(content);
        String path = location().toAbsolutePath().toString();
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
            // not file.delete(): a file the shim still holds open goes at the next reboot
            WindowsFiles.deleteNowOrAtReboot(location());
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("removing the shim configuration failed: " + t, 0, t);
        }
    }
}
