package dev.trama.console.commands;

import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import picocli.CommandLine.Command;

@Command(name = "nodes", description = "Lists the nodes of the cluster with their status and metrics.")
public final class NodesCommand extends ViewCommand {

    @Override
    Object shown(ClusterView view) {
        return view.nodes();
    }

    @Override
    String table(ClusterView view) {
        return Tables.nodes(view.nodes());
    }
}
