package io.github.dgstream.cli;

/** Turns exceptions into one-line messages and exit codes. */
final class CliErrors {
    private CliErrors() {}

    static String describe(Throwable ex) {
        if (ex instanceof CliException) {
            return ex.getMessage();
        }
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof CliException cli) {
            return cli.exitCode();
        }
        if (ex instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.STREAM_FAILED;
    }
}
