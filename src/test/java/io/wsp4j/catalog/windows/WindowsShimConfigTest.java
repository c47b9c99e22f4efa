package io.wsp4j.catalog.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows only: the shim config's registry value, under a key of HKEY_CURRENT_USER (the same calls as
 * for HKLM\SOFTWARE\wsp4j, without elevation), inspected with reg.exe. Writing creates the key; deleting
 * removes the value, and the key too when nothing else is left in it.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsShimConfigTest {
    @TempDir Path dir;
    private final String key = "Software\\wsp4j-test-" + UUID.randomUUID();

    private static int reg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("reg.exe"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private WindowsShimConfig config() {
        return new WindowsShimConfig(dir.resolve("shim.conf"), Win32.HKEY_CURRENT_USER, key);
    }

    @Test
    void deletingTheLastValueRemovesTheKeyItCreated() throws Exception {
        WindowsShimConfig c = config();
        c.write("jvm=C:\\j.dll\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, reg("query", "HKCU\\" + key, "/v", WindowsShimConfig.VALUE), "the value is written");
        c.delete();
        assertFalse(Files.exists(dir.resolve("shim.conf")));
        assertEquals(1, reg("query", "HKCU\\" + key), "no empty key left behind");
    }

    @Test
    void aKeyThatHoldsSomethingElseStays() throws Exception {
        WindowsShimConfig c = config();
        c.write("jvm=C:\\j.dll\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, reg("add", "HKCU\\" + key, "/v", "Other", "/t", "REG_SZ", "/d", "theirs", "/f"));
        try {
            c.delete();
            assertEquals(1, reg("query", "HKCU\\" + key, "/v", WindowsShimConfig.VALUE), "our value is gone");
            assertEquals(0, reg("query", "HKCU\\" + key, "/v", "Other"), "theirs stays, and so the key");
        } finally {
            assertTrue(reg("delete", "HKCU\\" + key, "/f") == 0);
        }
    }
}
