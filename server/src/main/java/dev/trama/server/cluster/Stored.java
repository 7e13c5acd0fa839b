package dev.trama.server.cluster;

import dev.trama.protocol.PortMapping;
import java.util.List;
import java.util.Map;

/** The records kept in etcd, one per key kind of {@link Keys}. Stored as JSON. */
final class Stored {

    private Stored() {
    }

    /**
     * A registered node. {@code lease} keeps its {@code alive/NAME} key while its heartbeats arrive;
     * {@code leaving} is set first when it leaves, so no launch lands on it meanwhile.
     */
    record Node(String name, String address, String bridgeIp, long lease, boolean leaving, long registeredAt) {
        Node withBridge(String ip) {
            return new Node(name, address, ip, lease, leaving, registeredAt);
        }

        Node withLease(long newLease) {
            return new Node(name, address, bridgeIp, newLease, leaving, registeredAt);
        }

        Node markLeaving() {
            return new Node(name, address, bridgeIp, lease, true, registeredAt);
        }
    }

    /** What holds an allocated address: a node's bridge or a container. */
    record Allocation(String ip, String kind, String name, String node) {
        static final String BRIDGE = "bridge";
        static final String CONTAINER = "container";
    }

    record Container(String name, String node, String ip, String image, String state, String taskId,
                     List<PortMapping> ports, Map<String, String> env, List<String> command, long createdAt) {
        Container with(String newState, String newTaskId) {
            return new Container(name, node, ip, image, newState, newTaskId, ports, env, command, createdAt);
        }
    }

    record Task(String taskId, String kind, String node, String container, String state, String message,
                long createdAt) {
        static final String LAUNCH = "launch";
        static final String DESTROY = "destroy";

        Task finished(String newState, String newMessage) {
            return new Task(taskId, kind, node, container, newState, newMessage, createdAt);
        }
    }

    record Metrics(String node, double cpuPercent, long freeMemMb, long totalMemMb, long at) {
    }
}
