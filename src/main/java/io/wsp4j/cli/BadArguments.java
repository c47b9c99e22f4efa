package io.wsp4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Argument errors (a missing or unknown option, a value of the wrong kind) as one line and exit code
 * 2, with a pointer to the command's help instead of the whole usage text; as JSON too under --json.
 */
final class BadArguments implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName(" ");
        String message = oneLine(ex.getMessage()) + " (see `" + name + " --help`)";
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText(name + ": " + message));
        err.flush();
        if (wantsJson(args)) JsonFailure.print(cmd.getOut(), message, ExitCodes.BAD_INPUT);
        return ExitCodes.BAD_INPUT;
    }

    private static boolean wantsJson(String[] args) {
        for (String a : args) {
            if (a.equals("--json")) return true;
            if (a.equals("--")) return false;
        }
        return false;
    }

    static String oneLine(String text) {
        if (text == null) return "bad arguments";
        return text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
