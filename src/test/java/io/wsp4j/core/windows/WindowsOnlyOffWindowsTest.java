package io.wsp4j.core.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings.WAITORTIMERCALLBACK;
import io.wsp4j.provider.windows.WindowsPlatform;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Off Windows, the Windows backends load (nothing in their static initialization touches kernel32)
 * and refuse use with a clear error instead of a linkage failure.
 */
@DisabledOnOs(OS.WINDOWS)
class WindowsOnlyOffWindowsTest {

    @Test
    void classesLoadAndInitialize() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        for (String name : new String[] {"io.wsp4j.core.windows.Kernel32", "io.wsp4j.core.windows.WaitCallback",
                "io.wsp4j.core.windows.IocpCompletionPort", "io.wsp4j.provider.windows.WindowsPlatform"}) {
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
    }

    @Test
    void waitCallbackContextHoldsPortAndKey() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = WaitCallback.newContext(arena, MemorySegment.ofAddress(0x1234), 0x55AA_0000_0001L);
            assertEquals(WaitCallback.CONTEXT.byteSize(), context.byteSize());
            assertEquals(0x1234, context.get(ValueLayout.ADDRESS, 0).address());
            assertEquals(0x55AA_0000_0001L, context.get(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS.byteSize()));
        }
    }

    /** The upcall swallows what its body throws (here: kernel32 is missing) instead of ending the JVM. */
    @Test
    void waitCallbackSurvivesAFailingPost() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = WaitCallback.newContext(arena, MemorySegment.ofAddress(0x1234), 7);
            WAITORTIMERCALLBACK.invoke(WaitCallback.stub(), context, (byte) 0);
        }
        // Reaching this line is the test: an exception escaping an upcall terminates the process.
        assertThrows(UnsupportedOperationException.class, IocpCompletionPort::new, "and the clear error is unchanged");
    }
}
