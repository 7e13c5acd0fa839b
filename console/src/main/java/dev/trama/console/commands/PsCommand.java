package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ServerRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", description = "Lists the containers of the cluster.")
public final class PsCommand extends DaemonCommand {

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    int run(DaemonClient client) {
        ClusterView view = client.ask(new ServerRequest.GetCluster());
        out(json ? Output.json(view.containers()) : Tables.containers(view.containers()));
        return ExitCodes.OK;
    }
}
