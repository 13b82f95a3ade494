package dev.workspacesweb.exporter.cli;

/** The process exit codes, the same for every command. */
final class ExitCodes {
    static final int OK = 0;
    /** A runtime failure, e.g. an AWS error (the message names the error code). */
    static final int FAILURE = 1;
    /** A usage or configuration error (the message names the option or the key and line). */
    static final int USAGE = 2;

    private ExitCodes() {}
}
