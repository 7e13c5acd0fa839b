package dev.trama.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.Replies.TaskStatus;
import java.util.List;
import java.util.Map;

/** The records kept in etcd, one per key kind of {@link Keys}. Stored as JSON, enums as lowercase words. */
final class Stored {

    private Stored() {
    }

    /**
     * A registered node. {@code publicKey} is the CURVE key it proved when it joined (null in an insecure
     * cluster): from then on the node is that key. {@code lease} keeps its {@code alive/NAME} key while its
     * heartbeats arrive; {@code leaving} is set first when it leaves, so no launch lands on it meanwhile;
     * {@code down} is set while its heartbeats are missing (see {@link Liveness}).
     */
    record Node(String name, String address, String publicKey, String bridgeIp, long lease, boolean leaving,
                long registeredAt, Downtime down) {
        Node withBridge(String ip) {
            return new Node(name, address, publicKey, ip, lease, leaving, registeredAt, down);
        }

        /** Up again on a new lease: whatever its downtime was, it is over. */
        Node upOn(long newLease) {
            return new Node(name, address, publicKey, bridgeIp, newLease, leaving, registeredAt, null);
        }

        Node markLeaving() {
            return new Node(name, address, publicKey, bridgeIp, lease, true, registeredAt, down);
        }

        Node withDown(Downtime downtime) {
            return new Node(name, address, publicKey, bridgeIp, lease, leaving, registeredAt, downtime);
        }
    }

    /**
     * A node's time down: seen down at {@code since}; what it holds is released at {@code releaseAt} unless it
     * comes back first; {@code released} once that is done. Times are the servers' clocks, in ms.
     */
    record Downtime(long since, long releaseAt, boolean released) {
        Downtime releasedNow() {
            return new Downtime(since, releaseAt, true);
        }
    }

    /** What holds an allocated address. */
    enum Holder {
        @JsonProperty("bridge") BRIDGE,
        @JsonProperty("container") CONTAINER
    }

    /** An allocated address and what holds it: a node's bridge or a container (named). */
    record Allocation(String ip, Holder kind, String name, String node) {
    }

    /** A node's host port, claimed by the container (named) that publishes it. */
    record PortClaim(String node, String port, String container) {
    }

    record Container(String name, String node, String ip, String image, ContainerState state, String taskId,
                     List<PortMapping> ports, Map<String, String> env, List<String> command, long createdAt) {
        Container {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        Container with(ContainerState newState, String newTaskId) {
            return new Container(name, node, ip, image, newState, newTaskId, ports, env, command, createdAt);
        }
    }

    enum TaskKind {
        @JsonProperty("launch") LAUNCH,
        @JsonProperty("destroy") DESTROY;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Task(String taskId, TaskKind kind, String node, String container, TaskStatus.State state, String message,
                long createdAt) {
        Task finished(TaskStatus.State newState, String newMessage) {
            return new Task(taskId, kind, node, container, newState, newMessage, createdAt);
        }

        boolean pending() {
            return state == TaskStatus.State.PENDING;
        }
    }

    /** A node's latest report: its load, and the containers it runs that the cluster does not know. */
    record Metrics(String node, double cpuPercent, long freeMemMb, long totalMemMb, long at, List<String> strays) {
    }

    /**
     * A container the cluster let go of while its node could not be told (the node was down past its grace, or
     * never confirmed the launch): when the node finds a container of that launch, it removes it, saying why.
     */
    record Tombstone(String node, String name, String taskId, String reason, long at) {
    }
}
