package dev.trama.daemon.tasks;

import dev.trama.daemon.dns.Answers;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.network.Publication;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.runtime.ContainerSpec;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.LogLine;
import dev.trama.protocol.PullProgress;
import dev.trama.protocol.Replies;
import dev.trama.protocol.Replies.Tombstone;
import dev.trama.protocol.Report;
import dev.trama.protocol.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out launch and destroy tasks on this node. Both may be run again with the same effect: a launch
 * whose container already runs, attached, under the same task is done; a destroy of what is gone is done.
 * A failure leaves nothing half-made behind and is thrown with a sentence for the user. A container's one
 * nameserver is its gateway, the node's resolver, with the cluster's search domain.
 *
 * <p>A container whose process ended stays as it is, exited, until it is removed: its engine restarts it if its
 * policy says so, and {@link #follow} attaches every new run to the overlay again, with the same address and MAC.
 * What the engine says of each container goes to the cluster when it changes ({@link #observe}).
 *
 * <p>A container's published ports are written in its labels: the node's rules for them are converged to what
 * the labels of the containers present say after every launch and removal, so they come and go with it.
 *
 * <p>A launch whose container this node has removed (by a destroy, or released by the cluster) is retired:
 * it never starts again, even when it arrives late, e.g. from a convergence that read the cluster just
 * before the removal. A launch whose container vanished by other means (removed by hand, lost with the
 * engine) is carried out again.
 */
public final class ContainerTasks {

    private static final Logger log = LoggerFactory.getLogger(ContainerTasks.class);
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);

    private final String node;
    private final ContainerRuntime runtime;
    private final NodeNetwork network;
    private final Consumer<Report> reports;
    private final RetiredTasks retired = new RetiredTasks(10_000);
    private final Set<String> reportedStrays = ConcurrentHashMap.newKeySet();
    /** What the cluster was last told of each container, by engine id. */
    private final Map<String, Report.ContainerObserved> observed = new ConcurrentHashMap<>();

    /**
     * @param reports where what the cluster is told goes: what the engine says of a container when it changes, and
     *                how far a launch's pull is
     */
    public ContainerTasks(String node, ContainerRuntime runtime, NodeNetwork network,
                          Consumer<Report> reports) {
        this.node = node;
        this.runtime = runtime;
        this.network = network;
        this.reports = reports;
    }

    public void launch(String clusterId, Task.Launch task) {
        if (!network.isBuilt()) {
            throw new IllegalStateException("node '" + node + "' has no overlay yet (not configured)");
        }
        if (retired.contains(task.taskId())) {
            log.info("launch of {} (task {}) skipped: its container was removed since", task.name(), task.taskId());
            return;
        }
        boolean replaced = false;
        for (RuntimeContainer existing : runtime.list(Labels.ofContainer(clusterId, node, task.name()))) {
            if (existing.label(Labels.TASK).equals(task.taskId())) {
                // this very launch: running (attached again if it lost its link), or ended and kept as it ended
                RuntimeContainer current = runtime.inspect(existing.id()).orElse(existing);
                if (current.running() && !network.isAttached(task.name(), current.pid())) {
                    log.info("container {} runs but is not attached: attaching it again", task.name());
                    attach(current, Ipv4.parse(task.gateway()));
                }
                observe(current);
                return;
            }
            log.info("replacing stale container {} ({})", task.name(), existing.id().substring(0, 12));
            remove(existing);
            network.detach(task.name());
            replaced = true;
        }
        if (replaced) {
            refreshPortsQuietly(); // the stale container's rules go with it, whatever comes of this launch
        }
        network.checkPortsFree(task.name(), task.ports());
        PullReports pull = new PullReports(task);
        runtime.ensureImage(task.image(), pull::accept);
        pull.finish();
        RuntimeContainer started = runtime.start(new ContainerSpec(Labels.runtimeName(clusterId, task.name()), task.image(),
                task.name(), Labels.forLaunch(clusterId, node, task.name(), task.taskId(), task.ip(), task.gateway(),
                task.ports()), task.env(), task.command(), task.options(), task.gateway(), Answers.DOMAIN));
        try {
            if (started.running()) {
                attachUnlessEnded(started, Ipv4.parse(task.gateway()));
            }
            network.refreshPorts();
        } catch (RuntimeException e) {
            runtime.remove(started.id());
            network.detach(task.name());
            refreshPortsQuietly();
            throw e;
        }
        observe(runtime.inspect(started.id()).orElse(started));
        log.info("container {} started with {} (task {})", task.name(), task.ip(), task.taskId());
    }

    /**
     * Tells the cluster how far a launch's pull is: its first news at once, then at most twice a second, and where
     * it ended once it is done, so that what the cluster keeps is the whole pull.
     */
    private final class PullReports {
        private final Task.Launch task;
        private PullProgress latest;
        private PullProgress sent;
        private long sentAt;

        PullReports(Task.Launch task) {
            this.task = task;
        }

        void accept(PullProgress progress) {
            latest = progress;
            long now = System.nanoTime();
            if (sent == null || now - sentAt >= PROGRESS_EVERY.toNanos()) {
                send(now);
            }
        }

        void finish() {
            if (latest != null && !latest.equals(sent)) {
                send(System.nanoTime());
            }
        }

        private void send(long now) {
            sent = latest;
            sentAt = now;
            reports.accept(new Report.TaskProgress(task.taskId(), node, latest));
        }
    }

    /**
     * Brings one container of this node up to date after the engine said it started or ended: a new run is
     * attached to the overlay (the engine gave it a fresh network namespace), and what the engine now says of it
     * goes to the cluster. A container that is gone, or not of this node's cluster, is left alone.
     */
    public void follow(String clusterId, String id) {
        Optional<RuntimeContainer> found = runtime.inspect(id);
        if (found.isEmpty() || !found.get().labels().entrySet().containsAll(Labels.ofNode(clusterId, node).entrySet())) {
            return;
        }
        RuntimeContainer container = found.get();
        if (retired.contains(container.label(Labels.TASK))) {
            return; // being removed
        }
        Optional<Ipv4> gateway = gatewayOf(container);
        if (container.running() && gateway.isPresent() && !network.isAttached(container.label(Labels.NAME), container.pid())) {
            attachUnlessEnded(container, gateway.get());
            log.info("container {} started (run {}): attached with {}", container.label(Labels.NAME),
                    container.restarts() + 1, container.label(Labels.ADDRESS));
        }
        observe(runtime.inspect(id).orElse(container));
    }

    /** Attaches a container that has just started; one that already ended (a short command) has nothing to attach. */
    private void attachUnlessEnded(RuntimeContainer container, Ipv4 gateway) {
        try {
            attach(container, gateway);
        } catch (RuntimeException e) {
            if (runtime.inspect(container.id()).map(RuntimeContainer::running).orElse(false)) {
                throw e;
            }
        }
    }

    /**
     * The gateway the container was launched with; for one launched before its label existed, the bridge's address
     * once the overlay is built (until then, convergence attaches it).
     */
    private Optional<Ipv4> gatewayOf(RuntimeContainer container) {
        String labelled = container.label(Labels.GATEWAY);
        return labelled.isEmpty() ? network.gateway() : Optional.of(Ipv4.parse(labelled));
    }

    private void attach(RuntimeContainer container, Ipv4 gateway) {
        String name = container.label(Labels.NAME);
        try {
            network.attach(name, container.pid(), InterfaceAddress.parse(container.label(Labels.ADDRESS)), gateway);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot attach container '" + name + "' to bridge trama0: " + e.getMessage(), e);
        }
    }

    /**
     * Tells the cluster what the engine says of a container, when it differs from what was last told.
     * {@link #forgetObserved} makes everything be told again (after the node registers again).
     */
    private void observe(RuntimeContainer container) {
        String name = container.label(Labels.NAME);
        String taskId = container.label(Labels.TASK);
        if (name.isEmpty() || taskId.isEmpty()) {
            return;
        }
        String mac = NodeNetwork.containerMac(InterfaceAddress.parse(container.label(Labels.ADDRESS)).address());
        Report.ContainerObserved report = new Report.ContainerObserved(node, name, taskId, container.status(),
                container.restarts(), container.imageId(), mac, container.created(), container.started());
        if (!report.equals(observed.put(container.id(), report))) {
            reports.accept(report);
        }
    }

    /**
     * Tells the cluster of each given container whose state the engine lists differently from what was last
     * told (or that was never told): the engine's listing is cheap, an inspection only where it changed.
     */
    public void observeChanged(List<RuntimeContainer> listed) {
        Set<String> present = new HashSet<>();
        for (RuntimeContainer container : listed) {
            present.add(container.id());
            Report.ContainerObserved told = observed.get(container.id());
            if (told == null || told.status().state() != container.state()) {
                runtime.inspect(container.id()).ifPresent(this::observe);
            }
        }
        observed.keySet().retainAll(present);
    }

    /** Everything is told again at the next {@link #observeChanged}: the cluster may have lost or missed it. */
    public void forgetObserved() {
        observed.clear();
    }

    /** What this node's containers publish, as the engine's labels say: where each of their ports goes. */
    public List<Publication> publications(String clusterId) {
        List<Publication> published = new ArrayList<>();
        for (RuntimeContainer container : local(clusterId)) {
            String ports = container.label(Labels.PORTS);
            if (ports.isEmpty()) {
                continue;
            }
            try {
                published.add(new Publication(container.label(Labels.NAME),
                        InterfaceAddress.parse(container.label(Labels.ADDRESS)).address(), Labels.ports(ports)));
            } catch (IllegalArgumentException e) {
                log.warn("container {} has labels that name no ports or address ({}): none of its ports is published",
                        container.id(), e.getMessage());
            }
        }
        return published;
    }

    /** Converges the rules of published ports, saying in the log when it cannot: the next convergence repairs them. */
    private void refreshPortsQuietly() {
        try {
            network.refreshPorts();
        } catch (RuntimeException e) {
            log.warn("could not update the rules of published ports: {}", e.getMessage());
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
     * once, and returned among the strays. Veths that belong to no container go, and the rules of published
     * ports follow the containers that remain.
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
        refreshPortsQuietly();
        return strays;
    }

    public void destroy(String clusterId, Task.Destroy task) {
        List<RuntimeContainer> found = runtime.list(Labels.ofContainer(clusterId, node, task.name()));
        for (RuntimeContainer container : found) {
            remove(container);
        }
        network.detach(task.name());
        network.refreshPorts();
        log.info("container {} removed (task {})", task.name(), task.taskId());
    }

    /**
     * Reads what one of this node's containers printed, as the request asks, and answers it. Lines at or before
     * {@code since} are left out (the engine counts in whole seconds, the request to the nanosecond).
     */
    public void logs(String clusterId, Task.FetchLogs request) {
        RuntimeContainer container = runtime.list(Labels.ofContainer(clusterId, node, request.name())).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("container '" + request.name() + "' is not on node '" + node + "'"));
        Instant since = request.since() == null ? null : Instant.parse(request.since());
        ContainerRuntime.Output output = runtime.logs(container.id(), request.since() == null ? request.tail() : -1,
                since == null ? 0 : since.getEpochSecond(), Replies.Logs.MAX_LINES, Replies.Logs.MAX_CHARS);
        List<LogLine> lines = since == null ? output.lines()
                : output.lines().stream().filter(line -> Instant.parse(line.at()).isAfter(since)).toList();
        // as listed (no PID): running or about to run again is the engine's state
        boolean running = container.state() == ContainerState.RUNNING || container.state() == ContainerState.RESTARTING;
        reports.accept(new Report.Logs(request.requestId(), node, request.name(), lines, running, output.more()));
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
