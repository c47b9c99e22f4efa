package io.wsp4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every wsp4j command is, inherited the picocli way (a subclass's {@code @Command} adds to this
 * one's): --help and --version, examples under an "Examples:" footer, and one body whose exit code is
 * the command's, its failures mapped to the documented exit codes ({@link Failures}) and reported as
 * one line, or as JSON under --json ({@link OneLineErrors}).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, footerHeading = "%nExamples:%n")
abstract class Subcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The command's work; it returns the exit code, or throws what {@link Failures} maps to one. */
    abstract int execute() throws Exception;

    @Override
    public Integer call() {
        return Failures.guard(spec, this::execute);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
