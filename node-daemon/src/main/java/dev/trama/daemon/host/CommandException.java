package dev.trama.daemon.host;

/** A host command that failed, with its command line, exit code and error output in the message. */
public final class CommandException extends RuntimeException {

    private final transient CommandResult result;

    public CommandException(CommandResult result) {
        super("`" + CommandResult.display(result.argv()) + "` failed (exit " + result.exitCode() + ")"
                + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()));
        this.result = result;
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
        this.result = null;
    }

    public CommandResult result() {
        return result;
    }

    public boolean stderrContains(String text) {
        return result != null && result.stderr().contains(text);
    }
}
