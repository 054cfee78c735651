package io.github.dgstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code dgstream} command-line tool. */
@Command(
        name = "dgstream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Stream audio to Deepgram (or the embedded emulator) and watch transcripts survive dropped"
                + " connections.",
        subcommands = {TranscribeCommand.class, EncodeCommand.class, EmulatorCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // One-line errors, never a stack trace: users see what went wrong, not where.
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("dgstream: " + CliErrors.describe(ex));
            return CliErrors.exitCode(ex);
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("dgstream: " + ex.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
