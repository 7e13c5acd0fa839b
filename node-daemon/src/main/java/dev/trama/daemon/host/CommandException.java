package dev.trama.daemon.host;

/** A host command that failed, with its command line, exit code and error output in the message. */
public final class CommandException extends RuntimeException {

    public CommandException(CommandResult result) {
        super("`" + CommandResult.display(result.argv()) + "` failed (exit " + result.exitCode() + ")"
                + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()));
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
