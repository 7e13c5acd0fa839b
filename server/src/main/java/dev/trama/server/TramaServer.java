package dev.trama.server;

import dev.trama.concurrent.Threads;
import dev.trama.protocol.Codec;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.GetCluster;
import dev.trama.protocol.ServerRequest.GetTask;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.LeaveNode;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.ServerRequest.ReleaseAddresses;
import dev.trama.protocol.ServerRequest.RemoveContainer;
import dev.trama.protocol.Task;
import dev.trama.protocol.Topics;
import dev.trama.server.cluster.ClusterReader;
import dev.trama.server.cluster.Containers;
import dev.trama.server.cluster.Dispatch;
import dev.trama.server.cluster.Keys;
import dev.trama.server.cluster.NodeLiveness;
import dev.trama.server.cluster.Nodes;
import dev.trama.server.cluster.TaskSweeper;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.KeyValueStore;
import dev.trama.transport.Endpoints;
import dev.trama.transport.Handlers;
import dev.trama.transport.Receiver;
import dev.trama.transport.RequestServer;
import dev.trama.transport.Sender;
import dev.trama.transport.Sockets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;

/**
 * The server: three sockets in front of the cluster state in etcd. It keeps nothing in memory that a
 * restart would lose; any number of servers may serve one etcd.
 */
public final class TramaServer implements AutoCloseable {

    /** Where the server listens and how it paces itself. */
    public record Config(String bind, int repPort, int pubPort, int pullPort, Duration metricsInterval,
                         Duration nodeTimeout, Duration taskTimeout) {
        public static final int REP_PORT = 8081;
        public static final int PUB_PORT = 8080;
        public static final int PULL_PORT = 8082;

        public Config {
            Endpoints.host(bind);
            Endpoints.port(repPort);
            Endpoints.port(pubPort);
            Endpoints.port(pullPort);
            if (nodeTimeout.toSeconds() < 2) {
                throw new IllegalArgumentException("the node timeout must be at least 2 s (etcd leases count in seconds)");
            }
        }

        /** Defaults for everything but the ports. */
        public static Config of(String bind, int repPort, int pubPort, int pullPort) {
            return new Config(bind, repPort, pubPort, pullPort, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(45));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(TramaServer.class);
    private static final int WORKERS = 8;
    private static final Duration TASK_SWEEP = Duration.ofMillis(500);
    private static final Duration TASK_RETENTION = Duration.ofMinutes(10);

    private final Sockets sockets = new Sockets();
    private final Ipam ipam;
    private final Sender publisher;
    private final RequestServer requests;
    private final Receiver reports;
    private final ScheduledExecutorService timers;
    private final ExecutorService sweeps = Executors.newSingleThreadExecutor(Threads.named("sweeps"));
    private final Leadership leadership = Leadership.ALWAYS;
    private NodeLiveness liveness;

    public TramaServer(Config config, KeyValueStore store, Keys keys) {
        Clock clock = Clock.systemUTC();
        this.ipam = new Ipam(store, keys.ips());
        try {
            this.publisher = new Sender("publisher",
                    sockets.bind(SocketType.PUB, Endpoints.tcp(config.bind(), config.pubPort())));
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
            Nodes nodes = new Nodes(store, keys, ipam, clock, config.nodeTimeout());
            Containers containers = new Containers(store, keys, ipam, dispatch, clock);
            ClusterReader reader = new ClusterReader(store, keys, clock);

            Handlers handlers = new Handlers()
                    .on(RegisterNode.class, nodes::register)
                    .on(ServerRequest.Heartbeat.class, nodes::heartbeat)
                    .on(ServerRequest.GetAssignments.class, containers::assignments)
                    .on(ConfigureNode.class, nodes::configure)
                    .on(ReleaseAddresses.class, nodes::release)
                    .on(LeaveNode.class, nodes::leave)
                    .on(LaunchContainer.class, containers::launch)
                    .on(RemoveContainer.class, containers::remove)
                    .on(GetTask.class, containers::task)
                    .on(GetCluster.class, request -> reader.view())
                    .requireComplete(ServerRequest.class);
            this.requests = new RequestServer(sockets, Endpoints.tcp(config.bind(), config.repPort()),
                    new Codec(ServerRequest.class), handlers, WORKERS, "server");
            this.reports = new Receiver("reports",
                    sockets.bind(SocketType.PULL, Endpoints.tcp(config.bind(), config.pullPort())), 0,
                    new Codec(Report.class), report -> {
                        if (report instanceof Report.Metrics metrics) {
                            reader.record(metrics);
                        } else if (report instanceof Report.TaskOutcome outcome) {
                            containers.outcome(outcome);
                        }
                    });
            this.timers = Executors.newSingleThreadScheduledExecutor(Threads.named("timers"));
            long every = config.metricsInterval().toMillis();
            timers.scheduleAtFixedRate(() -> dispatch.toAll(new Task.CollectMetrics()), every, every, TimeUnit.MILLISECONDS);
            this.liveness = new NodeLiveness(store, keys, nodes, sweeps);
            TaskSweeper tasks = new TaskSweeper(store, keys, dispatch, clock, config.taskTimeout(), TASK_RETENTION);
            periodically("task sweep", TASK_SWEEP, tasks::sweep);
            periodically("node sweep", config.nodeTimeout(), liveness::sweep);
            log.info("cluster {} served on {} (requests {}, tasks {}, reports {})", nodes.clusterId(), config.bind(),
                    config.repPort(), config.pubPort(), config.pullPort());
        } catch (RuntimeException e) {
            sockets.close();
            ipam.close();
            throw e;
        }
    }

    /**
     * Runs work now and then on the sweeps thread, while this server leads (every server does, for now: the
     * work is idempotent). A failure, such as etcd being away, is logged once until the work succeeds again.
     */
    private void periodically(String name, Duration every, Runnable work) {
        boolean[] failing = {false};
        timers.scheduleWithFixedDelay(() -> sweeps.execute(() -> {
            if (!leadership.leads()) {
                return;
            }
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
        timers.shutdownNow();
        sweeps.shutdownNow();
        if (liveness != null) {
            liveness.close();
        }
        requests.close();
        reports.close();
        publisher.close();
        ipam.close();
        sockets.close();
    }
}
