package dev.trama.protocol;

import dev.trama.protocol.Replies.Assignments;
import dev.trama.protocol.Replies.ContainerDetails;
import dev.trama.protocol.Replies.Done;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Replies.TaskAccepted;
import dev.trama.protocol.Replies.TaskStatus;
import java.util.List;
import java.util.Map;

/** Requests a daemon sends to the server's request port (REQ → 8081). */
public sealed interface ServerRequest<R> extends Request<R> {

    /**
     * Joins the cluster; a node that registers again with the same name and address is welcomed back.
     * {@code clusterId} is the cluster the node belongs to, {@code null} on its first join: a server of
     * another cluster refuses it rather than adopt the node. {@code joinSecret}, from the cluster's join token,
     * admits a node that is not a member yet; a member is known by its key and sends none.
     */
    @WireName("node.register")
    record RegisterNode(String name, String address, String clusterId, String joinSecret)
            implements ServerRequest<NodeRegistered> {
        public RegisterNode {
            Check.name(name, "node name");
            Check.address(address, "node address");
            if (clusterId != null) {
                Check.clusterId(clusterId);
            }
            if (joinSecret != null && !joinSecret.matches("[0-9a-f]{32,128}")) {
                throw new IllegalArgumentException("the join secret is malformed");
            }
        }

        /** A first join, without a token (an insecure cluster). */
        public RegisterNode(String name, String address) {
            this(name, address, null, null);
        }

        public RegisterNode(String name, String address, String clusterId) {
            this(name, address, clusterId, null);
        }
    }

    /** Keeps the node up: it is shown down when none arrives for the server's node timeout. */
    @WireName("node.heartbeat")
    record Heartbeat(String node, String clusterId) implements ServerRequest<Done> {
        public Heartbeat {
            Check.name(node, "node name");
            Check.clusterId(clusterId);
        }
    }

    /** What the cluster says should hold on the node, for it to converge to after a restart or a lost task. */
    @WireName("node.assignments")
    record GetAssignments(String node) implements ServerRequest<Assignments> {
        public GetAssignments {
            Check.name(node, "node name");
        }
    }

    /** Sets the cluster's segment if none is set yet, and gives the node its bridge address. */
    @WireName("node.configure")
    record ConfigureNode(String node, String subnet, VxlanMode vxlan) implements ServerRequest<NodeConfigured> {
        public ConfigureNode {
            Check.name(node, "node name");
            subnet = Check.segment(subnet);
        }

        public ConfigureNode(String node, String subnet) {
            this(node, subnet, null);
        }
    }

    /** Allocates an address for the container, records it, and publishes its launch to the node. */
    @WireName("container.launch")
    record LaunchContainer(String taskId, String node, String name, String image, List<PortMapping> ports,
                           Map<String, String> env, List<String> command, ContainerOptions options)
            implements ServerRequest<TaskAccepted> {
        public LaunchContainer {
            Check.taskId(taskId);
            Check.name(node, "node name");
            Check.name(name, "container name");
            Check.image(image);
            ports = Check.ports(ports);
            env = Check.env(env);
            command = Check.command(command);
            options = ContainerOptions.orDefault(options);
        }

        public LaunchContainer(String taskId, String node, String name, String image, List<PortMapping> ports,
                               Map<String, String> env, List<String> command) {
            this(taskId, node, name, image, ports, env, command, ContainerOptions.DEFAULT);
        }
    }

    /** Marks the container for removal and publishes its destruction to its node. */
    @WireName("container.remove")
    record RemoveContainer(String taskId, String name) implements ServerRequest<TaskAccepted> {
        public RemoveContainer {
            Check.taskId(taskId);
            Check.name(name, "container name");
        }
    }

    /** The node has dealt with these tombstones (removed their containers, or had none): they can go. */
    @WireName("node.tombstones.forget")
    record ForgetTombstones(String node, List<String> taskIds) implements ServerRequest<Done> {
        public ForgetTombstones {
            Check.name(node, "node name");
            taskIds = Check.list(taskIds);
            taskIds.forEach(Check::taskId);
        }
    }

    /** The node leaves: its containers, addresses and registration are removed from the cluster. */
    @WireName("node.leave")
    record LeaveNode(String node) implements ServerRequest<NodeLeft> {
        public LeaveNode {
            Check.name(node, "node name");
        }
    }

    /** A task's state, and its pull's progress while its node pulls an image. */
    @WireName("task.get")
    record GetTask(String taskId) implements ServerRequest<TaskStatus>, ConsoleRequest<TaskStatus> {
        public GetTask {
            Check.taskId(taskId);
        }
    }

    @WireName("cluster.get")
    record GetCluster() implements ServerRequest<ClusterView>, ConsoleRequest<ClusterView> {
    }

    /**
     * What a container printed, read on its node: its last {@code tail} lines ({@code -1}: all), or those after
     * {@code since} (an ISO-8601 instant) when given. An answer with {@code more} set was cut: ask again from its
     * last line.
     */
    @WireName("container.logs")
    record GetLogs(String name, int tail, String since) implements ServerRequest<Replies.Logs>, ConsoleRequest<Replies.Logs> {
        public static final int MAX_TAIL = 100_000;

        public GetLogs {
            Check.name(name, "container name");
            if (tail < -1 || tail > MAX_TAIL) {
                throw new IllegalArgumentException("--tail must be a number of lines from 0 to " + MAX_TAIL);
            }
            since = Check.instant(since, "log time");
        }
    }

    /** Everything the cluster knows of one container; its environment's values masked unless {@code showEnv}. */
    @WireName("container.get")
    record GetContainer(String name, boolean showEnv) implements ServerRequest<ContainerDetails>,
            ConsoleRequest<ContainerDetails> {
        public GetContainer {
            Check.name(name, "container name");
        }
    }
}
