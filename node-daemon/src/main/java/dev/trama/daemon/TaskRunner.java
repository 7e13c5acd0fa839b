package dev.trama.daemon;

import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.protocol.Report;
import dev.trama.protocol.Task;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the tasks the server publishes for this node, or that convergence finds due, and reports each
 * outcome. A task that is queued or running is not queued again (a task may arrive again before it is done);
 * tasks of one container run in order, those of different containers in parallel. Nothing runs while the
 * node is out of its cluster.
 */
final class TaskRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final String node;
    private final Membership membership;
    private final ContainerTasks containers;
    private final Consumer<Report> reports;
    private final Supplier<HostMetrics.Sample> metrics;
    private final Consumer<Task.Members> members;
    private final Consumer<Task.Names> names;
    private final KeyedExecutor work;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile List<String> strays = List.of();

    /**
     * @param members what to do with the cluster's member addresses (the firewall accepts VXLAN from them)
     * @param names   what to do with the cluster's names (the resolver answers from them)
     */
    TaskRunner(String node, Membership membership, ContainerTasks containers, Consumer<Report> reports,
               Supplier<HostMetrics.Sample> metrics, Consumer<Task.Members> members, Consumer<Task.Names> names,
               KeyedExecutor work) {
        this.node = node;
        this.membership = membership;
        this.containers = containers;
        this.reports = reports;
        this.metrics = metrics;
        this.members = members;
        this.names = names;
        this.work = work;
    }

    /** A task as published: said in the log, then carried out. */
    void onPublished(Object message) {
        if (message instanceof Task.Launch launch && launch.node().equals(node)) {
            log.info("launch of {} received (task {})", launch.name(), launch.taskId());
        } else if (message instanceof Task.Destroy destroy && destroy.node().equals(node)) {
            log.info("removal of {} received (task {})", destroy.name(), destroy.taskId());
        }
        run(message);
    }

    void run(Object message) {
        if (!membership.joined() || membership.leaving()) {
            return;
        }
        if (message instanceof Task.Launch launch && launch.node().equals(node)) {
            submit(launch.taskId(), launch.name(), () -> containers.launch(membership.clusterId(), launch));
        } else if (message instanceof Task.Destroy destroy && destroy.node().equals(node)) {
            submit(destroy.taskId(), destroy.name(), () -> containers.destroy(membership.clusterId(), destroy));
        } else if (message instanceof Task.FetchLogs fetch && fetch.node().equals(node)) {
            // beside the container's tasks, not behind them: reading its logs changes nothing
            String clusterId = membership.clusterId();
            work.submit(" logs " + fetch.requestId(), () -> {
                try {
                    containers.logs(clusterId, fetch);
                } catch (RuntimeException e) {
                    log.warn("could not read the logs of {}: {}", fetch.name(), e.getMessage());
                }
            });
        } else if (message instanceof Task.Members changed) {
            // in order, one at a time, on a key of their own: the last set given is the one that holds
            work.submit(" members", () -> members.accept(changed));
        } else if (message instanceof Task.Names table) {
            // at once: a table replaces the last one whole, and an older one than held is ignored
            names.accept(table);
        } else if (message instanceof Task.CollectMetrics) {
            HostMetrics.Sample sample = metrics.get();
            reports.accept(new Report.Metrics(node, sample.cpuPercent(), sample.freeMemMb(), sample.totalMemMb(), strays,
                    sample.lanMtu()));
        }
    }

    /**
     * The engine says a container of this node started or ended: it is brought up to date in turn with the
     * tasks of the same container, never alongside one.
     */
    void engineChanged(String id, String container) {
        if (container.isEmpty() || !membership.joined() || membership.leaving()) {
            return;
        }
        String clusterId = membership.clusterId();
        work.submit(container, () -> {
            try {
                containers.follow(clusterId, id);
            } catch (RuntimeException e) {
                log.warn("could not bring container {} up to date: {}", container, e.getMessage());
            }
        });
    }

    /** Containers running here that the cluster does not know, as the last convergence found them. */
    void strays(List<String> names) {
        strays = List.copyOf(names);
    }

    List<String> strays() {
        return strays;
    }

    private void submit(String taskId, String container, Runnable task) {
        if (!inFlight.add(taskId)) {
            return;
        }
        work.submit(container, () -> {
            try {
                task.run();
                reports.accept(new Report.TaskOutcome(taskId, node, true, null));
            } catch (RuntimeException e) {
                log.warn("task {} failed: {}", taskId, e.getMessage());
                reports.accept(new Report.TaskOutcome(taskId, node, false, e.getMessage()));
            } finally {
                inFlight.remove(taskId);
            }
        });
    }

    @Override
    public void close() {
        work.close();
    }
}
