package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ServerRequest;
import picocli.CommandLine.Option;

/** A command that shows part of the cluster view, as a table or, with --json, as the contract's JSON. */
abstract class ViewCommand extends DaemonCommand {

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    final int run(DaemonClient client) {
        ClusterView view = client.ask(new ServerRequest.GetCluster());
        out(json ? Output.json(shown(view)) : table(view));
        return ExitCodes.OK;
    }

    /** What --json prints. */
    abstract Object shown(ClusterView view);

    abstract String table(ClusterView view);
}
