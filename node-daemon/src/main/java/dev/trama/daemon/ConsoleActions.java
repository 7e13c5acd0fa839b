package dev.trama.daemon;

import dev.trama.daemon.dns.Resolver;
import dev.trama.daemon.health.PathProber;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.net.InterfaceAddress;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.Replies;
import dev.trama.protocol.Replies.ContainerDetails;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Replies.NodeStatus;
import dev.trama.protocol.Replies.TaskAccepted;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.TramaException;
import dev.trama.protocol.VxlanMode;
import dev.trama.transport.Handlers;
import dev.trama.transport.Requester;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the local console may ask of its daemon. Runs and removals answer only when the node has carried
 * them out, failed, or run out of time, so the console can tell the user what really happened. While the
 * node is out of its cluster every request says why, except {@code leave}.
 */
final class ConsoleActions {

    static final String DEFAULT_IMAGE = "trama/base:latest";
    private static final Logger log = LoggerFactory.getLogger(ConsoleActions.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final DaemonConfig config;
    private final Requester server;
    private final Membership membership;
    private final NodeState state;
    private final NodeNetwork network;
    private final ContainerTasks containers;
    private final Prerequisites prerequisites;
    private final Resolver resolver;
    private final PathProber prober;
    private final Supplier<Replies.Diagnosis> doctor;
    private final Runnable converge;
    private final Runnable exitSoon;

    /**
     * @param converge has the node converge to the cluster (in the background): after a configure, for the
     *                 members its firewall accepts VXLAN from
     * @param exitSoon ends the daemon once the answer to {@code leave} is out
     */
    ConsoleActions(DaemonConfig config, Requester server, Membership membership, NodeState state, NodeNetwork network,
                   ContainerTasks containers, Prerequisites prerequisites, Resolver resolver, PathProber prober,
                   Supplier<Replies.Diagnosis> doctor, Runnable converge, Runnable exitSoon) {
        this.config = config;
        this.server = server;
        this.membership = membership;
        this.state = state;
        this.network = network;
        this.containers = containers;
        this.prerequisites = prerequisites;
        this.resolver = resolver;
        this.prober = prober;
        this.doctor = doctor;
        this.converge = converge;
        this.exitSoon = exitSoon;
    }

    Handlers handlers() {
        return new Handlers()
                .on(ConsoleRequest.GetStatus.class, request -> status())
                .on(ConsoleRequest.Configure.class, request -> configure(request.subnet(), request.vxlan()))
                .on(ConsoleRequest.Run.class, this::run)
                .on(ConsoleRequest.Remove.class, this::remove)
                .on(ServerRequest.GetCluster.class, this::view)
                .on(ServerRequest.GetContainer.class, this::inspect)
                .on(ServerRequest.GetTask.class, this::task)
                .on(ServerRequest.GetLogs.class, this::logs)
                .on(ConsoleRequest.Leave.class, request -> leave())
                .on(ConsoleRequest.Diagnose.class, request -> doctor.get())
                .requireComplete(ConsoleRequest.class);
    }

    private NodeStatus status() {
        NodeRegistered current = membership.require();
        String clusterSubnet;
        VxlanMode clusterVxlan;
        try {
            ClusterView cluster = server.call(new ServerRequest.GetCluster());
            clusterSubnet = cluster.subnet();
            clusterVxlan = cluster.vxlan();
        } catch (TramaException e) {
            clusterSubnet = current.subnet();
            clusterVxlan = current.vxlan();
        }
        boolean configured = current.bridgeIp() != null && network.isBuilt();
        return new NodeStatus(config.node(), true, configured, current.subnet(), current.bridgeIp(), clusterSubnet,
                clusterVxlan);
    }

    /** The cluster as the server has it, each other node with the overlay's path to it as this node measures it. */
    private ClusterView view(ServerRequest.GetCluster request) {
        membership.require();
        ClusterView view = server.call(request);
        Map<String, NodeInfo.Path> paths = prober.paths();
        List<NodeInfo> nodes = view.nodes().stream()
                .map(node -> node.name().equals(config.node()) ? node
                        : node.withPath(paths.getOrDefault(node.name(), new NodeInfo.Path(false, null, false))))
                .toList();
        return new ClusterView(view.subnet(), view.containers(), nodes, view.vxlan(), view.serverTime());
    }

    /** Read on the container's node, through the server: the console never talks to another host. */
    private Replies.Logs logs(ServerRequest.GetLogs request) {
        membership.require();
        return server.call(request);
    }

    private TaskStatus task(ServerRequest.GetTask request) {
        membership.require();
        return server.call(request);
    }

    private ContainerDetails inspect(ServerRequest.GetContainer request) {
        membership.require();
        return server.call(request);
    }

    NodeConfigured configure(String subnet, VxlanMode vxlan) {
        membership.require();
        prerequisites.check();
        NodeConfigured configured = server.call(new ServerRequest.ConfigureNode(config.node(), subnet, vxlan));
        try {
            network.ensure(InterfaceAddress.parse(configured.bridgeIp()), configured.vxlan());
        } catch (RuntimeException e) {
            throw new TramaException(ErrorCode.INTERNAL, "cannot build the overlay on node '" + config.node() + "': " + e.getMessage(), e);
        }
        membership.configured(configured);
        converge.run();
        return configured;
    }

    private ContainerInfo run(ConsoleRequest.Run request) {
        membership.require();
        String taskId = request.taskId() == null ? UUID.randomUUID().toString() : request.taskId();
        String image = request.image() == null ? DEFAULT_IMAGE : request.image();
        TaskAccepted accepted = server.call(new ServerRequest.LaunchContainer(taskId, request.node(), request.name(), image,
                request.ports(), request.env(), request.command(), request.options()));
        TaskStatus status = awaitTask(taskId);
        if (status.state() == TaskStatus.State.DONE && status.container() != null) {
            return status.container();
        }
        if (status.state() == TaskStatus.State.FAILED) {
            throw new TramaException(ErrorCode.TASK_FAILED, "node '" + request.node() + "' could not launch '" + request.name()
                    + "': " + status.message());
        }
        withdraw(request.name());
        throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + request.node() + "' did not confirm the launch of '"
                + request.name() + "' within " + config.taskTimeout().toSeconds() + " s; the launch was withdrawn ("
                + accepted.container().ip() + ")");
    }

    private void withdraw(String name) {
        try {
            server.call(new ServerRequest.RemoveContainer(UUID.randomUUID().toString(), name));
        } catch (TramaException e) {
            log.warn("could not withdraw {}: {}", name, e.getMessage());
        }
    }

    private ContainerInfo remove(ConsoleRequest.Remove request) {
        membership.require();
        String taskId = UUID.randomUUID().toString();
        TaskAccepted accepted = server.call(new ServerRequest.RemoveContainer(taskId, request.name()));
        TaskStatus status = awaitTask(taskId);
        if (status.state() == TaskStatus.State.DONE) {
            return accepted.container().withState(ContainerState.REMOVED);
        }
        if (status.state() == TaskStatus.State.FAILED) {
            throw new TramaException(ErrorCode.TASK_FAILED, "node '" + accepted.container().node() + "' could not remove '"
                    + request.name() + "': " + status.message());
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + accepted.container().node() + "' did not confirm the removal of '"
                + request.name() + "' within " + config.taskTimeout().toSeconds() + " s");
    }

    /**
     * Polls the task until it is finished or the timeout passes, counted from the last progress of its image's
     * pull; a server away for a moment is waited for.
     */
    private TaskStatus awaitTask(String taskId) {
        Instant deadline = Instant.now().plus(config.taskTimeout());
        TaskStatus last = new TaskStatus(taskId, TaskStatus.State.PENDING, null, null);
        while (Instant.now().isBefore(deadline)) {
            try {
                TaskStatus now = server.call(new ServerRequest.GetTask(taskId));
                if (now.finished()) {
                    return now;
                }
                if (now.progress() != null && !now.progress().equals(last.progress())) {
                    deadline = Instant.now().plus(config.taskTimeout());
                }
                last = now;
            } catch (TramaException e) {
                if (e.code() != ErrorCode.UNAVAILABLE && e.code() != ErrorCode.STORE_UNAVAILABLE) {
                    throw e;
                }
                log.debug("waiting for task {}: {}", taskId, e.getMessage());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return last;
    }

    /**
     * Leaves the cluster: the server forgets the node, then the node removes its containers and its network
     * set-up and forgets its cluster. A node whose server now serves another cluster leaves on its own: the
     * server is not asked, and the node is free to join afresh.
     */
    private NodeLeft leave() {
        boolean alone = membership.facingOtherCluster();
        String clusterId = alone ? state.clusterId().orElseThrow() : membership.clusterId();
        membership.leaving(true);
        NodeLeft left;
        try {
            left = alone ? new NodeLeft(config.node(), List.of(), List.of())
                    : server.call(new ServerRequest.LeaveNode(config.node()));
        } catch (TramaException e) {
            membership.leaving(false);
            throw e;
        }
        List<String> removed;
        try {
            removed = containers.removeAll(clusterId);
            resolver.stop();
            prober.stop();
            network.teardown();
            state.forget();
        } catch (RuntimeException e) {
            throw new TramaException(ErrorCode.INTERNAL, "node '" + config.node() + "' left the cluster but could not clean up: "
                    + e.getMessage(), e);
        }
        log.info("node {} left cluster {}{}; exiting", config.node(), clusterId, alone ? " on its own" : "");
        exitSoon.run();
        return alone ? new NodeLeft(config.node(), List.of(), removed) : left;
    }
}
