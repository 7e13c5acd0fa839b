package dev.trama.server.cluster;

import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.Task;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every task through. A publication can be lost (a subscriber that is reconnecting misses it), so a
 * task its node has not acknowledged is published again, at growing intervals, until the node reports on
 * it or its deadline passes. Past the deadline the task fails with a sentence saying so, and a launch gives
 * back its name and address. Finished tasks are forgotten after a while.
 */
public final class TaskSweeper {

    private record Published(int times, long lastAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(TaskSweeper.class);
    private static final long FIRST_REPUBLISH_MS = 1_000;
    private static final long MAX_REPUBLISH_MS = 5_000;

    private final KeyValueStore store;
    private final Keys keys;
    private final Dispatch dispatch;
    private final Clock clock;
    private final Duration deadline;
    private final Duration retention;
    private final Map<String, Published> published = new ConcurrentHashMap<>();

    public TaskSweeper(KeyValueStore store, Keys keys, Dispatch dispatch, Clock clock, Duration deadline, Duration retention) {
        this.store = store;
        this.keys = keys;
        this.dispatch = dispatch;
        this.clock = clock;
        this.deadline = deadline;
        this.retention = retention;
    }

    public void sweep() {
        // tasks first: a task is written with its container, so every task listed has its container in the
        // listing that follows, unless it is really gone
        java.util.List<Entry> tasks = store.list(keys.tasks()).entries();
        Map<String, Entry> containers = byName(keys.containers());
        Map<String, Stored.Node> nodes = new HashMap<>();
        byName(keys.nodes()).forEach((name, e) -> nodes.put(name, StoredJson.read(e, Stored.Node.class)));
        Set<String> alive = new HashSet<>(byName(keys.alive()).keySet());
        Set<String> pending = new HashSet<>();
        long now = clock.millis();
        for (Entry entry : tasks) {
            Stored.Task task = StoredJson.read(entry, Stored.Task.class);
            if (!task.pending()) {
                if (now - task.createdAt() > retention.toMillis()) {
                    store.commit(Txn.create().ifUnchanged(entry).delete(entry.key()));
                }
                continue;
            }
            Entry containerEntry = containers.get(task.container());
            Stored.Container container = containerEntry == null ? null : StoredJson.read(containerEntry, Stored.Container.class);
            if (container == null || !container.taskId().equals(task.taskId())) {
                fail(entry, task, alive.contains(task.node()) ? "the task was overtaken by another on '" + task.container() + "'"
                        : "node '" + task.node() + "' left or was released before confirming it");
            } else if (now - task.lastActivity() > deadline.toMillis()) {
                expire(entry, task, containerEntry, container);
            } else {
                pending.add(task.taskId());
                republishIfDue(task, container, nodes.get(task.node()), now);
            }
        }
        published.keySet().retainAll(pending);
    }

    private void republishIfDue(Stored.Task task, Stored.Container container, Stored.Node node, long now) {
        Published last = published.getOrDefault(task.taskId(), new Published(0, task.createdAt()));
        long wait = Math.min(MAX_REPUBLISH_MS, FIRST_REPUBLISH_MS << Math.min(last.times(), 8));
        if (now - last.lastAt() < wait || node == null) {
            return;
        }
        if (task.kind() == Stored.TaskKind.LAUNCH && node.bridgeIp() != null) {
            dispatch.toNode(task.node(), Containers.launchTask(container, node));
        } else if (task.kind() == Stored.TaskKind.DESTROY) {
            dispatch.toNode(task.node(), new Task.Destroy(task.taskId(), task.node(), task.container()));
        }
        published.put(task.taskId(), new Published(last.times() + 1, now));
        log.debug("task {} ({} {}) published again", task.taskId(), task.kind(), task.container());
    }

    private void expire(Entry taskEntry, Stored.Task task, Entry containerEntry, Stored.Container container) {
        boolean launch = task.kind() == Stored.TaskKind.LAUNCH;
        String message = "node '" + task.node() + "' did not confirm the " + (launch ? "launch" : "removal") + " of '"
                + task.container() + "' within " + deadline.toSeconds() + " s" + (task.progress() == null ? ""
                : " of its last progress (" + task.progress() + ")");
        Txn txn = Txn.create()
                .ifUnchanged(taskEntry)
                .put(taskEntry.key(), StoredJson.bytes(task.finished(TaskStatus.State.FAILED, message)));
        if (launch) {
            // the node may yet have made it: its tombstone has it removed when found
            ContainerRecords.release(txn, keys, containerEntry, container, message, clock.millis());
        }
        if (store.commit(txn).succeeded()) {
            log.warn("task {}: {}{}", task.taskId(), message, launch ? "; its address " + container.ip() + " is free again" : "");
        }
    }

    private void fail(Entry taskEntry, Stored.Task task, String message) {
        store.commit(Txn.create().ifUnchanged(taskEntry).put(taskEntry.key(),
                StoredJson.bytes(task.finished(TaskStatus.State.FAILED, message))));
    }

    private Map<String, Entry> byName(String prefix) {
        Map<String, Entry> found = new HashMap<>();
        store.list(prefix).entries().forEach(e -> found.put(Keys.nameIn(prefix, e.key()), e));
        return found;
    }
}
