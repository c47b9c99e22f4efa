package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
    @Test
    void engineWalkThroughShowsTheMessagesAnApplicationWouldReceive_inOrder() {
        CommandLine cl = Main.commandLine();
        StringWriter text = new StringWriter();
        cl.setOut(new PrintWriter(text));
        assertEquals(ExitCodes.OK, cl.execute("demo", "--engine"));
        List<String> messages = text.toString().lines().filter(l -> l.strip().startsWith("message ")).map(String::strip).toList();
        assertEquals(4, messages.size(), text.toString());
        assertTrue(messages.get(0).endsWith("socket=100 FD_ACCEPT"), messages.get(0));
        assertTrue(messages.get(1).endsWith("socket=104 FD_READ"), messages.get(1));
        assertTrue(messages.get(2).endsWith("socket=104 FD_READ"), messages.get(2));
        assertTrue(messages.get(3).endsWith("socket=104 FD_CLOSE"), messages.get(3));
    }

    @Test
    void engineWalkThroughAsJson_eachStepWithTheMessagesItPosted() throws Exception {
        Cli r = Cli.run("demo", "--engine", "--json");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        com.fasterxml.jackson.databind.JsonNode steps = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("steps");
        List<String> posted = new java.util.ArrayList<>();
        steps.forEach(s -> {
            assertFalse(s.get("what").asText().isBlank());
            s.get("messages").forEach(m -> posted.add(m.get("socket").asLong() + " " + m.get("event").asText() + " " + m.get("wMsg").asText()));
        });
        assertEquals(List.of("100 FD_ACCEPT 0x401", "104 FD_READ 0x401", "104 FD_READ 0x401", "104 FD_CLOSE 0x401"), posted);
        assertTrue(steps.get(1).get("messages").size() == 1 && steps.get(0).get("messages").isEmpty(), steps.toString());
    }
}
