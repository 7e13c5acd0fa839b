package dev.trama.console.menu;

import dev.trama.protocol.Replies.NodeLeft;

/** Option 4: after a confirmation, takes this node out of the cluster; the console then closes. */
final class LeaveCluster {

    private final Screen screen;
    private final Prompter prompter;
    private final Waiting waiting;
    private final Daemon daemon;
    private final String localNode;

    LeaveCluster(Screen screen, Prompter prompter, Waiting waiting, Daemon daemon, String localNode) {
        this.screen = screen;
        this.prompter = prompter;
        this.waiting = waiting;
        this.daemon = daemon;
        this.localNode = localNode;
    }

    /** Whether the node left; {@code false} when the user said no. */
    boolean leave() {
        screen.println("Leaving removes this node's containers and its network set-up.");
        if (!prompter.confirm("Take node " + localNode + " out of the cluster?")) {
            screen.println("Node " + localNode + " stays in the cluster.");
            return false;
        }
        NodeLeft left = waiting.on("leaving the cluster", daemon::leave);
        screen.println("node " + left.node() + " left the cluster: " + left.containers().size() + " container(s) removed, "
                + left.released().size() + " address(es) released");
        return true;
    }
}
