package dev.trama.server.cluster;

import dev.trama.net.Cidr;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.TaskAccepted;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest.GetTask;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.RemoveContainer;
import dev.trama.protocol.Replies;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import dev.trama.protocol.TramaException;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import dev.trama.server.store.TxnResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers: recording a launch or removal and publishing its task, then applying the outcome the
 * node reports. A container record and its address are always written and deleted together, so every
 * allocation has its container and every container its allocation.
 */
public final class Containers {

    private static final Logger log = LoggerFactory.getLogger(Containers.class);
    private static final int ROUNDS = 8;

    private final KeyValueStore store;
    private final Keys keys;
    private final Ipam ipam;
    private final Dispatch dispatch;
    private final Clock clock;

    public Containers(KeyValueStore store, Keys keys, Ipam ipam, Dispatch dispatch, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.ipam = ipam;
        this.dispatch = dispatch;
        this.clock = clock;
    }

    public TaskAccepted launch(LaunchContainer request) {
        if (!request.ports().isEmpty()) {
            throw new TramaException(ErrorCode.INVALID_ARGUMENT, "publishing ports (-p) is not supported yet");
        }
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Entry> state = store.getAll(List.of(keys.subnet(), keys.node(request.node()),
                    keys.alive(request.node()), keys.container(request.name()), keys.task(request.taskId())));
            Optional<TaskAccepted> repeated = repeated(state, request.taskId());
            if (repeated.isPresent()) {
                return repeated.get();
            }
            Entry subnetEntry = state.get(keys.subnet());
            if (subnetEntry == null) {
                throw new TramaException(ErrorCode.NOT_CONFIGURED, "the cluster has no segment yet: configure a node first");
            }
            Entry nodeEntry = Nodes.requireNode(state.get(keys.node(request.node())), request.node());
            Stored.Node node = StoredJson.read(nodeEntry, Stored.Node.class);
            if (node.leaving()) {
                throw new TramaException(ErrorCode.NOT_FOUND, "node '" + node.name() + "' is leaving the cluster");
            }
            Entry alive = state.get(keys.alive(request.node()));
            if (alive == null) {
                throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + node.name() + "' is down");
            }
            if (node.bridgeIp() == null) {
                throw new TramaException(ErrorCode.NOT_CONFIGURED, "node '" + node.name() + "' is not configured yet");
            }
            Entry existing = state.get(keys.container(request.name()));
            if (existing != null) {
                throw alreadyExists(existing);
            }
            Cidr subnet = Cidr.parse(subnetEntry.text());
            try {
                Stored.Container[] made = new Stored.Container[1];
                ipam.allocate(subnet, candidate -> {
                    made[0] = record(request, InterfaceAddress.of(candidate, subnet));
                    return claimForContainer(candidate, made[0], nodeEntry, alive);
                });
                Stored.Container container = made[0];
                publishLaunch(container, node);
                log.info("container {} on {} gets {} (task {})", container.name(), node.name(), container.ip(), request.taskId());
                return new TaskAccepted(request.taskId(), info(container));
            } catch (Contention e) {
                log.debug("launch of {} contended, round {}", request.name(), round);
            }
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "the cluster state kept changing while launching '"
                + request.name() + "'; try again");
    }

    private Stored.Container record(LaunchContainer request, InterfaceAddress ip) {
        return new Stored.Container(request.name(), request.node(), ip.toString(), request.image(),
                ContainerInfo.PENDING, request.taskId(), request.ports(), request.env(), request.command(), clock.millis());
    }

    private Ipam.Outcome claimForContainer(Ipv4 candidate, Stored.Container container, Entry nodeEntry, Entry alive) {
        String ipKey = keys.ip(candidate);
        String containerKey = keys.container(container.name());
        String taskKey = keys.task(container.taskId());
        Stored.Task task = new Stored.Task(container.taskId(), Stored.Task.LAUNCH, container.node(), container.name(),
                TaskStatus.PENDING, null, clock.millis());
        TxnResult result = store.commit(Txn.create()
                .ifAbsent(ipKey)
                .ifAbsent(containerKey)
                .ifAbsent(taskKey)
                .ifUnchanged(nodeEntry)
                .ifUnchanged(alive)
                .put(ipKey, StoredJson.bytes(new Stored.Allocation(candidate.toString(), Stored.Allocation.CONTAINER,
                        container.name(), container.node())))
                .put(containerKey, StoredJson.bytes(container))
                .put(taskKey, StoredJson.bytes(task))
                .readOnFailure(ipKey)
                .readOnFailure(containerKey)
                .readOnFailure(taskKey));
        if (result.succeeded()) {
            return Ipam.Outcome.CLAIMED;
        }
        if (result.read(containerKey).isPresent() || result.read(taskKey).isPresent()) {
            throw new Contention();
        }
        if (result.read(ipKey).isPresent()) {
            return Ipam.Outcome.TAKEN;
        }
        throw new Contention();
    }

    private void publishLaunch(Stored.Container c, Stored.Node node) {
        dispatch.toNode(c.node(), launchTask(c, node));
    }

    static Task.Launch launchTask(Stored.Container c, Stored.Node node) {
        String gateway = InterfaceAddress.parse(node.bridgeIp()).address().toString();
        return new Task.Launch(c.taskId(), c.node(), c.name(), c.ip(), gateway, c.image(), c.ports(), c.env(), c.command());
    }

    /** A request whose task already exists was carried out before (its reply was lost): answer the same. */
    private Optional<TaskAccepted> repeated(Map<String, Entry> state, String taskId) {
        Entry taskEntry = state.get(keys.task(taskId));
        if (taskEntry == null) {
            return Optional.empty();
        }
        Stored.Task task = StoredJson.read(taskEntry, Stored.Task.class);
        Entry containerEntry = state.get(keys.container(task.container()));
        if (containerEntry == null) {
            containerEntry = store.get(keys.container(task.container())).orElse(null);
        }
        ContainerInfo container = containerEntry == null ? null : info(StoredJson.read(containerEntry, Stored.Container.class));
        return Optional.of(new TaskAccepted(taskId, container));
    }

    public TaskAccepted remove(RemoveContainer request) {
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Entry> state = store.getAll(List.of(keys.container(request.name()), keys.task(request.taskId())));
            Optional<TaskAccepted> repeated = repeated(state, request.taskId());
            if (repeated.isPresent()) {
                return repeated.get();
            }
            Entry entry = state.get(keys.container(request.name()));
            if (entry == null) {
                throw new TramaException(ErrorCode.NOT_FOUND, "container '" + request.name() + "' is not in the cluster");
            }
            Stored.Container container = StoredJson.read(entry, Stored.Container.class);
            Stored.Container removing = container.with(ContainerInfo.REMOVING, request.taskId());
            Stored.Task task = new Stored.Task(request.taskId(), Stored.Task.DESTROY, container.node(), container.name(),
                    TaskStatus.PENDING, null, clock.millis());
            TxnResult result = store.commit(Txn.create()
                    .ifUnchanged(entry)
                    .ifAbsent(keys.task(request.taskId()))
                    .put(entry.key(), StoredJson.bytes(removing))
                    .put(keys.task(request.taskId()), StoredJson.bytes(task)));
            if (result.succeeded()) {
                dispatch.toNode(container.node(), new Task.Destroy(request.taskId(), container.node(), container.name()));
                log.info("container {} on {} is being removed (task {})", container.name(), container.node(), request.taskId());
                return new TaskAccepted(request.taskId(), info(removing));
            }
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "container '" + request.name() + "' kept changing; try again");
    }

    public TaskStatus task(GetTask request) {
        Entry entry = store.get(keys.task(request.taskId())).orElseThrow(() ->
                new TramaException(ErrorCode.NOT_FOUND, "task " + request.taskId() + " is unknown"));
        Stored.Task task = StoredJson.read(entry, Stored.Task.class);
        ContainerInfo container = store.get(keys.container(task.container()))
                .map(e -> info(StoredJson.read(e, Stored.Container.class)))
                .orElse(null);
        return new TaskStatus(task.taskId(), task.state(), task.message(), container);
    }

    /**
     * Applies what a node reports of a task: the task's outcome, and its effect on the container while the
     * container still belongs to that task. A late report (a task already failed by its deadline) still
     * completes a removal; a late launch finds its container gone and changes nothing (the node removes
     * what the cluster no longer knows).
     */
    public void outcome(Report.TaskOutcome report) {
        for (int round = 0; round < ROUNDS; round++) {
            Optional<Entry> taskEntry = store.get(keys.task(report.taskId()));
            if (taskEntry.isEmpty()) {
                log.debug("node {} reported on unknown task {}", report.node(), report.taskId());
                return;
            }
            Stored.Task task = StoredJson.read(taskEntry.get(), Stored.Task.class);
            Txn txn = Txn.create();
            boolean changes = false;
            String message = report.ok() ? null : report.message();
            if (task.state().equals(TaskStatus.PENDING)) {
                txn.ifUnchanged(taskEntry.get()).put(taskEntry.get().key(),
                        StoredJson.bytes(task.finished(report.ok() ? TaskStatus.DONE : TaskStatus.FAILED, message)));
                changes = true;
            }
            Optional<Entry> containerEntry = store.get(keys.container(task.container()));
            if (containerEntry.isPresent()) {
                Stored.Container container = StoredJson.read(containerEntry.get(), Stored.Container.class);
                if (container.taskId().equals(task.taskId()) && (task.state().equals(TaskStatus.PENDING) || report.ok())) {
                    txn.ifUnchanged(containerEntry.get());
                    changes |= applyToContainer(txn, task, container, report.ok());
                }
            }
            if (!changes) {
                return;
            }
            if (store.commit(txn).succeeded()) {
                if (report.ok()) {
                    log.info("task {} ({} {}) done on {}", task.taskId(), task.kind(), task.container(), report.node());
                } else {
                    log.warn("task {} ({} {}) failed on {}: {}", task.taskId(), task.kind(), task.container(), report.node(), message);
                }
                return;
            }
        }
        log.warn("could not record the outcome of task {}: state kept changing", report.taskId());
    }

    /** What the cluster says should hold on a node: launches of its containers, and its pending removals. */
    public Replies.Assignments assignments(ServerRequest.GetAssignments request) {
        Map<String, Entry> state = store.getAll(List.of(keys.node(request.node())));
        Stored.Node node = StoredJson.read(Nodes.requireNode(state.get(keys.node(request.node())), request.node()), Stored.Node.class);
        List<Task.Launch> launches = new ArrayList<>();
        List<Task.Destroy> destroys = new ArrayList<>();
        for (Entry entry : store.list(keys.containers()).entries()) {
            Stored.Container c = StoredJson.read(entry, Stored.Container.class);
            if (!c.node().equals(node.name())) {
                continue;
            }
            if (c.state().equals(ContainerInfo.REMOVING)) {
                destroys.add(new Task.Destroy(c.taskId(), c.node(), c.name()));
            } else if (node.bridgeIp() != null) {
                launches.add(launchTask(c, node));
            }
        }
        return new Replies.Assignments(launches, destroys);
    }

    /** Adds the task's effect on its container to the transaction; false when there is none. */
    private boolean applyToContainer(Txn txn, Stored.Task task, Stored.Container container, boolean ok) {
        String containerKey = keys.container(container.name());
        String ipKey = keys.ip(InterfaceAddress.parse(container.ip()).address());
        boolean launch = task.kind().equals(Stored.Task.LAUNCH);
        if (launch && ok) {
            if (container.state().equals(ContainerInfo.RUNNING)) {
                return false;
            }
            txn.put(containerKey, StoredJson.bytes(container.with(ContainerInfo.RUNNING, container.taskId())));
        } else if (launch || ok) {
            // a failed launch frees the name and address again; a done destroy removes them
            txn.delete(containerKey).delete(ipKey);
        } else {
            // a failed destroy leaves the container marked as removing: rm may be tried again
            return false;
        }
        return true;
    }

    private static TramaException alreadyExists(Entry existing) {
        Stored.Container c = StoredJson.read(existing, Stored.Container.class);
        return new TramaException(ErrorCode.ALREADY_EXISTS, "container '" + c.name() + "' already exists on node '" + c.node() + "'");
    }

    static ContainerInfo info(Stored.Container c) {
        return new ContainerInfo(c.name(), c.node(), c.ip(), c.image(), c.state(), c.ports());
    }
}
