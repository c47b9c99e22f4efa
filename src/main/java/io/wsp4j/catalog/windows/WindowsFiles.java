package io.wsp4j.catalog.windows;

import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.FileRemoval;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Deleting files Windows may still have open: now if it can, else at the next boot (MoveFileExW). */
final class WindowsFiles {
    private WindowsFiles() {}

    static FileRemoval deleteNowOrAtReboot(Path file) {
        try {
            return Files.deleteIfExists(file) ? FileRemoval.DELETED : FileRemoval.ABSENT;
        } catch (FileSystemException inUse) {
            // A DLL mapped by running processes (or a file opened without FILE_SHARE_DELETE): access denied now.
            Win32.load();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Win32.captureState(arena);
                int ok = (int) Win32.Handles.MOVE_FILE_EX.invokeExact(state, Win32.wide(arena, file.toAbsolutePath().toString()),
                        MemorySegment.NULL, Win32.MOVEFILE_DELAY_UNTIL_REBOOT);
                if (ok == 0) {
                    int error = Win32.lastError(state);
                    throw new CatalogException("cannot delete " + file + " now (" + inUse.getMessage()
                            + ") nor schedule it for the next reboot (MoveFileExW failed with Windows error " + error + ")");
                }
                return FileRemoval.AT_REBOOT;
            } catch (CatalogException e) {
                throw e;
            } catch (Throwable t) {
                throw new CatalogException("MoveFileExW failed: " + t, 0, t);
            }
        } catch (IOException e) {
            throw new CatalogException("cannot delete " + file + ": " + e.getMessage(), 0, e);
        }
    }
}
