package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help against what an earlier build showed: the options, their order and words,
 * the examples and the exit codes. Shared scaffolding (mixins) must not change what a user reads. On a
 * difference the text shown now is left in target/formats.
 */
class HelpTextTest {
    static final Path GOLDEN = Path.of("src/test/resources/formats");

    @Test
    void everyCommandsHelpShowsAsBefore() throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(help());
        for (String name : Main.commandLine().getSubcommands().keySet()) text.append(help(name));
        String shown = text.toString();
        String golden = Files.readString(GOLDEN.resolve("help.txt"), StandardCharsets.UTF_8);
        if (!golden.equals(shown)) {
            Path actual = Files.createDirectories(Path.of("target", "formats")).resolve("help.txt");
            Files.writeString(actual, shown, StandardCharsets.UTF_8);
            fail("the help is no longer shown as before; what is shown now: " + actual);
        }
    }

    private static String help(String... command) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 1);
        args[command.length] = "--help";
        Cli r = Cli.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r);
        return "$ wsp4j " + String.join(" ", args) + "\n" + r.out() + "\n";
    }
}
