package dev.trama.console.commands;

import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import picocli.CommandLine.Command;

@Command(name = "info", description = "Shows the cluster: its segment, containers and nodes.")
public final class InfoCommand extends ViewCommand {

    @Override
    Object shown(ClusterView view) {
        return view;
    }

    @Override
    String table(ClusterView view) {
        return Tables.info(view);
    }
}
