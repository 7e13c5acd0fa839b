package dev.trama.console.menu;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.VxlanMode;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeStatus;

/**
 * What the menu asks of the daemon on this host. Each call either answers or throws a
 * {@link dev.trama.protocol.TramaException} whose message is one sentence for the user.
 */
public interface Daemon {

    /** "Are you configured?" */
    NodeStatus status();

    /** Configures the node on the segment; {@code vxlan} null takes the cluster's mode. */
    NodeConfigured configure(String segment, VxlanMode vxlan);

    ClusterView cluster();

    /** Answers once the container runs on its node with its address. */
    ContainerInfo run(ConsoleRequest.Run request);

    /** Answers once the container is gone. */
    ContainerInfo remove(String name);

    NodeLeft leave();
}
