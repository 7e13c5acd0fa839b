package dev.trama.daemon;

import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.Replies.Assignments;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Replies.Tombstone;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import dev.trama.transport.Requester;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the host match what the cluster says should hold on it: at start, after registering again, and
 * periodically. It launches what is missing and completes removals through the {@link TaskRunner}, and
 * removes a container only when the cluster released it on purpose (its tombstone names the launch that
 * made it). A container the cluster has never heard of is left running and reported. It also has the node's
 * resolver serve on the bridge's address, with the cluster's names.
 */
final class Convergence {

    private static final Logger log = LoggerFactory.getLogger(Convergence.class);

    private final String node;
    private final Requester server;
    private final Membership membership;
    private final NodeNetwork network;
    private final ContainerTasks containers;
    private final TaskRunner tasks;
    private final Consumer<Ipv4> resolver;

    /** @param resolver has the node's resolver serve on the bridge's address */
    Convergence(String node, Requester server, Membership membership, NodeNetwork network, ContainerTasks containers,
                TaskRunner tasks, Consumer<Ipv4> resolver) {
        this.node = node;
        this.server = server;
        this.membership = membership;
        this.network = network;
        this.containers = containers;
        this.tasks = tasks;
        this.resolver = resolver;
    }

    /** The overlay for the node's bridge address (taken again if the node lost it while down), then the containers. */
    void converge() {
        NodeRegistered current = membership.require();
        if (current.bridgeIp() == null && current.subnet() != null && network.isBuilt()) {
            NodeConfigured configured = server.call(new ServerRequest.ConfigureNode(node, current.subnet()));
            membership.configured(configured);
            log.info("took a bridge address again: {}", configured.bridgeIp());
            current = membership.require();
        }
        if (current.bridgeIp() != null) {
            network.ensure(InterfaceAddress.parse(current.bridgeIp()), current.vxlan());
        }
        reconcile();
    }

    /** As {@link #converge}, logging a failure instead of throwing it: for timers and callbacks. */
    void convergeQuietly() {
        try {
            converge();
        } catch (RuntimeException e) {
            log.warn("could not converge to the cluster yet: {}", e.getMessage());
        }
    }

    /** The resolver on the bridge's address, once the node has one; a failure is said, and tried again next time. */
    private void serveNames() {
        NodeRegistered current = membership.current();
        if (current == null || current.bridgeIp() == null) {
            return;
        }
        try {
            resolver.accept(InterfaceAddress.parse(current.bridgeIp()).address());
        } catch (RuntimeException e) {
            log.warn("the containers of this node cannot resolve names: {}", e.getMessage());
        }
    }

    /** The containers: see the class comment. Does nothing while the node is out of its cluster or leaving. */
    void reconcile() {
        if (membership.leaving() || !membership.joined()) {
            return;
        }
        serveNames();
        try {
            String clusterId = membership.clusterId();
            // listed before asking, so that a container launched meanwhile is among those the cluster knows
            List<RuntimeContainer> found = containers.local(clusterId);
            Assignments assignments = server.call(new ServerRequest.GetAssignments(node));
            if (!assignments.clusterId().equals(clusterId)) {
                membership.lostToOtherCluster("the server now serves cluster " + assignments.clusterId() + ", not "
                        + clusterId + ": every container and link of this host is kept as it is");
                return;
            }
            Set<String> known = new HashSet<>();
            assignments.launches().forEach(t -> known.add(t.name()));
            assignments.destroys().forEach(t -> known.add(t.name()));
            tasks.strays(containers.settle(found, known, assignments.tombstones()));
            if (!assignments.tombstones().isEmpty()) {
                server.call(new ServerRequest.ForgetTombstones(node,
                        assignments.tombstones().stream().map(Tombstone::taskId).toList()));
            }
            tasks.run(new Task.Members(assignments.members()));
            if (assignments.names() != null) {
                tasks.run(assignments.names());
            }
            assignments.launches().forEach(tasks::run);
            assignments.destroys().forEach(tasks::run);
            containers.observeChanged(found);
        } catch (RuntimeException e) {
            log.warn("could not reconcile the node's containers: {}", e.getMessage());
        }
    }
}
