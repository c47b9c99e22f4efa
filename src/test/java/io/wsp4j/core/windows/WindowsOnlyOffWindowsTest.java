package io.wsp4j.core.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.provider.windows.WindowsPlatform;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Off Windows, the Windows backends load (nothing in their static initialization touches kernel32 or
 * ntdll) and refuse use with a clear error instead of a linkage failure.
 */
@DisabledOnOs(OS.WINDOWS)
class WindowsOnlyOffWindowsTest {

    @Test
    void classesLoadAndInitialize() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        for (String name : new String[] {"io.wsp4j.core.windows.Kernel32", "io.wsp4j.core.windows.Ntdll",
                "io.wsp4j.core.windows.IocpCompletionPort", "io.wsp4j.provider.windows.WindowsPlatform",
                "io.wsp4j.provider.windows.WsaLastErrorCapture", "io.wsp4j.provider.windows.WindowsLogChannel"}) {
            assertEquals(name, Class.forName(name, true, loader).getName());
        }
        assertTrue(!Kernel32.isWindows());
    }

    @Test
    void useFailsClearly() {
        var port = assertThrows(UnsupportedOperationException.class, IocpCompletionPort::new);
        assertTrue(port.getMessage().contains("IocpCompletionPort is Windows-only"), port.getMessage());
        var platform = assertThrows(UnsupportedOperationException.class, WindowsPlatform::new);
        assertTrue(platform.getMessage().contains("WindowsPlatform is Windows-only"), platform.getMessage());
        var channel = assertThrows(UnsupportedOperationException.class, io.wsp4j.provider.windows.WindowsLogChannel::new);
        assertTrue(channel.getMessage().contains("WindowsLogChannel is Windows-only"), channel.getMessage());
        var ntdll = assertThrows(UnsupportedOperationException.class, () -> Ntdll.cancel(MemorySegment.NULL, true));
        assertTrue(ntdll.getMessage().contains("ntdll is Windows-only"), ntdll.getMessage());
    }
}
