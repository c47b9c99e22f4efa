package io.wsp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The project's shell scripts (launchers, install scripts, the sourced helpers, CI) pass shellcheck
 * with the files they source followed ({@code -x}), warnings and errors counted. Skipped where
 * shellcheck is not installed, except under CI ({@code CI} set), which installs it.
 */
@EnabledOnOs(OS.LINUX)
class ShellScriptsTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    static final List<String> SCRIPTS = List.of("wsp4j", "build", ".ci/run", ".ci/lint", "benchmarks/run", "jextract/generate.sh",
            "src/main/sh/find-jdk.sh", "src/main/c/build.sh", "install-scripts/common.sh", "install-scripts/install.sh",
            "install-scripts/uninstall.sh", "install-scripts/rollback.sh", "install-scripts/selftest.sh");

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    @Test
    void passShellcheck() throws Exception {
        if (!onPath("shellcheck")) {
            String why = "shellcheck is not installed (Debian: shellcheck; .ci/run installs it)";
            if (System.getenv("CI") != null) fail(why);
            Assumptions.abort(why);
        }
        for (String s : SCRIPTS) assertEquals(true, Files.isRegularFile(ROOT.resolve(s)), s);
        List<String> command = new ArrayList<>(List.of("shellcheck", "-x", "-S", "warning"));
        command.addAll(SCRIPTS);
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) fail("shellcheck did not finish");
        assertEquals(0, p.exitValue(), out);
    }
}
