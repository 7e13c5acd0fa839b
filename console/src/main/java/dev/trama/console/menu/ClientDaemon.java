package dev.trama.console.menu;

import dev.trama.console.DaemonClient;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeStatus;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.VxlanMode;

/** The daemon reached through the console's {@link DaemonClient}: reads are quick asks, changes are acts. */
final class ClientDaemon implements Daemon {

    private final DaemonClient client;

    ClientDaemon(DaemonClient client) {
        this.client = client;
    }

    @Override
    public NodeStatus status() {
        return client.ask(new ConsoleRequest.GetStatus());
    }

    @Override
    public NodeConfigured configure(String segment, VxlanMode vxlan) {
        return client.act(new ConsoleRequest.Configure(segment, vxlan));
    }

    @Override
    public ClusterView cluster() {
        return client.ask(new ServerRequest.GetCluster());
    }

    @Override
    public ContainerInfo run(ConsoleRequest.Run request) {
        return client.act(request);
    }

    @Override
    public ContainerInfo remove(String name) {
        return client.act(new ConsoleRequest.Remove(name));
    }

    @Override
    public NodeLeft leave() {
        return client.act(new ConsoleRequest.Leave());
    }
}
