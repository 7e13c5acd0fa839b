package dev.trama.daemon;

import dev.trama.concurrent.Threads;
import dev.trama.daemon.host.CommandRunner;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.net.InterfaceAddress;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.Assignments;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import dev.trama.protocol.Topics;
import dev.trama.protocol.TramaException;
import dev.trama.transport.Endpoints;
import dev.trama.transport.Receiver;
import dev.trama.transport.RequestClient;
import dev.trama.transport.RequestServer;
import dev.trama.transport.Sender;
import dev.trama.transport.Sockets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The node daemon: registers with the server, keeps the node up with heartbeats, builds the node's
 * overlay, carries out the tasks published for it and reports their outcome and its metrics, and serves
 * the local console.
 *
 * <p>It converges rather than remembers: at start, after coming back from being declared down, and every
 * {@link #RECONCILE_EVERY}, it asks the server what should hold on the node and makes it so (launching
 * what is missing, completing removals, removing what the cluster no longer knows). Its containers keep
 * running while it restarts.
 */
public final class Daemon implements AutoCloseable {

    /** The server refused this node; the message says why. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private static final Duration RECONCILE_EVERY = Duration.ofSeconds(30);

    private final DaemonConfig config;
    private final Lan lan;
    private final NodeNetwork network;
    private final ContainerRuntime runtime;
    private final ContainerTasks containers;
    private final Prerequisites prerequisites;
    private HostMetrics metrics;
    private final Sockets sockets = new Sockets();
    private final RequestClient server;
    private final Sender reports;
    private final Membership membership = new Membership();
    private final KeyedExecutor work = new KeyedExecutor(4, "task");
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, Threads.numbered("timers"));
    private final ExecutorService reconciling = Executors.newSingleThreadExecutor(Threads.named("reconcile"));
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile boolean serverReachable = true;
    private volatile boolean leaving;
    private Receiver tasks;
    private RequestServer console;

    public Daemon(DaemonConfig config, Lan lan, CommandRunner runner, NodeNetwork network, ContainerRuntime runtime) {
        this.config = config;
        this.lan = lan;
        this.network = network;
        this.runtime = runtime;
        this.containers = new ContainerTasks(config.node(), runtime, network);
        this.prerequisites = new Prerequisites(runner, runtime, config.node());
        this.server = new RequestClient(sockets, config.endpoints(config.repPort()), Duration.ofSeconds(5), 2, "the server");
        ZMQ.Socket push = sockets.connect(SocketType.PUSH, config.endpoints(config.pullPort()));
        push.setSendTimeOut(2_000);
        this.reports = new Sender("reports", push);
    }

    /** Registers (waiting for the server as long as it takes), converges, then serves. */
    public void start() throws Refused, InterruptedException {
        // subscribed first: a subscriber misses what is published while it connects
        ZMQ.Socket sub = sockets.connect(SocketType.SUB, config.endpoints(config.pubPort()));
        sub.subscribe(Topics.node(config.node()).getBytes(StandardCharsets.UTF_8));
        sub.subscribe(Topics.ALL.getBytes(StandardCharsets.UTF_8));
        tasks = new Receiver("tasks", sub, 1, new Codec(Task.class), this::onPublished);
        membership.update(registerPatiently());
        // heartbeats start at once: converging may take a while with many containers, and the node must stay up
        long beat = membership.current().heartbeatMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        converge();
        ConsoleActions actions = new ConsoleActions(config, server, membership, network, containers, prerequisites,
                new ConsoleActions.Lifecycle() {
                    @Override
                    public void leaving(boolean now) {
                        leaving = now;
                    }

                    @Override
                    public void exitSoon() {
                        timers.schedule(exited::countDown, 500, TimeUnit.MILLISECONDS);
                    }
                });
        console = new RequestServer(sockets, Endpoints.tcp("127.0.0.1", config.servicePort()),
                new Codec(ConsoleRequest.class), actions.handlers(), 4, "console");
        timers.scheduleWithFixedDelay(() -> reconciling.execute(this::reconcile), RECONCILE_EVERY.toMillis(),
                RECONCILE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("node {} ({} on {}) ready; console on 127.0.0.1:{}", config.node(), lan.address(), lan.name(), config.servicePort());
    }

    private NodeRegistered registerPatiently() throws Refused, InterruptedException {
        Instant lastSaid = Instant.EPOCH;
        while (true) {
            try {
                NodeRegistered registered = server.call(new ServerRequest.RegisterNode(config.node(), lan.address()));
                log.info("registered as {} in cluster {}{}", config.node(), registered.clusterId(),
                        registered.bridgeIp() == null ? "" : ", bridge " + registered.bridgeIp());
                return registered;
            } catch (TramaException e) {
                if (e.code() != ErrorCode.UNAVAILABLE && e.code() != ErrorCode.STORE_UNAVAILABLE) {
                    throw new Refused(e.getMessage());
                }
                if (Duration.between(lastSaid, Instant.now()).toSeconds() >= 30) {
                    log.warn("waiting for the server: {}", e.getMessage());
                    lastSaid = Instant.now();
                }
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * Makes the host match the registration: the overlay for the node's bridge address (asking for one
     * again when the node lost it while down), then the node's containers.
     */
    private void converge() {
        NodeRegistered current = membership.current();
        if (current.bridgeIp() == null && current.subnet() != null && network.isBuilt()) {
            NodeConfigured configured = server.call(new ServerRequest.ConfigureNode(config.node(), current.subnet()));
            membership.configured(configured.clusterId(), config.node(), configured.subnet(), configured.bridgeIp());
            log.info("took a bridge address again: {}", configured.bridgeIp());
            current = membership.current();
        }
        if (current.bridgeIp() != null) {
            network.ensure(InterfaceAddress.parse(current.bridgeIp()));
        }
        reconcile();
    }

    /** What runs here is made to match what the cluster says should: see {@link ContainerTasks#removeUnknown}. */
    private void reconcile() {
        if (leaving || !membership.registered()) {
            return;
        }
        try {
            String clusterId = membership.clusterId();
            List<RuntimeContainer> found = containers.local(clusterId);
            Assignments assignments = server.call(new ServerRequest.GetAssignments(config.node()));
            Set<String> known = new HashSet<>();
            assignments.launches().forEach(t -> known.add(t.name()));
            assignments.destroys().forEach(t -> known.add(t.name()));
            containers.removeUnknown(found, known);
            assignments.launches().forEach(this::onTask);
            assignments.destroys().forEach(this::onTask);
        } catch (RuntimeException e) {
            log.warn("could not reconcile the node's containers: {}", e.getMessage());
        }
    }

    private void heartbeat() {
        if (leaving) {
            return;
        }
        try {
            server.call(new ServerRequest.Heartbeat(config.node()), Duration.ofSeconds(2), 1);
            if (!serverReachable) {
                log.info("the server answers again");
            }
            serverReachable = true;
        } catch (TramaException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                rejoin(e.getMessage());
            } else if (serverReachable) {
                log.warn("lost contact with the server: {}", e.getMessage());
                serverReachable = false;
            }
        }
    }

    /** Registers again after the node was declared down (or forgotten), then converges. */
    private void rejoin(String why) {
        log.warn("{}: registering again", why);
        try {
            membership.update(server.call(new ServerRequest.RegisterNode(config.node(), lan.address())));
            reconciling.execute(() -> {
                try {
                    converge();
                } catch (RuntimeException e) {
                    log.warn("could not converge after registering again: {}", e.getMessage());
                }
            });
        } catch (TramaException e) {
            log.error("could not register again: {}", e.getMessage());
        }
    }

    private void onPublished(Object message) {
        if (message instanceof Task.Launch launch) {
            log.info("launch of {} received (task {})", launch.name(), launch.taskId());
        } else if (message instanceof Task.Destroy destroy) {
            log.info("removal of {} received (task {})", destroy.name(), destroy.taskId());
        }
        onTask(message);
    }

    private void onTask(Object message) {
        if (!membership.registered() || leaving) {
            return;
        }
        if (message instanceof Task.Launch launch && launch.node().equals(config.node())) {
            submit("launch", launch.taskId(), launch.name(), () -> containers.launch(membership.clusterId(), launch));
        } else if (message instanceof Task.Destroy destroy && destroy.node().equals(config.node())) {
            submit("removal", destroy.taskId(), destroy.name(), () -> containers.destroy(membership.clusterId(), destroy));
        } else if (message instanceof Task.CollectMetrics) {
            HostMetrics.Sample sample = metrics().sample();
            reports.push(new Report.Metrics(config.node(), sample.cpuPercent(), sample.freeMemMb(), sample.totalMemMb()));
        }
    }

    /** Queues a task unless the same one is queued or running (a task may arrive again before it is done). */
    private void submit(String kind, String taskId, String container, Runnable task) {
        if (!inFlight.add(taskId)) {
            return;
        }
        log.debug("{} of {} received (task {})", kind, container, taskId);
        work.submit(container, () -> {
            try {
                task.run();
                reports.push(new Report.TaskOutcome(taskId, config.node(), true, null));
            } catch (RuntimeException e) {
                log.warn("task {} failed: {}", taskId, e.getMessage());
                reports.push(new Report.TaskOutcome(taskId, config.node(), false, e.getMessage()));
            } finally {
                inFlight.remove(taskId);
            }
        });
    }

    /** Made on first use: reading the hardware takes a moment that registration should not wait for. */
    private synchronized HostMetrics metrics() {
        if (metrics == null) {
            metrics = new HostMetrics();
        }
        return metrics;
    }

    public void awaitExit() throws InterruptedException {
        exited.await();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        reconciling.shutdownNow();
        if (tasks != null) {
            tasks.close();
        }
        if (console != null) {
            console.close();
        }
        work.close();
        reports.close();
        server.close();
        sockets.close();
        runtime.close();
    }
}
