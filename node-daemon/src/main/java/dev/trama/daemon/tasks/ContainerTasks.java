package dev.trama.daemon.tasks;

import dev.trama.daemon.dns.Answers;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.runtime.ContainerSpec;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.Replies.Tombstone;
import dev.trama.protocol.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out launch and destroy tasks on this node. Both may be run again with the same effect: a launch
 * whose container already runs, attached, under the same task is done; a destroy of what is gone is done.
 * A failure leaves nothing half-made behind and is thrown with a sentence for the user. A container's one
 * nameserver is its gateway, the node's resolver, with the cluster's search domain.
 *
 * <p>A launch whose container this node has removed (by a destroy, or released by the cluster) is retired:
 * it never starts again, even when it arrives late, e.g. from a convergence that read the cluster just
 * before the removal. A launch whose container vanished by other means (removed by hand, lost with the
 * engine) is carried out again.
 */
public final class ContainerTasks {

    private static final Logger log = LoggerFactory.getLogger(ContainerTasks.class);

    private final String node;
    private final ContainerRuntime runtime;
    private final NodeNetwork network;
    private final RetiredTasks retired = new RetiredTasks(10_000);
    private final Set<String> reportedStrays = ConcurrentHashMap.newKeySet();

    public ContainerTasks(String node, ContainerRuntime runtime, NodeNetwork network) {
        this.node = node;
        this.runtime = runtime;
        this.network = network;
    }

    public void launch(String clusterId, Task.Launch task) {
        if (!network.isBuilt()) {
            throw new IllegalStateException("node '" + node + "' has no overlay yet (not configured)");
        }
        if (retired.contains(task.taskId())) {
            log.info("launch of {} (task {}) skipped: its container was removed since", task.name(), task.taskId());
            return;
        }
        for (RuntimeContainer existing : runtime.list(Labels.ofContainer(clusterId, node, task.name()))) {
            RuntimeContainer current = runtime.inspect(existing.id()).orElse(existing);
            if (current.label(Labels.TASK).equals(task.taskId()) && current.running()) {
                if (!network.isAttached(task.name())) {
                    log.info("container {} runs but is not attached: attaching it again", task.name());
                    attach(task, current);
                }
                return;
            }
            log.info("replacing stale container {} ({})", task.name(), existing.id().substring(0, 12));
            if (current.label(Labels.TASK).equals(task.taskId())) {
                runtime.remove(existing.id()); // this very launch, whose container stopped: it starts again below
            } else {
                remove(existing);
            }
            network.detach(task.name());
        }
        runtime.ensureImage(task.image());
        RuntimeContainer started = runtime.start(new ContainerSpec(Labels.runtimeName(clusterId, task.name()), task.image(),
                task.name(), Labels.forLaunch(clusterId, node, task.name(), task.taskId(), task.ip()), task.env(),
                task.command(), task.gateway(), Answers.DOMAIN));
        try {
            attach(task, started);
        } catch (RuntimeException e) {
            runtime.remove(started.id());
            throw e;
        }
        log.info("container {} runs with {} (task {})", task.name(), task.ip(), task.taskId());
    }

    private void attach(Task.Launch task, RuntimeContainer container) {
        try {
            network.attach(task.name(), container.pid(), InterfaceAddress.parse(task.ip()), Ipv4.parse(task.gateway()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot attach container '" + task.name() + "' to bridge trama0: " + e.getMessage(), e);
        }
    }

    /** The names of this node's containers in the cluster, as the engine has them now. */
    public List<RuntimeContainer> local(String clusterId) {
        return runtime.list(Labels.ofNode(clusterId, node));
    }

    /**
     * Settles the local containers (listed before the cluster was asked, so that a container launched meanwhile
     * is among those it knows) against what the cluster knows. One the cluster released on purpose (a tombstone
     * names the launch that made it) is removed, saying why. One it has never heard of is left running, said
     * once, and returned among the strays. Veths that belong to no container go.
     */
    public List<String> settle(List<RuntimeContainer> found, Set<String> known, List<Tombstone> tombstones) {
        Map<String, Tombstone> byTask = new HashMap<>();
        tombstones.forEach(t -> byTask.put(t.taskId(), t));
        List<String> strays = new ArrayList<>();
        Set<String> present = new HashSet<>(known);
        Set<String> seen = new HashSet<>();
        for (RuntimeContainer container : found) {
            String name = container.label(Labels.NAME);
            if (known.contains(name)) {
                continue;
            }
            Tombstone tombstone = byTask.get(container.label(Labels.TASK));
            if (tombstone != null && tombstone.name().equals(name)) {
                log.info("removing container {}: {}", name, tombstone.reason());
                remove(container);
                network.detach(name);
                continue;
            }
            present.add(name);
            strays.add(name);
            seen.add(container.id());
            if (reportedStrays.add(container.id())) {
                String id = container.id().substring(0, Math.min(12, container.id().length()));
                log.warn("container {} ({}) runs on this node but the cluster does not know it: it is left running;"
                        + " remove it with 'docker rm -f {}' if it is not wanted", name, id, id);
            }
        }
        reportedStrays.retainAll(seen);
        network.removeVethsExcept(present);
        return strays;
    }

    public void destroy(String clusterId, Task.Destroy task) {
        List<RuntimeContainer> found = runtime.list(Labels.ofContainer(clusterId, node, task.name()));
        for (RuntimeContainer container : found) {
            remove(container);
        }
        network.detach(task.name());
        log.info("container {} removed (task {})", task.name(), task.taskId());
    }

    /** Removes every container of this node in the cluster; returns their names. */
    public List<String> removeAll(String clusterId) {
        List<RuntimeContainer> mine = runtime.list(Labels.ofNode(clusterId, node));
        for (RuntimeContainer container : mine) {
            remove(container);
            network.detach(container.label(Labels.NAME));
        }
        return mine.stream().map(c -> c.label(Labels.NAME)).toList();
    }

    /** Retires the launch that made the container before removing it, so that it cannot come back. */
    private void remove(RuntimeContainer container) {
        String launchTask = container.label(Labels.TASK);
        if (!launchTask.isEmpty()) {
            retired.add(launchTask);
        }
        runtime.remove(container.id());
    }
}
