package io.wsp4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the CLI in a child JVM on the test classpath (a real process: it can be killed with SIGKILL). */
final class ChildCli {
    private ChildCli() {}

    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static ProcessBuilder builder(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** A launcher script that runs this CLI, for the install scripts (they call "$WSP4J_LAUNCHER" ...). */
    static Path launcher(Path dir) throws IOException {
        Path script = dir.resolve("wsp4j-under-test");
        Files.writeString(script, "#!/bin/sh\nexec '" + java() + "' --enable-native-access=ALL-UNNAMED -cp '" + classpath()
                + "' " + Main.class.getName() + " \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }
}
