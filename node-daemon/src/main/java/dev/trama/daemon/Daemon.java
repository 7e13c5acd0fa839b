package dev.trama.daemon;

import dev.trama.daemon.host.CommandRunner;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.net.InterfaceAddress;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Replies.NodeStatus;
import dev.trama.protocol.Replies.TaskAccepted;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import dev.trama.protocol.Topics;
import dev.trama.protocol.TramaException;
import dev.trama.transport.Endpoints;
import dev.trama.transport.Handlers;
import dev.trama.transport.Receiver;
import dev.trama.transport.RequestClient;
import dev.trama.transport.RequestServer;
import dev.trama.transport.Sender;
import dev.trama.transport.Sockets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The node daemon: registers with the server, builds the node's overlay when configured, runs the tasks
 * published for it, reports their outcome and its metrics, and serves the local console.
 */
public final class Daemon implements AutoCloseable {

    /** The server refused this node; the message says why. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    public static final String DEFAULT_IMAGE = "trama/base:latest";
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private static final Duration CONTACT_EVERY = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);

    private final DaemonConfig config;
    private final Lan lan;
    private final NodeNetwork network;
    private final ContainerRuntime runtime;
    private final ContainerTasks containers;
    private final Prerequisites prerequisites;
    private final HostMetrics metrics = new HostMetrics();
    private final Sockets sockets = new Sockets();
    private final RequestClient server;
    private final Sender reports;
    private final KeyedExecutor work = new KeyedExecutor(4, "task");
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "timers");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile NodeRegistered registration;
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

    /** Registers (waiting for the server as long as it takes), converges the overlay, then serves. */
    public void start() throws Refused, InterruptedException {
        // subscribed first: a subscriber misses what is published while it connects
        ZMQ.Socket sub = sockets.connect(SocketType.SUB, config.endpoints(config.pubPort()));
        sub.subscribe(Topics.node(config.node()).getBytes(StandardCharsets.UTF_8));
        sub.subscribe(Topics.ALL.getBytes(StandardCharsets.UTF_8));
        tasks = new Receiver("tasks", sub, 1, new Codec(Task.class), this::onTask);
        registration = registerPatiently();
        if (registration.bridgeIp() != null) {
            network.ensure(InterfaceAddress.parse(registration.bridgeIp()));
        }
        console = new RequestServer(sockets, Endpoints.tcp("127.0.0.1", config.servicePort()),
                new Codec(ConsoleRequest.class), consoleHandlers(), 4, "console");
        timers.scheduleWithFixedDelay(this::keepInContact, CONTACT_EVERY.toMillis(), CONTACT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
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

    /** Registers again now and then: idempotent, and how the daemon notices the server going and coming back. */
    private void keepInContact() {
        if (leaving) {
            return;
        }
        try {
            registration = server.call(new ServerRequest.RegisterNode(config.node(), lan.address()));
            if (!serverReachable) {
                log.info("the server answers again");
            }
            serverReachable = true;
        } catch (TramaException e) {
            if (serverReachable) {
                log.warn("lost contact with the server: {}", e.getMessage());
            }
            serverReachable = false;
        }
    }

    private void onTask(Object message) {
        if (registration == null) {
            log.debug("{} before registration: ignored", Codec.methodOf(message.getClass()));
            return;
        }
        if (message instanceof Task.Launch launch && launch.node().equals(config.node())) {
            log.info("launch of {} received (task {})", launch.name(), launch.taskId());
            work.submit(launch.name(), () -> carryOut(launch.taskId(), () -> containers.launch(clusterId(), launch)));
        } else if (message instanceof Task.Destroy destroy && destroy.node().equals(config.node())) {
            work.submit(destroy.name(), () -> carryOut(destroy.taskId(), () -> containers.destroy(clusterId(), destroy)));
        } else if (message instanceof Task.CollectMetrics) {
            HostMetrics.Sample sample = metrics.sample();
            reports.push(new Report.Metrics(config.node(), sample.cpuPercent(), sample.freeMemMb(), sample.totalMemMb()));
        }
    }

    private void carryOut(String taskId, Runnable task) {
        try {
            task.run();
            reports.push(new Report.TaskOutcome(taskId, config.node(), true, null));
        } catch (RuntimeException e) {
            log.warn("task {} failed: {}", taskId, e.getMessage());
            reports.push(new Report.TaskOutcome(taskId, config.node(), false, e.getMessage()));
        }
    }

    private String clusterId() {
        return registration.clusterId();
    }

    private Handlers consoleHandlers() {
        return new Handlers()
                .on(ConsoleRequest.GetStatus.class, request -> status())
                .on(ConsoleRequest.Configure.class, request -> configure(request.subnet()))
                .on(ConsoleRequest.Run.class, this::run)
                .on(ConsoleRequest.Remove.class, this::remove)
                .on(ServerRequest.GetCluster.class, request -> server.call(request))
                .on(ConsoleRequest.Leave.class, request -> leave())
                .requireComplete(ConsoleRequest.class);
    }

    private NodeStatus status() {
        NodeRegistered current = registration;
        String clusterSubnet;
        try {
            clusterSubnet = server.call(new ServerRequest.GetCluster()).subnet();
        } catch (TramaException e) {
            clusterSubnet = current.subnet();
        }
        boolean configured = current.bridgeIp() != null && network.isBuilt();
        return new NodeStatus(config.node(), true, configured, current.subnet(), current.bridgeIp(), clusterSubnet);
    }

    private NodeConfigured configure(String subnet) {
        prerequisites.check();
        NodeConfigured configured = server.call(new ServerRequest.ConfigureNode(config.node(), subnet));
        try {
            network.ensure(InterfaceAddress.parse(configured.bridgeIp()));
        } catch (RuntimeException e) {
            throw new TramaException(ErrorCode.INTERNAL, "cannot build the overlay on node '" + config.node() + "': " + e.getMessage(), e);
        }
        registration = new NodeRegistered(configured.clusterId(), config.node(), configured.subnet(), configured.bridgeIp());
        return configured;
    }

    private ContainerInfo run(ConsoleRequest.Run request) {
        String taskId = UUID.randomUUID().toString();
        String image = request.image() == null ? DEFAULT_IMAGE : request.image();
        TaskAccepted accepted = server.call(new ServerRequest.LaunchContainer(taskId, request.node(), request.name(), image,
                request.ports(), request.env(), request.command()));
        TaskStatus status = awaitTask(taskId);
        if (status.state().equals(TaskStatus.DONE) && status.container() != null) {
            return status.container();
        }
        if (status.state().equals(TaskStatus.FAILED)) {
            throw new TramaException(ErrorCode.TASK_FAILED, "node '" + request.node() + "' could not launch '" + request.name()
                    + "': " + status.message());
        }
        withdraw(request.name());
        throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + request.node() + "' did not confirm the launch of '"
                + request.name() + "' within " + config.taskTimeout().toSeconds() + " s; the launch was withdrawn ("
                + accepted.container().ip() + ")");
    }

    private void withdraw(String name) {
        try {
            server.call(new ServerRequest.RemoveContainer(UUID.randomUUID().toString(), name));
        } catch (TramaException e) {
            log.warn("could not withdraw {}: {}", name, e.getMessage());
        }
    }

    private ContainerInfo remove(ConsoleRequest.Remove request) {
        String taskId = UUID.randomUUID().toString();
        TaskAccepted accepted = server.call(new ServerRequest.RemoveContainer(taskId, request.name()));
        TaskStatus status = awaitTask(taskId);
        if (status.state().equals(TaskStatus.DONE)) {
            return accepted.container().withState("removed");
        }
        if (status.state().equals(TaskStatus.FAILED)) {
            throw new TramaException(ErrorCode.TASK_FAILED, "node '" + accepted.container().node() + "' could not remove '"
                    + request.name() + "': " + status.message());
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + accepted.container().node() + "' did not confirm the removal of '"
                + request.name() + "' within " + config.taskTimeout().toSeconds() + " s");
    }

    private TaskStatus awaitTask(String taskId) {
        Instant deadline = Instant.now().plus(config.taskTimeout());
        while (true) {
            TaskStatus status = server.call(new ServerRequest.GetTask(taskId));
            if (status.finished() || Instant.now().isAfter(deadline)) {
                return status;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status;
            }
        }
    }

    private NodeLeft leave() {
        leaving = true;
        NodeLeft left;
        try {
            left = server.call(new ServerRequest.LeaveNode(config.node()));
        } catch (TramaException e) {
            leaving = false;
            throw e;
        }
        try {
            containers.removeAll(clusterId());
            network.teardown();
        } catch (RuntimeException e) {
            throw new TramaException(ErrorCode.INTERNAL, "node '" + config.node() + "' left the cluster but could not clean up: "
                    + e.getMessage(), e);
        }
        log.info("node {} left the cluster; exiting", config.node());
        timers.schedule(exited::countDown, 500, TimeUnit.MILLISECONDS);
        return left;
    }

    public void awaitExit() throws InterruptedException {
        exited.await();
    }

    @Override
    public void close() {
        timers.shutdownNow();
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

    ClusterView cluster() {
        return server.call(new ServerRequest.GetCluster());
    }
}
