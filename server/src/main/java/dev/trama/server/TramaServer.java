package dev.trama.server;

import dev.trama.concurrent.Threads;
import dev.trama.protocol.Codec;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import dev.trama.protocol.Topics;
import dev.trama.server.cluster.Access;
import dev.trama.server.cluster.ClusterIdentity;
import dev.trama.server.cluster.ClusterSecrets;
import dev.trama.server.cluster.ClusterReader;
import dev.trama.server.cluster.ContainerLogs;
import dev.trama.server.cluster.Containers;
import dev.trama.server.cluster.Directory;
import dev.trama.server.cluster.Dispatch;
import dev.trama.server.cluster.Keys;
import dev.trama.server.cluster.Liveness;
import dev.trama.server.cluster.Members;
import dev.trama.server.cluster.Membership;
import dev.trama.server.cluster.Segment;
import dev.trama.server.cluster.TaskSweeper;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.KeyValueStore;
import dev.trama.transport.Admission;
import dev.trama.transport.CurveKeyPair;
import dev.trama.transport.Endpoints;
import dev.trama.transport.Handlers;
import dev.trama.transport.Peer;
import dev.trama.transport.Receiver;
import dev.trama.transport.RequestServer;
import dev.trama.transport.Sender;
import dev.trama.transport.Sockets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The server: three sockets in front of the cluster state in etcd. It keeps nothing in memory that a
 * restart would lose; any number of servers may serve one etcd.
 */
public final class TramaServer implements AutoCloseable {

    /** Where the server listens and how it paces itself. */
    public record Config(String bind, int repPort, int pubPort, int pullPort, Duration metricsInterval,
                         Duration nodeTimeout, Duration releaseAfter, Duration taskTimeout, boolean insecure) {
        public static final int REP_PORT = 8081;
        public static final int PUB_PORT = 8080;
        public static final int PULL_PORT = 8082;
        public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration RELEASE_AFTER = Duration.ofSeconds(60);
        public static final Duration TASK_TIMEOUT = Duration.ofSeconds(45);

        public Config {
            Endpoints.host(bind);
            Endpoints.listenPort(repPort);
            Endpoints.listenPort(pubPort);
            Endpoints.listenPort(pullPort);
            if (nodeTimeout.toSeconds() < 2) {
                throw new IllegalArgumentException("the node timeout must be at least 2 s (etcd leases count in seconds)");
            }
            if (releaseAfter.isNegative()) {
                throw new IllegalArgumentException("the release grace cannot be negative");
            }
        }

        /** Defaults for everything but the ports. */
        public static Config of(String bind, int repPort, int pubPort, int pullPort) {
            return new Config(bind, repPort, pubPort, pullPort, Duration.ofSeconds(10), NODE_TIMEOUT, RELEASE_AFTER, TASK_TIMEOUT,
                    false);
        }

        /** The same in plain text. */
        public Config insecurely() {
            return new Config(bind, repPort, pubPort, pullPort, metricsInterval, nodeTimeout, releaseAfter, taskTimeout, true);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(TramaServer.class);
    private static final int WORKERS = 8;
    private static final Duration TASK_SWEEP = Duration.ofMillis(500);
    private static final Duration NODE_SWEEP = Duration.ofSeconds(1);
    private static final Duration TASK_RETENTION = Duration.ofMinutes(10);
    private static final Duration NAMES_AGAIN = Duration.ofSeconds(5);

    /** The ports a server listens on, as bound: a 0 in its configuration is the port the system picked. */
    public record Ports(int rep, int pub, int pull) {
    }

    /** What was opened, closed in reverse order. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private Ports ports;

    private TramaServer() {
    }

    /**
     * Starts a server: first what needs only the store (the cluster's id and keys), then the sockets and threads.
     * If any step fails, everything opened so far is closed before the failure is thrown, so a caller may try
     * again.
     */
    public static TramaServer start(Config config, KeyValueStore store, Keys keys) {
        String clusterId = ClusterIdentity.ensure(store, keys);
        ClusterSecrets secrets = new ClusterSecrets(store, keys);
        CurveKeyPair serverKey = config.insecure() ? null : serverKey(secrets);
        TramaServer server = new TramaServer();
        try {
            server.open(config, store, keys, clusterId, secrets, serverKey);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static CurveKeyPair serverKey(ClusterSecrets secrets) {
        ClusterSecrets.ServerKey key = secrets.serverKey();
        return new CurveKeyPair(key.publicKey(), key.secretKey());
    }

    private void open(Config config, KeyValueStore store, Keys keys, String clusterId, ClusterSecrets secrets,
                      CurveKeyPair serverKey) {
        Clock clock = Clock.systemUTC();
        Sockets sockets = opening(serverKey == null ? Sockets.insecure() : Sockets.curve(serverKey));
        Members members = serverKey == null ? null : opening(new Members(store, keys));
        if (members != null) {
            members.follow();
        }
        // tasks and reports are for members only; anyone may ask to join, under the key it proved
        Admission membersOnly = members == null ? Admission.anyKey() : members::nodeOf;
        Access access = new Access(members);
        Ipam ipam = opening(new Ipam(store, keys.ips()));
        ZMQ.Socket pub = sockets.bind(SocketType.PUB, Endpoints.listening(config.bind(), config.pubPort()), membersOnly);
        Sender publisher = opening(new Sender("publisher", pub));
        Dispatch dispatch = new Dispatch() {
            @Override
            public void toNode(String node, Task task) {
                publisher.publish(Topics.node(node), task);
            }

            @Override
            public void toAll(Task task) {
                publisher.publish(Topics.ALL, task);
            }
        };
        Containers containers = new Containers(store, keys, ipam, dispatch, clock, clusterId);
        ContainerLogs logs = new ContainerLogs(store, keys, dispatch);
        Directory names = opening(Directory.withOwnThread(store, keys, dispatch));
        names.follow();
        Segment segment = new Segment(store, keys, ipam, clusterId, dispatch);
        Membership membership = new Membership(store, keys, clusterId, clock, config.nodeTimeout(), containers, segment,
                members, secrets, dispatch);
        ClusterReader reader = new ClusterReader(store, keys, clock, dispatch);

        Handlers handlers = new Handlers()
                .on(ServerRequest.RegisterNode.class, (r, caller) -> membership.register(r, caller.identity()))
                .on(ServerRequest.Heartbeat.class, (r, caller) -> {
                    access.self(caller, r.node());
                    return membership.heartbeat(r);
                })
                .on(ServerRequest.GetAssignments.class, (r, caller) -> {
                    access.self(caller, r.node());
                    return containers.assignments(r);
                })
                .on(ServerRequest.ForgetTombstones.class, (r, caller) -> {
                    access.self(caller, r.node());
                    return containers.forgetTombstones(r);
                })
                .on(ServerRequest.ConfigureNode.class, (r, caller) -> {
                    access.self(caller, r.node());
                    return segment.configure(r);
                })
                .on(ServerRequest.LeaveNode.class, (r, caller) -> {
                    access.self(caller, r.node());
                    return membership.leave(r);
                })
                .on(ServerRequest.LaunchContainer.class, (r, caller) -> {
                    access.member(caller);
                    return containers.launch(r);
                })
                .on(ServerRequest.RemoveContainer.class, (r, caller) -> {
                    access.member(caller);
                    return containers.remove(r);
                })
                .on(ServerRequest.GetTask.class, (r, caller) -> {
                    access.member(caller);
                    return containers.task(r);
                })
                .on(ServerRequest.GetLogs.class, (r, caller) -> {
                    access.member(caller);
                    return logs.read(r);
                })
                .on(ServerRequest.GetContainer.class, (r, caller) -> {
                    access.member(caller);
                    return containers.details(r);
                })
                .on(ServerRequest.GetCluster.class, (r, caller) -> {
                    access.member(caller);
                    return reader.view();
                })
                .requireComplete(ServerRequest.class);
        RequestServer requests = opening(new RequestServer(sockets, Endpoints.listening(config.bind(), config.repPort()),
                serverKey == null ? null : Admission.anyKey(), new Codec(ServerRequest.class), handlers, WORKERS, "server",
                Set.of(ServerRequest.Heartbeat.class)));
        ZMQ.Socket pull = sockets.bind(SocketType.PULL, Endpoints.listening(config.bind(), config.pullPort()), membersOnly);
        ports = new Ports(requests.port(), Sockets.boundPort(pub), Sockets.boundPort(pull));
        opening(new Receiver("reports", pull, 0, new Codec(Report.class), (Object report, Peer sender) -> {
            if (report instanceof Report.Metrics metrics && access.reportsFor(sender, metrics.node())) {
                reader.record(metrics);
            } else if (report instanceof Report.TaskOutcome outcome && access.reportsFor(sender, outcome.node())) {
                containers.outcome(outcome);
            } else if (report instanceof Report.ContainerObserved observed && access.reportsFor(sender, observed.node())) {
                containers.observed(observed);
            } else if (report instanceof Report.TaskProgress progress && access.reportsFor(sender, progress.node())) {
                containers.progress(progress);
            } else if (report instanceof Report.Logs answer && access.reportsFor(sender, answer.node())) {
                logs.received(answer);
            }
        }));

        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Threads.named("timers"));
        opening(timers::shutdownNow);
        ExecutorService sweeps = Executors.newSingleThreadExecutor(Threads.named("sweeps"));
        opening(sweeps::shutdownNow);
        Liveness liveness = opening(new Liveness(store, keys, containers, segment, clock, config.releaseAfter(), dispatch, sweeps));
        TaskSweeper tasks = new TaskSweeper(store, keys, dispatch, clock, config.taskTimeout(), TASK_RETENTION);
        long every = config.metricsInterval().toMillis();
        timers.scheduleAtFixedRate(() -> dispatch.toAll(new Task.CollectMetrics()), every, every, TimeUnit.MILLISECONDS);
        // the names go out on every change; again now and then for a node that missed one
        timers.scheduleAtFixedRate(names::republish, NAMES_AGAIN.toMillis(), NAMES_AGAIN.toMillis(), TimeUnit.MILLISECONDS);
        periodically(timers, sweeps, "task sweep", TASK_SWEEP, tasks::sweep);
        periodically(timers, sweeps, "node sweep", NODE_SWEEP, () -> {
            if (members != null) {
                members.follow();
            }
            names.follow();
            liveness.sweep();
        });
        if (serverKey == null) {
            log.warn("insecure: plain text on every port, and whoever says to be a node is believed; for a lab only");
        }
        log.info("cluster {} served on {} (requests {}, tasks {}, reports {}; nodes shown down after {} s, released after {} s)",
                clusterId, config.bind(), ports.rep(), ports.pub(), ports.pull(),
                config.nodeTimeout().toSeconds(), config.releaseAfter().toSeconds());
    }

    public Ports ports() {
        return ports;
    }

    private <T extends AutoCloseable> T opening(T resource) {
        opened.push(resource);
        return resource;
    }

    /**
     * Runs work now and then on the sweeps thread. The work is idempotent, so every server of a cluster may do
     * it. A failure, such as etcd being away, is logged once until the work succeeds again.
     */
    private static void periodically(ScheduledExecutorService timers, ExecutorService sweeps, String name, Duration every,
                                     Runnable work) {
        boolean[] failing = {false};
        timers.scheduleWithFixedDelay(() -> sweeps.execute(() -> {
            try {
                work.run();
                if (failing[0]) {
                    log.info("{} works again", name);
                }
                failing[0] = false;
            } catch (RuntimeException e) {
                if (!failing[0]) {
                    log.warn("{} failed: {}", name, e.getMessage());
                }
                failing[0] = true;
            }
        }), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
            }
        }
    }
}
