package dev.trama.daemon.host;

import java.util.List;

/**
 * Runs host commands as argument vectors. {@link ProcessRunner} is the only implementation that starts
 * a process; nothing else in the daemon does. No argument ever passes through a shell.
 */
public interface CommandRunner {

    /** Runs the command to its end; a non-zero exit is a result, not an exception. */
    CommandResult run(List<String> argv);

    /** Runs the command and throws {@link CommandException} unless it exits 0. */
    default CommandResult check(List<String> argv) {
        CommandResult result = run(argv);
        if (result.exitCode() != 0) {
            throw new CommandException(result);
        }
        return result;
    }
}
