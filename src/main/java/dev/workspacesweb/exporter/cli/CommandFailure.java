package dev.workspacesweb.exporter.cli;

/** Ends a command with a message for stderr and an exit code (see {@link ExitCodes}). */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A usage or configuration error: exit 2. */
    static CommandFailure usage(String message) {
        return new CommandFailure(ExitCodes.USAGE, message);
    }

    /** A runtime failure, e.g. what AWS answered: exit 1. */
    static CommandFailure failure(String message) {
        return new CommandFailure(ExitCodes.FAILURE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
