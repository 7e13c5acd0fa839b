package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ServerRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "nodes", description = "Lists the nodes of the cluster with their status and metrics.")
public final class NodesCommand extends DaemonCommand {

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    int run(DaemonClient client) {
        ClusterView view = client.ask(new ServerRequest.GetCluster());
        out(json ? Output.json(view.nodes()) : Tables.nodes(view.nodes()));
        return ExitCodes.OK;
    }
}
