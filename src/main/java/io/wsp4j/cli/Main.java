package io.wsp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wsp4j} command line. One {@code Callable<Integer>} per subcommand; exit codes are
 * documented in {@link ExitCodes} and in {@code --help}.
 */
@Command(
        name = "wsp4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Build, install and run Winsock layered service providers written in Java.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            CommandLine.HelpCommand.class, DemoCommand.class,
            InstallCommand.class, UninstallCommand.class, ListCommand.class, PlanCommand.class,
            RollbackCommand.class, SnapshotCommand.class, VerifyCommand.class, RepairCommand.class, AppCategoryCommand.class,
            HostCommand.class, SelftestCommand.class,
            ReadCatalogCommand.class,
            picocli.AutoComplete.GenerateCompletion.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:failure",
            "2:bad input (manifest, arguments, unsafe or missing paths); nothing was changed",
            "3:refused by the current state (e.g. another LSP depends on ours, an unfinished transaction: run `wsp4j rollback`)",
            "4:failed and rolled back; the catalog is as it was"
        })
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler(new BadArguments());
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE);
        return cl;
    }
}
