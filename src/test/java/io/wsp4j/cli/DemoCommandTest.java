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
}
