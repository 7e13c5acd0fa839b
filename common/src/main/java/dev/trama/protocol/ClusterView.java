package dev.trama.protocol;

import java.util.List;

/**
 * Everything a console shows: the segment and its VXLAN mode ({@code null} before the first node is configured),
 * containers and nodes; {@code serverTime} is the answering server's clock (ms since the epoch; 0 when unknown).
 */
public record ClusterView(String subnet, List<ContainerInfo> containers, List<NodeInfo> nodes, VxlanMode vxlan,
                          long serverTime) {
    public ClusterView {
        if (subnet != null) {
            Check.segment(subnet);
        }
        containers = Check.list(containers);
        nodes = Check.list(nodes);
        vxlan = subnet == null ? null : vxlan == null ? VxlanMode.MULTICAST : vxlan;
    }

    public ClusterView(String subnet, List<ContainerInfo> containers, List<NodeInfo> nodes, VxlanMode vxlan) {
        this(subnet, containers, nodes, vxlan, 0);
    }

    public ClusterView(String subnet, List<ContainerInfo> containers, List<NodeInfo> nodes) {
        this(subnet, containers, nodes, null);
    }
}
