package io.wsp4j.provider.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Windows only: the provider log's channel reads the shim's registry value with RegGetValueW (under
 * HKCU here, which needs no elevation; written and removed with reg.exe) and writes to the debugger.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsLogChannelTest {

    private static void reg(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("reg.exe"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), () -> String.join(" ", command) + ": " + out);
    }

    @Test
    void readsTheConfigPathValueAndFindsNothingWithoutIt() throws Exception {
        assumeTrue(System.getenv("WSP4J_SHIM_CONFIG") == null, "WSP4J_SHIM_CONFIG is set: it comes first");
        String key = "Software\\wsp4j-test-" + UUID.randomUUID();
        WindowsLogChannel channel = new WindowsLogChannel(WindowsLogChannel.HKEY_CURRENT_USER, key);
        assertEquals(Optional.empty(), channel.shimConfig(), "no key");
        String path = "C:\\ProgramData\\wsp4j\\" + "x".repeat(300) + "\\shim.conf"; // longer than MAX_PATH
        reg("add", "HKCU\\" + key, "/v", WindowsLogChannel.VALUE, "/t", "REG_SZ", "/d", path, "/f");
        try {
            assertEquals(Optional.of(Path.of(path)), channel.shimConfig());
        } finally {
            reg("delete", "HKCU\\" + key, "/f");
        }
    }

    @Test
    void writesToTheDebugger() {
        assertTrue(new WindowsLogChannel().debugOutput("wsp4j test line: é ✓"));
    }
}
