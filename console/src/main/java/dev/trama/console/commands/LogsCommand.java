package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.protocol.LogLine;
import dev.trama.protocol.Replies;
import dev.trama.protocol.ServerRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Shows what a container printed, on whichever node it runs.")
public final class LogsCommand extends DaemonCommand {

    /** How often -f asks for new lines. */
    private static final long FOLLOW_EVERY_MS = 500;

    @Parameters(index = "0", paramLabel = "NAME", description = "the container's name")
    String name;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until Ctrl-C or the container stops")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "only the last N lines (default: all)")
    Integer tail;

    private ServerRequest.GetLogs first;

    @Override
    void check() {
        first = valid(() -> new ServerRequest.GetLogs(name, tail == null ? -1 : tail, null));
    }

    /**
     * Prints the container's output, its standard error on the console's. Each answer holds a bounded number of
     * lines; the next request asks for those after the last one printed, until nothing is left, and with -f on
     * until the container stops.
     */
    @Override
    int run(DaemonClient client) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServerRequest.GetLogs request = first;
        while (true) {
            Replies.Logs logs = client.ask(request);
            for (LogLine line : logs.lines()) {
                (line.stream().equals("stderr") ? err : out).println(line.text());
            }
            out.flush();
            err.flush();
            String since = logs.lines().isEmpty() ? request.since() : logs.lines().get(logs.lines().size() - 1).at();
            if (!logs.more() && (!follow || !logs.running())) {
                return ExitCodes.OK;
            }
            if (!logs.more()) {
                try {
                    Thread.sleep(FOLLOW_EVERY_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.OK;
                }
            }
            request = new ServerRequest.GetLogs(name, -1, since == null ? LATEST_BEFORE_ANY : since);
        }
    }

    /** Asking "after the beginning of time" for a container that printed nothing yet. */
    private static final String LATEST_BEFORE_ANY = "1970-01-01T00:00:00Z";
}
