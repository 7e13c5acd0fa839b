package dev.trama.daemon;

import dev.trama.concurrent.Threads;
import dev.trama.daemon.network.Forwarding;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.protocol.Task;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the other nodes and their containers are, as the server last said (its members and its table of names,
 * the newest revision kept), turned into the VXLAN device's entries ({@link Forwarding}) whenever either
 * changes. Nothing is given to the network before both are known, so that a restarted daemon never takes away
 * entries it merely has not heard of yet. Changes are applied on a thread of their own, one at a time, and
 * those that come meanwhile are served by one application of the latest.
 */
final class Peers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Peers.class);

    private final String node;
    private final NodeNetwork network;
    private final ExecutorService applier = Executors.newSingleThreadExecutor(Threads.named("forwarding"));
    private final AtomicBoolean due = new AtomicBoolean();
    private List<Task.Member> members;
    private Task.Names names;

    Peers(String node, NodeNetwork network) {
        this.node = node;
        this.network = network;
    }

    void members(Task.Members now) {
        synchronized (this) {
            members = now.members();
        }
        applySoon();
    }

    void names(Task.Names table) {
        synchronized (this) {
            if (names != null && table.revision() < names.revision()) {
                return;
            }
            names = table;
        }
        applySoon();
    }

    private void applySoon() {
        if (due.compareAndSet(false, true)) {
            try {
                applier.execute(this::apply);
            } catch (RejectedExecutionException e) {
                due.set(false); // closed
            }
        }
    }

    private void apply() {
        due.set(false);
        Forwarding wanted;
        synchronized (this) {
            if (members == null || names == null) {
                return;
            }
            wanted = Forwarding.of(node, members, names);
        }
        try {
            network.forwardTo(wanted);
        } catch (RuntimeException e) {
            // the server publishes its names again now and then: the next change or publication tries again
            log.warn("could not program the forwarding entries: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        applier.shutdownNow();
    }
}
