package dev.trama.daemon.tasks;

import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.runtime.ContainerSpec;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.Task;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out launch and destroy tasks on this node. Both may be run again with the same effect: a launch
 * whose container already runs, attached, under the same task is done; a destroy of what is gone is done.
 * A failure leaves nothing half-made behind and is thrown with a sentence for the user.
 *
 * <p>A launch whose container this node has removed (by a destroy, or as unknown to the cluster) is retired:
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
                task.command()));
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
     * Removes the local containers the cluster does not know (found before the cluster was asked, so that a
     * container launched meanwhile is not among them), and veths that belong to no container.
     */
    public void removeUnknown(List<RuntimeContainer> found, java.util.Set<String> known) {
        for (RuntimeContainer container : found) {
            String name = container.label(Labels.NAME);
            if (!known.contains(name)) {
                log.info("removing container {}: the cluster does not know it", name);
                remove(container);
                network.detach(name);
            }
        }
        java.util.Set<String> present = new java.util.HashSet<>(known);
        found.forEach(c -> present.add(c.label(Labels.NAME)));
        network.removeVethsExcept(present);
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
