package dev.trama.daemon;

import dev.trama.concurrent.Sleeper;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.TramaException;
import dev.trama.transport.Requester;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's standing with the server: registering (patiently, at start), heartbeats, registering again when
 * the server shows the node down, and the guard against joining another cluster.
 *
 * <p>The guard: the node remembers the id of the cluster it joined ({@link NodeState}) and names it when it
 * registers. A server of another cluster (its etcd wiped or replaced, or simply another cluster's) refuses it;
 * the node then keeps every container and link as they are, says once what it found and what to do, and tries
 * again now and then: when its own cluster answers again, it carries on as before.
 */
final class MembershipLoop {

    /** The server refused this node for good (its name is taken, ...); the message says why. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MembershipLoop.class);
    static final Duration RETRY = Duration.ofSeconds(1);
    static final Duration RETRY_OTHER_CLUSTER = Duration.ofSeconds(5);
    static final Duration SAY_WAITING_EVERY = Duration.ofSeconds(30);
    static final Duration SAY_OTHER_CLUSTER_EVERY = Duration.ofMinutes(5);
    /** How long a server that listens may leave a member's secure requests unanswered before it is taken for a stranger. */
    static final Duration UNANSWERED_FOR = Duration.ofSeconds(10);

    private final String node;
    private final String address;
    private final Requester server;
    private final Membership membership;
    private final NodeState state;
    private final Trust trust;
    private final Clock clock;
    private final Sleeper sleeper;
    private final BooleanSupplier serverListens;
    private final AtomicBoolean rejoining = new AtomicBoolean();
    private volatile Runnable onRejoined = () -> { };
    private volatile Instant saidWaiting = Instant.EPOCH;
    private volatile Instant saidOtherCluster = Instant.EPOCH;
    private volatile Instant nextAttempt = Instant.EPOCH;
    private volatile boolean serverAnswers = true;
    private volatile Instant unansweredSince;

    /**
     * @param serverListens whether a server accepts TCP connections on its request port: a server that does but
     *                      never answers a secure request does not prove the key this node trusts
     */
    MembershipLoop(String node, String address, Requester server, Membership membership, NodeState state, Trust trust,
                   Clock clock, Sleeper sleeper, BooleanSupplier serverListens) {
        this.node = node;
        this.address = address;
        this.server = server;
        this.membership = membership;
        this.state = state;
        this.trust = trust;
        this.clock = clock;
        this.sleeper = sleeper;
        this.serverListens = serverListens;
    }

    /** What to do after the node registered again (converge to what the cluster says). */
    void onRejoined(Runnable action) {
        this.onRejoined = action;
    }

    /** Registers, waiting as long as it takes while the server is away or serves another cluster. */
    NodeRegistered join() throws Refused, InterruptedException {
        while (true) {
            Optional<NodeRegistered> registered = attempt();
            if (registered.isPresent()) {
                return registered.get();
            }
            sleeper.sleep(membership.facingOtherCluster() ? RETRY_OTHER_CLUSTER : RETRY);
        }
    }

    /**
     * One registration: the node's registration, or empty when it must wait and try again. A node that has
     * not joined yet names its token's cluster and brings its secret; once it has, it remembers the cluster and
     * its servers, and needs no secret any more.
     */
    private Optional<NodeRegistered> attempt() throws Refused {
        Optional<String> remembered = state.clusterId();
        boolean member = !trust.secure() || state.serverKey().isPresent();
        try {
            NodeRegistered registered = server.call(new ServerRequest.RegisterNode(node, address,
                    remembered.orElse(trust.clusterId()), member ? null : trust.joinSecret()));
            if (remembered.isPresent() && !remembered.get().equals(registered.clusterId())) {
                otherCluster("the server serves cluster " + registered.clusterId() + ", but node '" + node
                        + "' belongs to cluster " + remembered.get());
                return Optional.empty();
            }
            if (remembered.isEmpty()) {
                state.joined(registered.clusterId());
            }
            if (!member) {
                state.trustServer(trust.serverKey());
            }
            membership.joined(registered);
            serverAnswers = true;
            log.info("registered as {} in cluster {}{}", node, registered.clusterId(),
                    registered.bridgeIp() == null ? "" : ", bridge " + registered.bridgeIp());
            return Optional.of(registered);
        } catch (TramaException e) {
            if (e.code() == ErrorCode.WRONG_CLUSTER) {
                otherCluster(e.getMessage());
                return Optional.empty();
            }
            if (e.code() == ErrorCode.UNAVAILABLE && trust.secure() && serverListens.getAsBoolean()) {
                if (!member) {
                    throw new Refused("the server listens but does not answer node '" + node + "': it does not prove the"
                            + " key of the join token (the token is another cluster's, or the server runs --insecure)");
                }
                otherCluster(stranger());
                return Optional.empty();
            }
            if (e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.STORE_UNAVAILABLE) {
                membership.lost("waiting for the server: " + e.getMessage());
                if (!clock.instant().isBefore(saidWaiting.plus(SAY_WAITING_EVERY))) {
                    log.warn("waiting for the server: {}", e.getMessage());
                    saidWaiting = clock.instant();
                }
                return Optional.empty();
            }
            throw new Refused(e.getMessage());
        }
    }

    private String stranger() {
        return "the server listens but does not answer node '" + node + "': it does not prove the key this node trusts"
                + " (its etcd was wiped or replaced, it is another cluster's, or it runs --insecure)";
    }

    private void otherCluster(String found) {
        String sentence = found + ": every container and link of this host is kept as it is and the node tries again"
                + " every " + RETRY_OTHER_CLUSTER.toSeconds() + " s; restore the cluster's etcd, or run 'trama leave'"
                + " on this host to leave its cluster and start afresh";
        membership.lostToOtherCluster(sentence);
        if (!clock.instant().isBefore(saidOtherCluster.plus(SAY_OTHER_CLUSTER_EVERY))) {
            log.error("{}", sentence);
            saidOtherCluster = clock.instant();
        }
    }

    /**
     * Runs every heartbeat interval: a heartbeat while the node is joined, otherwise (now and then) an attempt
     * to register again. Never throws. Ticks may overlap: a heartbeat that is slow to be answered does not hold
     * back the next one.
     */
    void tick() {
        if (membership.leaving()) {
            return;
        }
        NodeRegistered current = membership.current();
        if (current == null) {
            if (!clock.instant().isBefore(nextAttempt)) {
                rejoin();
            }
            return;
        }
        try {
            // an answer later than this comes after the lease it renews would have lapsed anyway
            server.call(new ServerRequest.Heartbeat(node, current.clusterId()),
                    Duration.ofMillis(3 * current.heartbeatMillis()), 1);
            if (!serverAnswers) {
                log.info("the server answers again");
            }
            serverAnswers = true;
            unansweredSince = null;
        } catch (TramaException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                log.warn("{}: registering again", e.getMessage());
                rejoin();
            } else if (e.code() == ErrorCode.WRONG_CLUSTER) {
                otherCluster(e.getMessage());
                nextAttempt = clock.instant().plus(RETRY_OTHER_CLUSTER);
            } else {
                unanswered(e);
            }
        }
    }

    /**
     * A heartbeat got no answer. A server that is away is waited for; one that listens but has left every secure
     * request unanswered for a while is taken for a server that does not prove this node's key.
     */
    private void unanswered(TramaException e) {
        if (serverAnswers) {
            log.warn("lost contact with the server: {}", e.getMessage());
            serverAnswers = false;
        }
        Instant now = clock.instant();
        if (unansweredSince == null) {
            unansweredSince = now;
        } else if (e.code() == ErrorCode.UNAVAILABLE && trust.secure() && !now.isBefore(unansweredSince.plus(UNANSWERED_FOR))
                && serverListens.getAsBoolean()) {
            otherCluster(stranger());
            nextAttempt = now.plus(RETRY_OTHER_CLUSTER);
            unansweredSince = null;
        }
    }

    private void rejoin() {
        if (!rejoining.compareAndSet(false, true)) {
            return;
        }
        try {
            if (attempt().isPresent()) {
                onRejoined.run();
                return;
            }
        } catch (Refused e) {
            log.error("could not register again: {}", e.getMessage());
            membership.lost("the server refused it: " + e.getMessage());
        } finally {
            rejoining.set(false);
        }
        nextAttempt = clock.instant().plus(membership.facingOtherCluster() ? RETRY_OTHER_CLUSTER : RETRY);
    }
}
