package dev.trama.server.cluster;

import dev.trama.net.Cidr;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ContainerStatus;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.Replies;
import dev.trama.protocol.Replies.Done;
import dev.trama.protocol.Replies.TaskAccepted;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.ServerRequest.GetTask;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.RemoveContainer;
import dev.trama.protocol.Task;
import dev.trama.protocol.TramaException;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Listing;
import dev.trama.server.store.Txn;
import dev.trama.server.store.TxnResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers: recording a launch or removal and publishing its task, applying the outcome the node reports,
 * and letting go of a node's containers when it leaves or is released. A container record and its address
 * are always written and deleted together (see {@link ContainerRecords}).
 */
public final class Containers {

    private static final Logger log = LoggerFactory.getLogger(Containers.class);
    /**
     * etcd allows 128 operations per transaction; releasing a container takes three and one per published port
     * ({@link ContainerRecords#releaseOps}), so a batch holds as many containers as fit in this many.
     */
    private static final int OPS_PER_TXN = 120;

    private final KeyValueStore store;
    private final Keys keys;
    private final Ipam ipam;
    private final Dispatch dispatch;
    private final Clock clock;
    private final String clusterId;

    public Containers(KeyValueStore store, Keys keys, Ipam ipam, Dispatch dispatch, Clock clock, String clusterId) {
        this.store = store;
        this.keys = keys;
        this.ipam = ipam;
        this.dispatch = dispatch;
        this.clock = clock;
        this.clusterId = clusterId;
    }

    public TaskAccepted launch(LaunchContainer request) {
        return Optimistic.until("the cluster state kept changing while launching '" + request.name() + "'; try again", () -> {
            List<String> wanted = new ArrayList<>(List.of(keys.subnet(), keys.node(request.node()),
                    keys.alive(request.node()), keys.container(request.name()), keys.task(request.taskId())));
            request.ports().forEach(port -> wanted.add(keys.port(request.node(), port)));
            Map<String, Entry> state = store.getAll(wanted);
            Optional<TaskAccepted> repeated = repeated(state, request.taskId());
            if (repeated.isPresent()) {
                return repeated;
            }
            Entry subnetEntry = state.get(keys.subnet());
            if (subnetEntry == null) {
                throw new TramaException(ErrorCode.NOT_CONFIGURED, "the cluster has no segment yet: configure a node first");
            }
            Entry nodeEntry = Membership.requireNode(state.get(keys.node(request.node())), request.node());
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
            for (PortMapping port : request.ports()) {
                Entry claim = state.get(keys.port(request.node(), port));
                if (claim != null) {
                    throw portTaken(claim, port);
                }
            }
            Cidr subnet = Cidr.parse(subnetEntry.text());
            Stored.Container[] made = new Stored.Container[1];
            ipam.allocate(subnet, candidate -> {
                made[0] = record(request, InterfaceAddress.of(candidate, subnet));
                return claimForContainer(candidate, made[0], nodeEntry, alive);
            });
            Stored.Container container = made[0];
            dispatch.toNode(container.node(), launchTask(container, node));
            log.info("container {} on {} gets {} (task {})", container.name(), node.name(), container.ip(), request.taskId());
            return Optional.of(new TaskAccepted(request.taskId(), info(container)));
        });
    }

    private Stored.Container record(LaunchContainer request, InterfaceAddress ip) {
        return new Stored.Container(request.name(), request.node(), ip.toString(), request.image(),
                ContainerState.PENDING, request.taskId(), request.ports(), request.env(), request.command(), clock.millis(),
                request.options(), null);
    }

    private Ipam.Outcome claimForContainer(Ipv4 candidate, Stored.Container container, Entry nodeEntry, Entry alive) {
        String ipKey = keys.ip(candidate);
        String containerKey = keys.container(container.name());
        String taskKey = keys.task(container.taskId());
        Stored.Task task = new Stored.Task(container.taskId(), Stored.TaskKind.LAUNCH, container.node(), container.name(),
                TaskStatus.State.PENDING, null, clock.millis());
        Txn txn = Txn.create()
                .ifAbsent(ipKey)
                .ifAbsent(containerKey)
                .ifAbsent(taskKey)
                .ifUnchanged(nodeEntry)
                .ifUnchanged(alive)
                .put(ipKey, StoredJson.bytes(new Stored.Allocation(candidate.toString(), Stored.Holder.CONTAINER,
                        container.name(), container.node())))
                .put(containerKey, StoredJson.bytes(container))
                .put(taskKey, StoredJson.bytes(task))
                .readOnFailure(ipKey)
                .readOnFailure(containerKey)
                .readOnFailure(taskKey);
        List<String> portKeys = new ArrayList<>();
        for (PortMapping port : container.ports()) {
            String portKey = keys.port(container.node(), port);
            portKeys.add(portKey);
            txn.ifAbsent(portKey)
                    .put(portKey, StoredJson.bytes(new Stored.PortClaim(container.node(), port.hostSide(), container.name())))
                    .readOnFailure(portKey);
        }
        TxnResult result = store.commit(txn);
        if (result.succeeded()) {
            return Ipam.Outcome.CLAIMED;
        }
        // a name, task or host port taken meanwhile: the next round reads it and says so
        if (result.read(containerKey).isPresent() || result.read(taskKey).isPresent()
                || portKeys.stream().anyMatch(key -> result.read(key).isPresent())) {
            throw new Contention();
        }
        if (result.read(ipKey).isPresent()) {
            return Ipam.Outcome.TAKEN;
        }
        throw new Contention();
    }

    static Task.Launch launchTask(Stored.Container c, Stored.Node node) {
        String gateway = InterfaceAddress.parse(node.bridgeIp()).address().toString();
        return new Task.Launch(c.taskId(), c.node(), c.name(), c.ip(), gateway, c.image(), c.ports(), c.env(), c.command(),
                c.options());
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

    /**
     * Marks the container for removal and publishes the destroy to its node. On a node that is down the removal
     * is recorded, to be carried out when the node comes back (or the container released with it), and its
     * task fails at once saying so: nothing is removed until the node can do it.
     */
    public TaskAccepted remove(RemoveContainer request) {
        return Optimistic.until("container '" + request.name() + "' kept changing; try again", () -> {
            Map<String, Entry> state = store.getAll(List.of(keys.container(request.name()), keys.task(request.taskId())));
            Optional<TaskAccepted> repeated = repeated(state, request.taskId());
            if (repeated.isPresent()) {
                return repeated;
            }
            Entry entry = state.get(keys.container(request.name()));
            if (entry == null) {
                throw new TramaException(ErrorCode.NOT_FOUND, "container '" + request.name() + "' is not in the cluster");
            }
            Stored.Container container = StoredJson.read(entry, Stored.Container.class);
            Optional<Entry> alive = store.get(keys.alive(container.node()));
            Stored.Container removing = container.with(ContainerState.REMOVING, request.taskId());
            Stored.Task task = new Stored.Task(request.taskId(), Stored.TaskKind.DESTROY, container.node(), container.name(),
                    TaskStatus.State.PENDING, null, clock.millis());
            Txn txn = Txn.create()
                    .ifUnchanged(entry)
                    .ifAbsent(keys.task(request.taskId()))
                    .put(entry.key(), StoredJson.bytes(removing));
            if (alive.isPresent()) {
                txn.ifUnchanged(alive.get()).put(keys.task(request.taskId()), StoredJson.bytes(task));
            } else {
                txn.ifAbsent(keys.alive(container.node())).put(keys.task(request.taskId()), StoredJson.bytes(task.finished(
                        TaskStatus.State.FAILED, "node '" + container.node() + "' is down: '" + container.name()
                                + "' is removed when the node comes back, or when it is released")));
            }
            if (!store.commit(txn).succeeded()) {
                return Optional.empty();
            }
            if (alive.isPresent()) {
                dispatch.toNode(container.node(), new Task.Destroy(request.taskId(), container.node(), container.name()));
            }
            log.info("container {} on {} is being removed (task {})", container.name(), container.node(), request.taskId());
            return Optional.of(new TaskAccepted(request.taskId(), info(removing)));
        });
    }

    public TaskStatus task(GetTask request) {
        Entry entry = store.get(keys.task(request.taskId())).orElseThrow(() ->
                new TramaException(ErrorCode.NOT_FOUND, "task " + request.taskId() + " is unknown"));
        Stored.Task task = StoredJson.read(entry, Stored.Task.class);
        ContainerInfo container = store.get(keys.container(task.container()))
                .map(e -> info(StoredJson.read(e, Stored.Container.class)))
                .orElse(null);
        return new TaskStatus(task.taskId(), task.state(), task.message(), container, task.progress());
    }

    /** Keeps how far a launch's node is in pulling its image: a pending launch's deadline runs from now. */
    public void progress(Report.TaskProgress report) {
        try {
            Optimistic.untilCommitted("task " + report.taskId() + " kept changing", () -> {
                Optional<Entry> entry = store.get(keys.task(report.taskId()));
                if (entry.isEmpty()) {
                    return true;
                }
                Stored.Task task = StoredJson.read(entry.get(), Stored.Task.class);
                // a launch's last progress may come after its outcome: kept all the same, it says how the pull ended
                if (!task.node().equals(report.node()) || task.kind() != Stored.TaskKind.LAUNCH
                        || report.progress().equals(task.progress())) {
                    return true;
                }
                return store.commit(Txn.create().ifUnchanged(entry.get()).put(entry.get().key(),
                        StoredJson.bytes(task.progressed(report.progress(), clock.millis())))).succeeded();
            });
        } catch (TramaException e) {
            log.warn("could not record the progress of task {}: {}", report.taskId(), e.getMessage());
        }
    }

    /**
     * Applies what a node reports of a task: the task's outcome, and its effect on the container while the
     * container still belongs to that task. A late report (a task already failed by its deadline) still
     * completes a removal; a late launch finds its container gone and changes nothing (its tombstone tells the
     * node to remove it).
     */
    public void outcome(Report.TaskOutcome report) {
        try {
            Optimistic.untilCommitted("task " + report.taskId() + " kept changing", () -> {
                Optional<Entry> taskEntry = store.get(keys.task(report.taskId()));
                if (taskEntry.isEmpty()) {
                    log.debug("node {} reported on unknown task {}", report.node(), report.taskId());
                    return true;
                }
                Stored.Task task = StoredJson.read(taskEntry.get(), Stored.Task.class);
                if (!task.node().equals(report.node())) {
                    log.warn("node {} reported on task {} of node {}: ignored", report.node(), report.taskId(), task.node());
                    return true;
                }
                Txn txn = Txn.create();
                boolean changes = false;
                String message = report.ok() ? null : report.message();
                if (task.pending()) {
                    txn.ifUnchanged(taskEntry.get()).put(taskEntry.get().key(),
                            StoredJson.bytes(task.finished(report.ok() ? TaskStatus.State.DONE : TaskStatus.State.FAILED, message)));
                    changes = true;
                }
                Optional<Entry> containerEntry = store.get(keys.container(task.container()));
                if (containerEntry.isPresent()) {
                    Stored.Container container = StoredJson.read(containerEntry.get(), Stored.Container.class);
                    if (container.taskId().equals(task.taskId()) && (task.pending() || report.ok())) {
                        changes |= applyToContainer(txn, task, containerEntry.get(), container, report.ok());
                    }
                }
                if (!changes) {
                    return true;
                }
                if (!store.commit(txn).succeeded()) {
                    return false;
                }
                if (report.ok()) {
                    log.info("task {} ({} {}) done on {}", task.taskId(), task.kind(), task.container(), report.node());
                } else {
                    log.warn("task {} ({} {}) failed on {}: {}", task.taskId(), task.kind(), task.container(), report.node(), message);
                }
                return true;
            });
        } catch (TramaException e) {
            log.warn("could not record the outcome of task {}: {}", report.taskId(), e.getMessage());
        }
    }

    /** Adds the task's effect on its container to the transaction; false when there is none. */
    private boolean applyToContainer(Txn txn, Stored.Task task, Entry entry, Stored.Container container, boolean ok) {
        boolean launch = task.kind() == Stored.TaskKind.LAUNCH;
        if (launch && ok) {
            if (container.state() == ContainerState.RUNNING) {
                return false;
            }
            txn.ifUnchanged(entry).put(entry.key(), StoredJson.bytes(container.with(ContainerState.RUNNING, container.taskId())));
        } else if (launch || ok) {
            // a failed launch frees the name and address again (the node removed what it made); a done destroy
            // removes them
            ContainerRecords.delete(txn, keys, entry, container);
        } else {
            // a failed destroy leaves the container marked as removing: rm may be tried again
            return false;
        }
        return true;
    }

    /**
     * What the cluster says should hold on a node: launches of its containers, its pending removals, the
     * tombstones of containers released without it, and the cluster's names.
     */
    public Replies.Assignments assignments(ServerRequest.GetAssignments request) {
        Stored.Node node = StoredJson.read(store.get(keys.node(request.node()))
                .orElseThrow(() -> Membership.notInCluster(request.node())), Stored.Node.class);
        List<Task.Launch> launches = new ArrayList<>();
        List<Task.Destroy> destroys = new ArrayList<>();
        Listing all = store.list(keys.containers());
        for (Entry entry : all.entries()) {
            Stored.Container c = StoredJson.read(entry, Stored.Container.class);
            if (!c.node().equals(node.name())) {
                continue;
            }
            if (c.state() == ContainerState.REMOVING) {
                destroys.add(new Task.Destroy(c.taskId(), c.node(), c.name()));
            } else if (node.bridgeIp() != null) {
                launches.add(launchTask(c, node));
            }
        }
        List<Replies.Tombstone> tombstones = store.list(keys.tombstones(node.name())).entries().stream()
                .map(e -> StoredJson.read(e, Stored.Tombstone.class))
                .map(t -> new Replies.Tombstone(t.name(), t.taskId(), t.reason()))
                .toList();
        return new Replies.Assignments(clusterId, launches, destroys, tombstones, Roster.members(store, keys),
                Directory.table(all));
    }

    public Done forgetTombstones(ServerRequest.ForgetTombstones request) {
        Txn txn = Txn.create();
        request.taskIds().forEach(id -> txn.delete(keys.tombstone(request.node(), id)));
        store.commit(txn);
        return new Done();
    }

    /** Removes a leaving node's containers with their addresses; the names removed. Its daemon removes them too. */
    List<String> removeAllOf(String node, List<String> releasedAddresses) {
        return letGo(node, null, releasedAddresses);
    }

    /**
     * Releases a down node's containers with their addresses, each leaving a tombstone with the reason, unless
     * the node comes back meanwhile; the names released.
     */
    List<String> releaseAllOf(String node, String reason, List<String> releasedAddresses) {
        return letGo(node, reason, releasedAddresses);
    }

    private List<String> letGo(String node, String reason, List<String> releasedAddresses) {
        List<String> names = new ArrayList<>();
        Optimistic.untilCommitted("containers of node '" + node + "' kept changing; try again", () -> {
            if (reason != null && store.get(keys.alive(node)).isPresent()) {
                return true; // it came back: it keeps the rest
            }
            List<Entry> mine = store.list(keys.containers()).entries().stream()
                    .filter(e -> StoredJson.read(e, Stored.Container.class).node().equals(node))
                    .toList();
            int from = 0;
            while (from < mine.size()) {
                Txn txn = Txn.create();
                List<Stored.Container> batch = new ArrayList<>();
                int ops = 0;
                for (; from < mine.size(); from++) {
                    Entry e = mine.get(from);
                    Stored.Container container = StoredJson.read(e, Stored.Container.class);
                    if (!batch.isEmpty() && ops + ContainerRecords.releaseOps(container) > OPS_PER_TXN) {
                        break;
                    }
                    if (reason == null) {
                        ContainerRecords.delete(txn, keys, e, container);
                    } else {
                        ContainerRecords.release(txn, keys, e, container, reason, clock.millis());
                    }
                    ops += ContainerRecords.releaseOps(container);
                    batch.add(container);
                }
                if (reason != null) {
                    txn.ifAbsent(keys.alive(node));
                }
                if (store.commit(txn).succeeded()) {
                    batch.forEach(c -> {
                        names.add(c.name());
                        releasedAddresses.add(InterfaceAddress.parse(c.ip()).address().toString());
                    });
                }
            }
            return mine.isEmpty();
        });
        return names;
    }

    private static TramaException portTaken(Entry claimEntry, PortMapping port) {
        Stored.PortClaim claim = StoredJson.read(claimEntry, Stored.PortClaim.class);
        return new TramaException(ErrorCode.ALREADY_EXISTS, "host port " + port.hostSide() + " of node '" + claim.node()
                + "' is already published by container '" + claim.container() + "'");
    }

    private static TramaException alreadyExists(Entry existing) {
        Stored.Container c = StoredJson.read(existing, Stored.Container.class);
        return new TramaException(ErrorCode.ALREADY_EXISTS, "container '" + c.name() + "' already exists on node '" + c.node() + "'");
    }

    static ContainerInfo info(Stored.Container c) {
        return new ContainerInfo(c.name(), c.node(), c.ip(), c.image(), c.status(), c.ports());
    }

    /**
     * Keeps what a node's engine says of one of its containers, for the launch that made it: a report of another
     * node, of an older launch or of a container gone since changes nothing.
     */
    public void observed(Report.ContainerObserved report) {
        Stored.Observed seen = new Stored.Observed(report.status(), report.restarts(), report.imageId(), report.mac(),
                report.created(), report.started());
        try {
            Optimistic.untilCommitted("container " + report.name() + " kept changing", () -> {
                Optional<Entry> entry = store.get(keys.container(report.name()));
                if (entry.isEmpty()) {
                    return true;
                }
                Stored.Container container = StoredJson.read(entry.get(), Stored.Container.class);
                if (!container.node().equals(report.node()) || !container.taskId().equals(report.taskId())
                        || seen.equals(container.observed())) {
                    return true;
                }
                boolean committed = store.commit(Txn.create().ifUnchanged(entry.get())
                        .put(entry.get().key(), StoredJson.bytes(container.observed(seen)))).succeeded();
                if (committed && !seen.status().equals(container.observed() == null ? null : container.observed().status())) {
                    log.info("container {} on {} is {}", container.name(), container.node(), seen.status());
                }
                return committed;
            });
        } catch (TramaException e) {
            log.warn("could not record the state of container {}: {}", report.name(), e.getMessage());
        }
    }

    /** One container in full; its environment's values masked unless asked for. */
    public Replies.ContainerDetails details(ServerRequest.GetContainer request) {
        Entry entry = store.get(keys.container(request.name())).orElseThrow(() ->
                new TramaException(ErrorCode.NOT_FOUND, "container '" + request.name() + "' is not in the cluster"));
        Stored.Container c = StoredJson.read(entry, Stored.Container.class);
        ContainerStatus status = store.get(keys.alive(c.node())).isPresent() ? c.status() : ContainerStatus.of(ContainerState.UNKNOWN);
        Map<String, String> env = new TreeMap<>(c.env());
        if (!request.showEnv()) {
            env.replaceAll((key, value) -> Replies.ContainerDetails.MASKED);
        }
        Stored.Observed seen = c.observed();
        return new Replies.ContainerDetails(c.name(), c.node(), c.image(), seen == null ? null : seen.imageId(), c.ip(),
                seen == null ? null : seen.mac(), c.ports(), c.command(), env, status,
                status.exitCode(), seen == null ? 0 : seen.restarts(),
                seen == null ? Instant.ofEpochMilli(c.createdAt()).toString() : seen.created(),
                seen == null ? null : seen.started(), c.options());
    }
}
