package io.wsp4j.provider.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.provider.LastErrorCapture;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Windows only: the platform against the real ws2_32, kernel32 and the base provider mswsock.dll. */
@EnabledOnOs(OS.WINDOWS)
class WindowsPlatformTest {
    private final WindowsPlatform platform = new WindowsPlatform();

    @Test
    void expandsEnvironmentVariables() {
        String root = System.getenv("SystemRoot");
        assertEquals(root + "\\system32\\mswsock.dll", platform.expandEnvironment("%SystemRoot%\\system32\\mswsock.dll"));
        assertEquals("no variables", platform.expandEnvironment("no variables"));
    }

    @Test
    void expandsBeyondTheFirstGuess() {
        String longTail = "x".repeat(1000);
        String root = System.getenv("SystemRoot");
        assertEquals(root + "\\" + longTail, platform.expandEnvironment("%SystemRoot%\\" + longTail));
    }

    @Test
    void findsTheCatalogFunctions() {
        assertTrue(platform.ws2().find("WSCEnumProtocols").isPresent());
        assertTrue(platform.ws2().find("WSCGetProviderPath").isPresent());
    }

    @Test
    void loadsTheBaseProvider() {
        String path = platform.expandEnvironment("%SystemRoot%\\system32\\mswsock.dll");
        assertTrue(Path.of(path).toFile().isFile(), path);
        assertTrue(platform.loadProvider(path).find("WSPStartup").isPresent());
    }

    @Test
    void opensAWorkingCompletionPort() {
        try (CompletionPort port = platform.openCompletionPort()) {
            port.post(5);
            CompletionBatch batch = new CompletionBatch(2);
            assertEquals(1, port.poll(batch, 1000));
            assertEquals(5, batch.key(0));
        }
    }

    /**
     * The capture is the call's own: WSASetLastError through a capturing handle leaves its value in the
     * thread's capture state, and a later call that changes the thread's last error does not change it.
     */
    @Test
    void capturesTheLastErrorACallLeaves() throws Throwable {
        LastErrorCapture capture = platform.lastErrorCapture().orElseThrow();
        MemorySegment set = platform.ws2().find("WSASetLastError").orElseThrow();
        MethodHandle captured = capture.downcallHandle(set, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        MemorySegment state = capture.state();
        captured.invokeExact(state, 10035);
        MethodHandle plain = java.lang.foreign.Linker.nativeLinker().downcallHandle(set, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        plain.invokeExact(10054);
        assertEquals(10035, capture.lastError(state));
        assertTrue(capture.state() == state, "one capture state per thread");
    }
}
