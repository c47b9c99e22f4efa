package io.wsp4j.catalog.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Whether this process runs with an elevated token (OpenProcessToken + GetTokenInformation(TokenElevation)). */
final class Elevation {
    private Elevation() {}

    static boolean isElevated() {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment process = (MemorySegment) Win32.Handles.GET_CURRENT_PROCESS.invokeExact();
            MemorySegment tokenOut = arena.allocate(ADDRESS);
            int ok = (int) Win32.Handles.OPEN_PROCESS_TOKEN.invokeExact(process, Win32.TOKEN_QUERY, tokenOut);
            if (ok == 0) return false;
            MemorySegment token = tokenOut.get(ADDRESS, 0);
            try {
                MemorySegment elevation = arena.allocate(JAVA_INT); // TOKEN_ELEVATION { DWORD TokenIsElevated; }
                MemorySegment returned = arena.allocate(JAVA_INT);
                ok = (int) Win32.Handles.GET_TOKEN_INFORMATION.invokeExact(token, Win32.TOKEN_ELEVATION_CLASS, elevation,
                        (int) JAVA_INT.byteSize(), returned);
                return ok != 0 && elevation.get(JAVA_INT, 0) != 0;
            } finally {
                io.wsp4j.bindings.WinApi.CloseHandle(token);
            }
        } catch (Throwable t) {
            return false;
        }
    }
}
