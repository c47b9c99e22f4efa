package io.wsp4j.host.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class Ws2ExampleTest {
    @Test
    void echoesThroughTheHost() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Ws2Example.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> expected = List.of(
                "connect: 10035 (WSAEWOULDBLOCK: completes later)",
                "listener: FD_ACCEPT",
                "client: FD_CONNECT",
                "server: FD_READ",
                "server received \"hello\"",
                "client: FD_READ",
                "client received \"HELLO\"",
                "server: FD_CLOSE");
        // The listener's FD_ACCEPT and the client's FD_CONNECT race each other; everything else is ordered.
        assertEquals(expected.stream().sorted().toList(), lines.stream().sorted().toList(), String.join("\n", lines));
        assertEquals(expected.subList(3, 8), lines.subList(3, 8));
        assertTrue(lines.get(0).startsWith("connect:"));
    }
}
