package io.wsp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's error as one line ({@code wsp4j: <message>}); the stack trace only
 * when {@code -x/--stacktrace} was given or WSP4J_STACKTRACE is set.
 */
final class OneLineErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        boolean trace = System.getenv("WSP4J_STACKTRACE") != null || wantsTrace(parsed);
        int code = ex instanceof CliException ce ? ce.exitCode() : ExitCodes.FAILURE;
        String msg = BadArguments.oneLine(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        if (trace) {
            ex.printStackTrace(cmd.getErr());
        } else {
            cmd.getErr().println(cmd.getColorScheme().errorText("wsp4j: " + msg));
        }
        cmd.getErr().flush();
        if (has(parsed, "--json")) JsonFailure.print(cmd.getOut(), msg, code);
        return code;
    }

    private static boolean has(ParseResult parsed, String option) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) return true;
        }
        return false;
    }

    private static boolean wantsTrace(ParseResult parsed) {
        return has(parsed, "--stacktrace");
    }
}
