package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ServerRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", description = "Shows the cluster: its segment, containers and nodes.")
public final class InfoCommand extends DaemonCommand {

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    int run(DaemonClient client) {
        ClusterView view = client.ask(new ServerRequest.GetCluster());
        out(json ? Output.json(view) : Tables.info(view));
        return ExitCodes.OK;
    }
}
