package dev.trama.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The result bodies of successful replies, one record per kind. */
public final class Replies {

    private Replies() {
    }

    /**
     * Registration accepted. {@code subnet} and {@code bridgeIp} are set when the cluster and node already
     * have them, {@code vxlan} (the cluster's mode) with the segment; {@code heartbeatMillis} is how often the
     * node must send a heartbeat to stay up.
     */
    public record NodeRegistered(String clusterId, String node, String subnet, String bridgeIp, long heartbeatMillis,
                                 VxlanMode vxlan) {
        public NodeRegistered {
            Check.clusterId(clusterId);
            Check.name(node, "node name");
            if (subnet != null) {
                subnet = Check.segment(subnet);
            }
            if (bridgeIp != null) {
                if (subnet == null) {
                    throw new IllegalArgumentException("a bridge address needs a segment");
                }
                Check.inSegment(bridgeIp, subnet, "bridge address");
            }
            if (heartbeatMillis <= 0) {
                heartbeatMillis = 1_000;
            }
            vxlan = subnet == null ? null : vxlan == null ? VxlanMode.MULTICAST : vxlan;
        }

        public NodeRegistered(String clusterId, String node, String subnet, String bridgeIp, long heartbeatMillis) {
            this(clusterId, node, subnet, bridgeIp, heartbeatMillis, null);
        }
    }

    /**
     * What should hold on a node in cluster {@code clusterId}: its containers' launches (running or pending),
     * its pending removals, the tombstones of its containers that the cluster released without it (to be
     * removed, with the reason, when found on the node), the member nodes (as {@link Task.Members}), and the cluster's names (as {@link Task.Names}; null from a server that predates
     * them).
     */
    public record Assignments(String clusterId, List<Task.Launch> launches, List<Task.Destroy> destroys,
                              List<Tombstone> tombstones, List<Task.Member> members, Task.Names names) {
        public Assignments {
            Check.clusterId(clusterId);
            launches = Check.list(launches);
            destroys = Check.list(destroys);
            tombstones = Check.list(tombstones);
            members = new Task.Members(members).members();
        }
    }

    /** A container the cluster let go of while its node could not be told: the launch that made it, and why. */
    public record Tombstone(String name, String taskId, String reason) {
        public Tombstone {
            Check.name(name, "container name");
            Check.taskId(taskId);
            reason = Check.text(reason);
        }
    }

    /** The node's share of the segment: the cluster's subnet and VXLAN mode, and the bridge address the node must hold. */
    public record NodeConfigured(String clusterId, String node, String subnet, String bridgeIp, VxlanMode vxlan) {
        public NodeConfigured {
            Check.clusterId(clusterId);
            Check.name(node, "node name");
            subnet = Check.segment(subnet);
            Check.inSegment(bridgeIp, subnet, "bridge address");
            vxlan = vxlan == null ? VxlanMode.MULTICAST : vxlan;
        }

        public NodeConfigured(String clusterId, String node, String subnet, String bridgeIp) {
            this(clusterId, node, subnet, bridgeIp, VxlanMode.MULTICAST);
        }
    }

    /** A launch or remove was recorded and its task published; the task's outcome comes later. */
    public record TaskAccepted(String taskId, ContainerInfo container) {
        public TaskAccepted {
            Check.taskId(taskId);
        }
    }

    /** What a task has come to: pending, done, or failed with the node's or the server's sentence. */
    public record TaskStatus(String taskId, State state, String message, ContainerInfo container, PullProgress progress) {

        /** On the wire as the lowercase word. */
        public enum State {
            @JsonProperty("pending") PENDING,
            @JsonProperty("done") DONE,
            @JsonProperty("failed") FAILED;

            @Override
            public String toString() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        public TaskStatus {
            Check.taskId(taskId);
            if (state == null) {
                throw new IllegalArgumentException("task state is required");
            }
            message = Check.text(message);
        }

        public TaskStatus(String taskId, State state, String message, ContainerInfo container) {
            this(taskId, state, message, container, null);
        }

        public boolean finished() {
            return state != State.PENDING;
        }
    }

    /** The node is gone from the cluster, with the addresses it held. */
    public record NodeLeft(String node, List<String> released, List<String> containers) {
        public NodeLeft {
            Check.name(node, "node name");
            released = Check.list(released);
            released.forEach(address -> Check.address(address, "released address"));
            containers = Check.list(containers);
            containers.forEach(name -> Check.name(name, "container name"));
        }
    }

    /** A daemon's answer to "are you configured?", with the cluster's segment and VXLAN mode (null before any). */
    public record NodeStatus(String node, boolean registered, boolean configured, String subnet, String bridgeIp,
                             String clusterSubnet, VxlanMode clusterVxlan) {
        public NodeStatus(String node, boolean registered, boolean configured, String subnet, String bridgeIp,
                          String clusterSubnet) {
            this(node, registered, configured, subnet, bridgeIp, clusterSubnet, null);
        }

        public NodeStatus {
            if (node != null) {
                Check.name(node, "node name");
            }
            if (subnet != null) {
                Check.segment(subnet);
            }
            if (bridgeIp != null) {
                Check.interfaceAddress(bridgeIp, "bridge address");
            }
            if (clusterSubnet != null) {
                Check.segment(clusterSubnet);
            }
            clusterVxlan = clusterSubnet == null ? null : clusterVxlan == null ? VxlanMode.MULTICAST : clusterVxlan;
        }
    }

    /**
     * A container in full, as {@code trama inspect} shows it. What its node has not reported yet (a pending
     * launch) is null; {@code created} and {@code started} are ISO-8601 instants in UTC.
     */
    public record ContainerDetails(String name, String node, String image, String imageId, String ip, String mac,
                                   List<PortMapping> ports, List<String> command, Map<String, String> env,
                                   ContainerStatus state, Integer exitCode, int restarts, String created, String started,
                                   ContainerOptions options) {
        /** What stands for an environment value that was not asked for. */
        public static final String MASKED = "***";

        public ContainerDetails {
            Check.name(name, "container name");
            Check.name(node, "node name");
            Check.image(image);
            imageId = Check.imageId(imageId);
            Check.interfaceAddress(ip, "container address");
            mac = Check.mac(mac);
            ports = Check.list(ports);
            command = Check.command(command);
            env = Check.env(env);
            if (state == null) {
                throw new IllegalArgumentException("container state is required");
            }
            created = Check.instant(created, "creation time");
            started = Check.instant(started, "start time");
            options = ContainerOptions.orDefault(options);
        }
    }

    /**
     * Lines a container printed, oldest first; whether it still runs; and whether more lines follow that did not
     * fit ({@code more}: ask again from the last line's time).
     */
    public record Logs(String name, List<LogLine> lines, boolean running, boolean more) {
        /** What one answer carries at most, in characters of text, well inside a message's size. */
        public static final int MAX_CHARS = 64 * 1024;
        public static final int MAX_LINES = 2_000;

        public Logs {
            Check.name(name, "container name");
            lines = Check.list(lines);
            if (lines.size() > MAX_LINES) {
                throw new IllegalArgumentException("too many log lines in one answer");
            }
        }
    }

    /**
     * A host's checks, as {@code trama doctor} shows them: {@code ok} unless one failed (warnings allowed), and each
     * check with one sentence saying what was found and, when it is not ok, what to do.
     */
    public record Diagnosis(boolean ok, List<Finding> checks) {
        public Diagnosis {
            checks = Check.list(checks);
        }

        public static Diagnosis of(List<Finding> checks) {
            return new Diagnosis(checks.stream().noneMatch(c -> c.status() == Finding.Status.FAILED), checks);
        }
    }

    /** One check of {@code trama doctor}: its name, how it came out, and one sentence. */
    public record Finding(String name, Status status, String detail) {
        public enum Status {
            @JsonProperty("ok") OK,
            @JsonProperty("warning") WARNING,
            @JsonProperty("failed") FAILED;

            @Override
            public String toString() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        public Finding {
            Check.name(name, "check name");
            if (status == null) {
                throw new IllegalArgumentException("a check's status is required");
            }
            detail = Check.text(detail);
        }

        public static Finding ok(String name, String detail) {
            return new Finding(name, Status.OK, detail);
        }

        public static Finding warning(String name, String detail) {
            return new Finding(name, Status.WARNING, detail);
        }

        public static Finding failed(String name, String detail) {
            return new Finding(name, Status.FAILED, detail);
        }
    }

    /** A request done that has nothing to return. */
    public record Done() {
    }
}
