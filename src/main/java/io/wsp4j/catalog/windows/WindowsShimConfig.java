package io.wsp4j.catalog.windows;

import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.FileShimConfig;
import io.wsp4j.catalog.ShimConfigStore;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shim config on Windows: a file in %ProgramData%\wsp4j, named by the REG_SZ value
 * HKLM\SOFTWARE\wsp4j ConfigPath (the shim reads the value in WSPStartup, then the file). A file
 * still held open is deleted at the next reboot ({@link WindowsFiles}). Writing a config that names a
 * log prepares the log's folder and file first ({@link LogFile}): every targeted process must be able
 * to append to it, though the config's folder is administrators-only.
 */
final class WindowsShimConfig implements ShimConfigStore {
    static final String KEY = "SOFTWARE\\wsp4j";
    static final String VALUE = "ConfigPath";

    private final FileShimConfig file;
    private final long root;
    private final String key;

    WindowsShimConfig(Path location) {
        this(location, Win32.HKEY_LOCAL_MACHINE, KEY);
    }

    /** With another registry key than the shim's (tests, under HKEY_CURRENT_USER). */
    WindowsShimConfig(Path location, long root, String key) {
        this.file = new FileShimConfig(location);
        this.root = root;
        this.key = key;
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
        LogFile.in(content).ifPresent(log -> LogFile.prepare(log, location().toAbsolutePath().getParent()));
        file.write(content);
        String path = location().toAbsolutePath().toString();
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = Win32.wide(arena, path);
            int rc = (int) Win32.Handles.REG_SET_KEY_VALUE.invokeExact(root, Win32.wide(arena, key),
                    Win32.wide(arena, VALUE), Win32.REG_SZ, data, (int) data.byteSize());
            if (rc != Win32.ERROR_SUCCESS) {
                throw new CatalogException("RegSetKeyValueW " + keyName() + " " + VALUE + " failed with error " + rc, rc);
            }
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("RegSetKeyValueW failed: " + t, 0, t);
        }
    }

    /**
     * Writing the value created the key if it was missing (RegSetKeyValueW does); once our value is
     * gone and nothing else is in it, the key goes too, so uninstall leaves no empty key behind. A
     * rollback that restores the config writes the value again, which creates the key again: the
     * journal's before-image covers it. A key that holds anything else is left as it is.
     */
    private void deleteKeyIfEmpty(Arena arena) throws Throwable {
        MemorySegment opened = arena.allocate(ValueLayout.ADDRESS);
        int rc = (int) Win32.Handles.REG_OPEN_KEY_EX.invokeExact(root, Win32.wide(arena, key), 0,
                Win32.KEY_QUERY_VALUE | Win32.KEY_WOW64_64KEY, opened);
        if (rc == Win32.ERROR_FILE_NOT_FOUND) return; // no key at all
        if (rc != Win32.ERROR_SUCCESS) throw new CatalogException("RegOpenKeyExW " + keyName() + " failed with error " + rc, rc);
        MemorySegment handle = opened.get(ValueLayout.ADDRESS, 0);
        MemorySegment subKeys = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment values = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment none = MemorySegment.NULL;
        try {
            rc = (int) Win32.Handles.REG_QUERY_INFO_KEY.invokeExact(handle, none, none, none, subKeys, none, none, values, none, none,
                    none, none);
        } finally {
            int ignored = (int) Win32.Handles.REG_CLOSE_KEY.invokeExact(handle);
        }
        if (rc != Win32.ERROR_SUCCESS) throw new CatalogException("RegQueryInfoKeyW " + keyName() + " failed with error " + rc, rc);
        if (subKeys.get(ValueLayout.JAVA_INT, 0) != 0 || values.get(ValueLayout.JAVA_INT, 0) != 0) return;
        rc = (int) Win32.Handles.REG_DELETE_KEY_EX.invokeExact(root, Win32.wide(arena, key), Win32.KEY_WOW64_64KEY, 0);
        if (rc != Win32.ERROR_SUCCESS && rc != Win32.ERROR_FILE_NOT_FOUND) {
            throw new CatalogException("RegDeleteKeyExW " + keyName() + " failed with error " + rc, rc);
        }
    }

    private String keyName() {
        return (root == Win32.HKEY_LOCAL_MACHINE ? "HKLM\\" : root == Win32.HKEY_CURRENT_USER ? "HKCU\\" : "") + key;
    }

    @Override
    public void delete() {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) Win32.Handles.REG_DELETE_KEY_VALUE.invokeExact(root, Win32.wide(arena, key), Win32.wide(arena, VALUE));
            if (rc != Win32.ERROR_SUCCESS && rc != Win32.ERROR_FILE_NOT_FOUND) {
                throw new CatalogException("RegDeleteKeyValueW " + keyName() + " " + VALUE + " failed with error " + rc, rc);
            }
            deleteKeyIfEmpty(arena);
            // not file.delete(): a file the shim still holds open goes at the next reboot
            WindowsFiles.deleteNowOrAtReboot(location());
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("removing the shim configuration failed: " + t, 0, t);
        }
    }
}
