package dev.trama.daemon.tasks;

import dev.trama.daemon.host.HostSockets;
import dev.trama.daemon.host.Ip;
import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.RecordingRunner;
import dev.trama.daemon.host.Sysctl;
import dev.trama.daemon.network.Firewall;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.network.OverlaySettings;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.net.Ipv4;
import dev.trama.protocol.Report;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A node whose overlay is built, as its host commands answer it, for tests of what runs on it. */
public final class BuiltNode {

    /** The cluster whose containers' labels say what the node publishes. */
    public static final String CLUSTER = "c0ffee00";
    /** The socket tables of a host where no process holds any port. */
    public static final String NO_SOCKETS = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n";

    private BuiltNode() {
    }

    /** The container tasks of a node with its bridge in place, over the given engine. */
    public static ContainerTasks tasks(String node, ContainerRuntime engine) {
        return tasks(node, engine, report -> { }, host());
    }

    /**
     * As {@link #tasks(String, ContainerRuntime)}, telling {@code reports} what the cluster would be told, with the
     * host's commands run by {@code host} (from {@link #host()}).
     */
    public static ContainerTasks tasks(String node, ContainerRuntime engine, Consumer<Report> reports, RecordingRunner host) {
        NodeNetwork network = new NodeNetwork(new Ip(host), new Firewall(new Iptables(host)), new Sysctl(Path.of("/nonexistent")),
                HostSockets.through(host), new OverlaySettings(42, Ipv4.parse("239.1.1.1"), 4789, 20, "eth0", 1500), node);
        ContainerTasks tasks = new ContainerTasks(node, engine, network, reports);
        network.publishFrom(() -> tasks.publications(CLUSTER));
        return tasks;
    }

    /** A host whose bridge is in place, where no container's veth is yet and no process holds a port. */
    public static RecordingRunner host() {
        return new RecordingRunner()
                .answer("ip -json -details link show dev trama0", 0,
                        "[{\"ifindex\":3,\"ifname\":\"trama0\",\"mtu\":1450,\"linkinfo\":{\"info_kind\":\"bridge\"}}]", "")
                .answer("ip -json -details link show", 0, "[]", "") // no container's veth is there
                .succeed("ip link") // attaching and detaching
                .succeed("nsenter") // configuring eth0 inside the container
                .answer("cat", 0, NO_SOCKETS, "");
    }
}
