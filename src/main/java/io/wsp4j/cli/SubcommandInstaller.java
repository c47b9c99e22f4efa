package io.wsp4j.cli;

import io.wsp4j.selftest.Installer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The selftest's catalog changes as the CLI's own commands, run in this process exactly as a user runs
 * them (each one transaction with its journal, verification and rollback), their output kept for the
 * selftest's report.
 */
final class SubcommandInstaller implements Installer {
    private final Path manifest;
    private final List<String> catalogArgs;

    SubcommandInstaller(Path manifest, List<String> catalogArgs) {
        this.manifest = manifest;
        this.catalogArgs = List.copyOf(catalogArgs);
    }

    @Override
    public Result install() {
        return run("install", "--manifest", manifest.toString());
    }

    @Override
    public Result uninstall() {
        return run("uninstall", "--manifest", manifest.toString());
    }

    @Override
    public Result rollbackJournal() {
        return run("rollback");
    }

    @Override
    public Result restoreSnapshot(String name) {
        return run("rollback", "--snapshot", name);
    }

    private Result run(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(catalogArgs);
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        var cl = Main.commandLine();
        cl.setOut(out);
        cl.setErr(out);
        int code = cl.execute(args.toArray(String[]::new));
        out.flush();
        List<String> lines = new ArrayList<>();
        lines.add("$ wsp4j " + String.join(" ", args));
        text.toString().lines().forEach(lines::add);
        return new Result(code, lines);
    }
}
