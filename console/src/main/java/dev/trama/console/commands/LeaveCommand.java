package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.Replies.NodeLeft;
import picocli.CommandLine.Command;

@Command(name = "leave", description = "Takes this node out of the cluster: removes its containers and all its network set-up.")
public final class LeaveCommand extends DaemonCommand {

    @Override
    int run(DaemonClient client) {
        NodeLeft left = act(client, new ConsoleRequest.Leave(), "leaving the cluster");
        out("node " + left.node() + " left the cluster: " + left.containers().size() + " container(s) removed, "
                + left.released().size() + " address(es) released");
        return ExitCodes.OK;
    }
}
