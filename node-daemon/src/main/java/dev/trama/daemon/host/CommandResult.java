package dev.trama.daemon.host;

import java.util.List;

/** What a host command did: its argument vector, exit code and output. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {

    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** The command line for messages; arguments with spaces are quoted for reading, never for running. */
    public static String display(List<String> argv) {
        return String.join(" ", argv.stream().map(a -> a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a).toList());
    }
}
