package dev.trama.console.menu;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeStatus;
import dev.trama.protocol.TramaException;
import dev.trama.protocol.VxlanMode;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A daemon in memory: node n1 of a cluster with node n2, answering as the real one does. */
class FakeDaemon implements Daemon {

    // the menu runs on a thread of its own while the test reads these
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<ContainerInfo> containers = new CopyOnWriteArrayList<>();
    String clusterSubnet;
    String subnet;
    String failNextRun;

    FakeDaemon(String clusterSubnet, boolean configured) {
        this.clusterSubnet = clusterSubnet;
        this.subnet = configured ? clusterSubnet : null;
    }

    @Override
    public NodeStatus status() {
        calls.add("status");
        return new NodeStatus("n1", true, subnet != null, subnet, subnet == null ? null : bridge(), clusterSubnet);
    }

    @Override
    public NodeConfigured configure(String segment, VxlanMode vxlan) {
        calls.add("configure " + segment + (vxlan == null ? "" : " " + vxlan));
        if (clusterSubnet != null && !clusterSubnet.equals(segment)) {
            throw new TramaException(ErrorCode.SEGMENT_CONFLICT,
                    "the cluster's segment is " + clusterSubnet + ", not " + segment);
        }
        clusterSubnet = segment;
        subnet = segment;
        return new NodeConfigured("c1", "n1", segment, bridge(), vxlan == null ? VxlanMode.MULTICAST : vxlan);
    }

    private String bridge() {
        return subnet.replaceAll("\\.0/", ".1/");
    }

    @Override
    public ClusterView cluster() {
        calls.add("cluster");
        List<NodeInfo> nodes = List.of(
                new NodeInfo("n1", "192.0.2.11", NodeInfo.Status.UP, 2.5, 900L, count("n1"), null, null, List.of()),
                new NodeInfo("n2", "192.0.2.12", NodeInfo.Status.UP, null, null, count("n2"), null, null, List.of()));
        return new ClusterView(clusterSubnet, containers, nodes);
    }

    private int count(String node) {
        return (int) containers.stream().filter(c -> c.node().equals(node)).count();
    }

    @Override
    public ContainerInfo run(ConsoleRequest.Run request) {
        calls.add("run " + request.node() + " " + request.name() + " " + request.image()
                + (request.ports().isEmpty() ? "" : " " + request.ports()));
        if (request.name().equals(failNextRun)) {
            throw new TramaException(ErrorCode.TASK_FAILED, "node '" + request.node() + "' could not launch '"
                    + request.name() + "': image not found");
        }
        ContainerInfo container = new ContainerInfo(request.name(), request.node(), "10.10.0." + (containers.size() + 5) + "/16",
                request.image() == null ? "trama/base:latest" : request.image(), dev.trama.protocol.ContainerState.RUNNING, List.of());
        containers.add(container);
        return container;
    }

    @Override
    public ContainerInfo remove(String name) {
        calls.add("remove " + name);
        ContainerInfo container = containers.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new TramaException(ErrorCode.NOT_FOUND, "there is no container '" + name + "'"));
        containers.remove(container);
        return container.withState(dev.trama.protocol.ContainerState.REMOVED);
    }

    @Override
    public NodeLeft leave() {
        calls.add("leave");
        int removed = count("n1");
        containers.removeIf(c -> c.node().equals("n1"));
        return new NodeLeft("n1", List.of("10.10.0.1"), Collections.nCopies(removed, "x"));
    }
}
