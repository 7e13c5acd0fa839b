package dev.trama.daemon;

import dev.trama.concurrent.Threads;
import dev.trama.daemon.network.Forwarding;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.network.OverlaySettings;
import dev.trama.protocol.Task;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the other nodes and their containers are, as the server last said (its members and its table of names,
 * the newest revision kept), turned into the VXLAN device's entries ({@link Forwarding}) whenever either
 * changes. Nothing is given to the network before both are known, so that a restarted daemon never takes away
 * entries it merely has not heard of yet. Changes are applied on a thread of their own, one at a time, and
 * those that come meanwhile are served by one application of the latest.
 *
 * <p>The members also carry each node's LAN MTU: the overlay's MTU is the smallest of them (this node's own
 * at start, until members say otherwise) less VXLAN's overhead, so that a frame of full size crosses every
 * LAN link of the cluster; a node with a smaller MTU joining lowers it everywhere, running containers included.
 */
final class Peers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Peers.class);

    private final String node;
    private final NodeNetwork network;
    private final IntSupplier ownLanMtu;
    private final Supplier<List<Long>> runningContainers;
    private final ExecutorService applier = Executors.newSingleThreadExecutor(Threads.named("forwarding"));
    private final AtomicBoolean due = new AtomicBoolean();
    private List<Task.Member> members;
    private Task.Names names;

    /**
     * @param ownLanMtu         this node's LAN MTU now
     * @param runningContainers the PIDs of this node's running containers, whose eth0 follows the overlay's MTU
     */
    Peers(String node, NodeNetwork network, IntSupplier ownLanMtu, Supplier<List<Long>> runningContainers) {
        this.node = node;
        this.network = network;
        this.ownLanMtu = ownLanMtu;
        this.runningContainers = runningContainers;
    }

    /**
     * The overlay's MTU for these members: the smallest LAN MTU known, this node's own included whatever the
     * members say of it yet, less VXLAN's overhead.
     */
    static int overlayMtu(List<Task.Member> members, int ownLanMtu) {
        int smallest = members.stream().mapToInt(Task.Member::lanMtu).filter(mtu -> mtu >= OverlaySettings.MIN_LAN_MTU)
                .min().orElse(ownLanMtu);
        return Math.min(smallest, ownLanMtu) - OverlaySettings.VXLAN_OVERHEAD;
    }

    /** The members as last given (empty before any). */
    synchronized List<Task.Member> members() {
        return members == null ? List.of() : members;
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
        int mtu;
        synchronized (this) {
            if (members == null) {
                return;
            }
            mtu = overlayMtu(members, ownLanMtu.getAsInt());
            wanted = names == null ? null : Forwarding.of(node, members, names);
        }
        try {
            if (network.overlayMtu() != mtu) {
                network.overlayMtu(mtu, runningContainers.get());
            }
        } catch (RuntimeException e) {
            log.warn("could not set the overlay's MTU to {}: {}", mtu, e.getMessage());
        }
        if (wanted == null) {
            return;
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
