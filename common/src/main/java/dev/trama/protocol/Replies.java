package dev.trama.protocol;

import java.util.List;

/** The result bodies of successful replies, one record per kind. */
public final class Replies {

    private Replies() {
    }

    /**
     * Registration accepted. {@code subnet} and {@code bridgeIp} are set when the cluster and node already
     * have them; {@code heartbeatMillis} is how often the node must send a heartbeat to stay up.
     */
    public record NodeRegistered(String clusterId, String node, String subnet, String bridgeIp, long heartbeatMillis) {
        public NodeRegistered {
            Check.name(node, "node name");
            if (heartbeatMillis <= 0) {
                heartbeatMillis = 1_000;
            }
        }
    }

    /** What should hold on a node: its containers' launches (running or pending) and pending removals. */
    public record Assignments(List<Task.Launch> launches, List<Task.Destroy> destroys) {
        public Assignments {
            launches = Check.list(launches);
            destroys = Check.list(destroys);
        }
    }

    /** The node's share of the segment: the cluster's subnet and the bridge address the node must hold. */
    public record NodeConfigured(String clusterId, String node, String subnet, String bridgeIp) {
        public NodeConfigured {
            Check.name(node, "node name");
            Check.segment(subnet);
            Check.interfaceAddress(bridgeIp, "bridge address");
        }
    }

    /** A launch or remove was recorded and its task published; the task's outcome comes later. */
    public record TaskAccepted(String taskId, ContainerInfo container) {
        public TaskAccepted {
            Check.taskId(taskId);
        }
    }

    /** What a task has come to. {@code state} is {@link #PENDING}, {@link #DONE} or {@link #FAILED}. */
    public record TaskStatus(String taskId, String state, String message, ContainerInfo container) {
        public static final String PENDING = "pending";
        public static final String DONE = "done";
        public static final String FAILED = "failed";

        public TaskStatus {
            Check.taskId(taskId);
        }

        public boolean finished() {
            return !PENDING.equals(state);
        }
    }

    /** Addresses released, and those asked for that were not allocated. */
    public record Released(List<String> released, List<String> notAllocated) {
        public Released {
            released = Check.list(released);
            notAllocated = Check.list(notAllocated);
        }
    }

    /** The node is gone from the cluster, with the addresses it held. */
    public record NodeLeft(String node, List<String> released, List<String> containers) {
        public NodeLeft {
            released = Check.list(released);
            containers = Check.list(containers);
        }
    }

    /** A daemon's answer to "are you configured?". */
    public record NodeStatus(String node, boolean registered, boolean configured, String subnet, String bridgeIp,
                             String clusterSubnet) {
    }

    /** A request done that has nothing to return. */
    public record Done() {
    }
}
