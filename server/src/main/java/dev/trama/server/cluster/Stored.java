package dev.trama.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trama.protocol.ContainerOptions;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ContainerStatus;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.PullProgress;
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
                long registeredAt, Downtime down, int lanMtu) {
        Node(String name, String address, String publicKey, String bridgeIp, long lease, boolean leaving, long registeredAt,
             Downtime down) {
            this(name, address, publicKey, bridgeIp, lease, leaving, registeredAt, down, 0);
        }

        /** With the MTU of its LAN interface as it last reported it. */
        Node withLanMtu(int mtu) {
            return new Node(name, address, publicKey, bridgeIp, lease, leaving, registeredAt, down, mtu);
        }

        Node withBridge(String ip) {
            return new Node(name, address, publicKey, ip, lease, leaving, registeredAt, down, lanMtu);
        }

        /** Up again on a new lease: whatever its downtime was, it is over. */
        Node upOn(long newLease) {
            return new Node(name, address, publicKey, bridgeIp, newLease, leaving, registeredAt, null, lanMtu);
        }

        Node markLeaving() {
            return new Node(name, address, publicKey, bridgeIp, lease, true, registeredAt, down, lanMtu);
        }

        Node withDown(Downtime downtime) {
            return new Node(name, address, publicKey, bridgeIp, lease, leaving, registeredAt, downtime, lanMtu);
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

    /**
     * A container: {@code state} is the cluster's record of it (pending, running once its node launched it,
     * removing); {@code observed} is what its node's engine last said of it, for the launch {@code taskId} names.
     * {@code options} and {@code observed} are null in records written before they existed.
     */
    record Container(String name, String node, String ip, String image, ContainerState state, String taskId,
                     List<PortMapping> ports, Map<String, String> env, List<String> command, long createdAt,
                     ContainerOptions options, Observed observed) {
        Container {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        Container with(ContainerState newState, String newTaskId) {
            return new Container(name, node, ip, image, newState, newTaskId, ports, env, command, createdAt, options, observed);
        }

        Container observed(Observed seen) {
            return new Container(name, node, ip, image, state, taskId, ports, env, command, createdAt, options, seen);
        }

        /** The state consoles show: the record's, and once the launch is done, the engine's. */
        ContainerStatus status() {
            return state == ContainerState.RUNNING && observed != null ? observed.status() : ContainerStatus.of(state);
        }
    }

    /** A container as its node's engine last reported it. */
    record Observed(ContainerStatus status, int restarts, String imageId, String mac, String created, String started) {
    }

    enum TaskKind {
        @JsonProperty("launch") LAUNCH,
        @JsonProperty("destroy") DESTROY;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A launch or removal. {@code progress} is how far its node is in pulling the launch's image, reported at
     * {@code progressAt}; a task that makes progress is not failed by its deadline (null and 0 until then).
     */
    record Task(String taskId, TaskKind kind, String node, String container, TaskStatus.State state, String message,
                long createdAt, PullProgress progress, long progressAt) {
        Task(String taskId, TaskKind kind, String node, String container, TaskStatus.State state, String message,
             long createdAt) {
            this(taskId, kind, node, container, state, message, createdAt, null, 0);
        }

        Task finished(TaskStatus.State newState, String newMessage) {
            return new Task(taskId, kind, node, container, newState, newMessage, createdAt, progress, progressAt);
        }

        Task progressed(PullProgress now, long at) {
            return new Task(taskId, kind, node, container, state, message, createdAt, now, at);
        }

        /** When it was last heard of: made, or progressing. */
        long lastActivity() {
            return Math.max(createdAt, progressAt);
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
