package dev.trama.console.commands;

import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import picocli.CommandLine.Command;

@Command(name = "ps", description = "Lists the containers of the cluster.")
public final class PsCommand extends ViewCommand {

    @Override
    Object shown(ClusterView view) {
        return view.containers();
    }

    @Override
    String table(ClusterView view) {
        return Tables.containers(view.containers());
    }
}
