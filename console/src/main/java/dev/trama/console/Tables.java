package dev.trama.console;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.PortMapping;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The cluster as text tables, as {@code docker ps} and {@code kubectl get} print them, fitting 80
 * columns unless told the screen is wider: a long image name is cut at its start, names never are.
 */
public final class Tables {

    public static final int DEFAULT_WIDTH = 80;

    private static final int IMAGE_COLUMN = 3;
    private static final int IMAGE_MINIMUM = 16;

    private Tables() {
    }

    public static String containers(List<ContainerInfo> containers) {
        return containers(containers, DEFAULT_WIDTH);
    }

    /** The containers; a PORTS column ({@code 8080->80/tcp}) when any of them publishes a port. */
    public static String containers(List<ContainerInfo> containers, int width) {
        boolean published = containers.stream().anyMatch(c -> !c.ports().isEmpty());
        TextTable table = (published ? new TextTable("NAME", "NODE", "IP", "IMAGE", "STATE", "PORTS")
                : new TextTable("NAME", "NODE", "IP", "IMAGE", "STATE")).shrinkable(IMAGE_COLUMN, IMAGE_MINIMUM);
        for (ContainerInfo c : containers) {
            if (published) {
                table.row(c.name(), c.node(), c.ip(), c.image(), c.state().toString(), ports(c.ports()));
            } else {
                table.row(c.name(), c.node(), c.ip(), c.image(), c.state().toString());
            }
        }
        return table.render(width);
    }

    /** Published ports as {@code docker ps} shows them: {@code 8080->80/tcp, 5353->53/udp}. */
    static String ports(List<PortMapping> ports) {
        return ports.stream().map(p -> p.host() + "->" + p.container() + "/" + p.protocol()).collect(Collectors.joining(", "));
    }

    public static String nodes(List<NodeInfo> nodes) {
        return nodes(nodes, DEFAULT_WIDTH);
    }

    public static String nodes(List<NodeInfo> nodes, int width) {
        TextTable table = new TextTable("NAME", "ADDRESS", "STATUS", "CPU", "FREE RAM", "CONTAINERS", "MTU");
        for (NodeInfo n : nodes) {
            table.row(n.name(), n.address(), status(n), cpu(n.cpuPercent()), freeMemory(n.freeMemMb()),
                    Integer.toString(n.containers()), n.lanMtu() == null ? "-" : n.lanMtu().toString());
        }
        return table.render(width) + notes(nodes);
    }

    /**
     * A node's status, and what is wrong with the overlay's path to it from here when something is: "up" (and its
     * path works, or is not measured), "up, no path" (no probe comes back), "up, path MTU" (full-size frames do
     * not cross), "down".
     */
    static String status(NodeInfo node) {
        NodeInfo.Path path = node.path();
        if (node.status() != NodeInfo.Status.UP || path == null || path.ok() && path.mtuOk()) {
            return node.status().toString();
        }
        return path.ok() ? "up, path MTU" : "up, no path";
    }

    /** What the table cannot say: when a down node's containers are released, and what nodes found wrong. */
    static String notes(List<NodeInfo> nodes) {
        StringBuilder notes = new StringBuilder();
        for (NodeInfo n : nodes) {
            if (n.releaseAt() != null) {
                notes.append(n.name()).append(" is down: its containers are kept, and released at ")
                        .append(n.releaseAt()).append(" unless it comes back\n");
            }
            n.warnings().forEach(w -> notes.append("warning: ").append(n.name()).append(": ").append(w).append('\n'));
        }
        return notes.toString();
    }

    public static String info(ClusterView view) {
        return info(view, DEFAULT_WIDTH);
    }

    public static String info(ClusterView view, int width) {
        return "Segment: " + (view.subnet() == null ? "(none yet)" : view.subnet() + "\nVXLAN: " + view.vxlan()) + "\n\n"
                + "CONTAINERS\n" + (view.containers().isEmpty() ? "(none)\n" : containers(view.containers(), width)) + "\n"
                + "NODES\n" + (view.nodes().isEmpty() ? "(none)\n" : nodes(view.nodes(), width));
    }

    static String cpu(Double percent) {
        return percent == null ? "-" : String.format(Locale.ROOT, "%.1f%%", percent);
    }

    static String freeMemory(Long megabytes) {
        return megabytes == null ? "-" : megabytes + " MB";
    }
}
