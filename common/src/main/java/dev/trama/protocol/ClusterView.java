package dev.trama.protocol;

import java.util.List;

/** Everything a console shows: the segment ({@code null} before the first node is configured), containers and nodes. */
public record ClusterView(String subnet, List<ContainerInfo> containers, List<NodeInfo> nodes) {
    public ClusterView {
        if (subnet != null) {
            Check.segment(subnet);
        }
        containers = Check.list(containers);
        nodes = Check.list(nodes);
    }
}
