package dev.trama.daemon;

import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.net.InterfaceAddress;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Replies.NodeStatus;
import dev.trama.protocol.Replies.TaskAccepted;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.TramaException;
import dev.trama.transport.Handlers;
import dev.trama.transport.RequestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the local console may ask of its daemon. Runs and removals answer only when the node has carried
 * them out, failed, or run out of time, so the console can tell the user what really happened.
 */
final class ConsoleActions {

    static final String DEFAULT_IMAGE = "trama/base:latest";
    private static final Logger log = LoggerFactory.getLogger(ConsoleActions.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final DaemonConfig config;
    private final RequestClient server;
    private final Membership membership;
    private final NodeNetwork network;
    private final ContainerTasks containers;
    private final Prerequisites prerequisites;
    private final Lifecycle lifecycle;

    /** How leaving reaches the rest of the daemon. */
    interface Lifecycle {
        /** From now on (or no longer) the node is leaving: no heartbeat may register it again. */
        void leaving(boolean leaving);

        /** The node has left and cleaned up: the daemon ends once its answer is out. */
        void exitSoon();
    }

    ConsoleActions(DaemonConfig config, RequestClient server, Membership membership, NodeNetwork network,
                   ContainerTasks containers, Prerequisites prerequisites, Lifecycle lifecycle) {
        this.config = config;
        this.server = server;
        this.membership = membership;
        this.network = network;
        this.containers = containers;
        this.prerequisites = prerequisites;
        this.lifecycle = lifecycle;
    }

    Handlers handlers() {
        return new Handlers()
                .on(ConsoleRequest.GetStatus.class, request -> status())
                .on(ConsoleRequest.Configure.class, request -> configure(request.subnet()))
                .on(ConsoleRequest.Run.class, this::run)
                .on(ConsoleRequest.Remove.class, this::remove)
                .on(ServerRequest.GetCluster.class, server::call)
                .on(ConsoleRequest.Leave.class, request -> leave())
                .requireComplete(ConsoleRequest.class);
    }

    private NodeStatus status() {
        NodeRegistered current = membership.current();
        String clusterSubnet;
        try {
            clusterSubnet = server.call(new ServerRequest.GetCluster()).subnet();
        } catch (TramaException e) {
            clusterSubnet = current.subnet();
        }
        boolean configured = current.bridgeIp() != null && network.isBuilt();
        return new NodeStatus(config.node(), true, configured, current.subnet(), current.bridgeIp(), clusterSubnet);
    }

    NodeConfigured configure(String subnet) {
        prerequisites.check();
        NodeConfigured configured = server.call(new ServerRequest.ConfigureNode(config.node(), subnet));
        try {
            network.ensure(InterfaceAddress.parse(configured.bridgeIp()));
        } catch (RuntimeException e) {
            throw new TramaException(ErrorCode.INTERNAL, "cannot build the overlay on node '" + config.node() + "': " + e.getMessage(), e);
        }
        membership.configured(configured.clusterId(), config.node(), configured.subnet(), configured.bridgeIp());
        return configured;
    }

    private ContainerInfo run(ConsoleRequest.Run request) {
        String taskId = UUID.randomUUID().toString();
        String image = request.image() == null ? DEFAULT_IMAGE : request.image();
        TaskAccepted accepted = server.call(new ServerRequest.LaunchContainer(taskId, request.node(), request.name(), image,
                request.ports(), request.env(), request.command()));
        TaskStatus status = awaitTask(taskId);
        if (status.state().equals(TaskStatus.DONE) && status.container() != null) {
            return status.container();
        }
        if (status.state().equals(TaskStatus.FAILED)) {
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
        String taskId = UUID.randomUUID().toString();
        TaskAccepted accepted = server.call(new ServerRequest.RemoveContainer(taskId, request.name()));
        TaskStatus status = awaitTask(taskId);
        if (status.state().equals(TaskStatus.DONE)) {
            return accepted.container().withState("removed");
        }
        if (status.state().equals(TaskStatus.FAILED)) {
            throw new TramaException(ErrorCode.TASK_FAILED, "node '" + accepted.container().node() + "' could not remove '"
                    + request.name() + "': " + status.message());
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + accepted.container().node() + "' did not confirm the removal of '"
                + request.name() + "' within " + config.taskTimeout().toSeconds() + " s");
    }

    /** Polls the task until it is finished or the timeout passes; a server away for a moment is waited for. */
    private TaskStatus awaitTask(String taskId) {
        Instant deadline = Instant.now().plus(config.taskTimeout());
        TaskStatus last = new TaskStatus(taskId, TaskStatus.PENDING, null, null);
        while (Instant.now().isBefore(deadline)) {
            try {
                last = server.call(new ServerRequest.GetTask(taskId));
                if (last.finished()) {
                    return last;
                }
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

    private NodeLeft leave() {
        lifecycle.leaving(true);
        NodeLeft left;
        try {
            left = server.call(new ServerRequest.LeaveNode(config.node()));
        } catch (TramaException e) {
            lifecycle.leaving(false);
            throw e;
        }
        try {
            containers.removeAll(membership.clusterId());
            network.teardown();
        } catch (RuntimeException e) {
            throw new TramaException(ErrorCode.INTERNAL, "node '" + config.node() + "' left the cluster but could not clean up: "
                    + e.getMessage(), e);
        }
        log.info("node {} left the cluster; exiting", config.node());
        lifecycle.exitSoon();
        return left;
    }
}
