package dev.trama.console.menu;

import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeStatus;
import dev.trama.protocol.TramaException;
import dev.trama.protocol.VxlanMode;
import java.util.List;

/**
 * The first question on an unconfigured node: its overlay segment. The cluster's segment, when there
 * is one, is offered as the default; an answer that is not a segment, or that the daemon refuses, is
 * shown why and asked again. The first node of a cluster is also asked for the VXLAN mode (multicast by
 * default); a later one takes the cluster's, which it is told.
 */
final class SegmentSetup {

    private final Screen screen;
    private final Prompter prompter;
    private final Waiting waiting;
    private final Daemon daemon;

    SegmentSetup(Screen screen, Prompter prompter, Waiting waiting, Daemon daemon) {
        this.screen = screen;
        this.prompter = prompter;
        this.waiting = waiting;
        this.daemon = daemon;
    }

    void configure(NodeStatus status) {
        String offered = status.clusterSubnet();
        screen.println("Node " + status.node() + " is not configured yet.\n"
                + (offered == null
                        ? "It is the first node of the cluster: choose the overlay segment (/8 to /28)."
                        : "The cluster's overlay segment is " + offered + " (" + status.clusterVxlan()
                                + " VXLAN): press Enter to join it."));
        while (true) {
            String segment = prompter.ask("Overlay segment (e.g. 10.10.0.0/16)", offered, List.of(),
                    answer -> Answers.segment(answer, offered));
            VxlanMode vxlan = offered != null ? null : prompter.ask("VXLAN mode (multicast, or unicast where the LAN "
                    + "carries no multicast)", VxlanMode.MULTICAST.word(), List.of(), Answers::vxlan);
            try {
                NodeConfigured configured = waiting.on("configuring node " + status.node() + " on " + segment,
                        () -> daemon.configure(segment, vxlan));
                screen.println("node " + configured.node() + " configured: segment " + configured.subnet()
                        + ", bridge " + configured.bridgeIp() + ", " + configured.vxlan() + " VXLAN");
                return;
            } catch (TramaException e) {
                screen.error(e.getMessage());
            }
        }
    }
}
