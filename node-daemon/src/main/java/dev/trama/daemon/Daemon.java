package dev.trama.daemon;

import dev.trama.concurrent.Sleeper;
import dev.trama.concurrent.Threads;
import dev.trama.daemon.dns.Resolver;
import dev.trama.daemon.health.MulticastBeacon;
import dev.trama.daemon.health.PathProber;
import dev.trama.daemon.host.CommandRunner;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.identity.ConsoleKeys;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.Report;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Task;
import dev.trama.protocol.VxlanMode;
import dev.trama.protocol.Topics;
import dev.trama.transport.CurveKeyPair;
import dev.trama.transport.Endpoints;
import dev.trama.transport.Receiver;
import dev.trama.transport.RequestClient;
import dev.trama.transport.RequestServer;
import dev.trama.transport.Sender;
import dev.trama.transport.Sockets;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The node daemon, wired: sockets to the server, the local console, and the parts that do the work —
 * {@link MembershipLoop} (registration, heartbeats), {@link TaskRunner} (the server's tasks),
 * {@link Convergence} (the host made to match the cluster), {@link ConsoleActions} and the containers'
 * {@link Resolver}.
 *
 * <p>It converges rather than remembers: at start, after registering again, and every
 * {@link #RECONCILE_EVERY}. Its containers keep running while it restarts, and while its node is down.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private static final Duration RECONCILE_EVERY = Duration.ofSeconds(30);
    private static final Duration LAN_WATCH = Duration.ofSeconds(1);

    private final DaemonConfig config;
    private final Lan lan;
    private final CommandRunner runner;
    private final NodeNetwork network;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private HostMetrics metrics;

    public Daemon(DaemonConfig config, Lan lan, CommandRunner runner, NodeNetwork network, ContainerRuntime runtime,
                  Clock clock, Sleeper sleeper) {
        this.config = config;
        this.lan = lan;
        this.runner = runner;
        this.network = network;
        this.runtime = runtime;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Serves the local console, registers (waiting for the server as long as it takes), converges, then keeps
     * the node up and converged. On failure, what was opened is closed by {@link #close}.
     */
    public void start() throws MembershipLoop.Refused, InterruptedException {
        NodeState state = new NodeState(config.stateDir());
        state.ensureDir();
        Trust trust = config.insecure() ? Trust.INSECURE : Trust.of(config.node(), state, Optional.ofNullable(config.token()));
        if (config.insecure()) {
            log.warn("insecure: plain text to the server, which believes whoever says to be this node; for a lab only");
        }
        opened.push(runtime);
        // to the server: CURVE with the node's own keypair, to servers that prove the key the node trusts
        Sockets sockets = opening(trust.secure() ? Sockets.curve(state.keys()) : Sockets.insecure());
        RequestClient server = opening(new RequestClient(sockets, config.endpoints(config.repPort()), trust.serverKey(),
                Duration.ofSeconds(5), 2, "the server"));

        Membership membership = new Membership(config.node());
        AtomicReference<Streams> reportTo = new AtomicReference<>();
        ContainerTasks containers = new ContainerTasks(config.node(), runtime, network, report -> reportTo.get().push(report));
        network.publishFrom(() -> containers.publications(membership.clusterId()));
        Resolver resolver = opening(new Resolver());
        PathProber prober = opening(new PathProber(network::overlayMtu));
        MulticastBeacon beacon = opening(new MulticastBeacon(config.node(), network.settings()));
        Peers peers = opening(new Peers(config.node(), network, lan::currentMtu, () -> {
            String clusterId = membership.joined() ? membership.clusterId() : null;
            // a listing has no PIDs: each is asked (the MTU changes seldom)
            return clusterId == null ? List.<Long>of() : containers.local(clusterId).stream()
                    .map(found -> runtime.inspect(found.id())).flatMap(Optional::stream)
                    .filter(RuntimeContainer::running).map(RuntimeContainer::pid).toList();
        }));
        TaskRunner tasks = opening(new TaskRunner(config.node(), membership, containers, report -> reportTo.get().push(report),
                () -> metrics().sample().withLanMtu(lan.currentMtu()), members -> {
                    network.allowVxlanFrom(members.addresses().stream().map(Ipv4::parse).collect(Collectors.toSet()));
                    peers.members(members);
                    prober.probe(members.members().stream()
                            .filter(member -> !member.node().equals(config.node()) && member.bridgeIp() != null)
                            .collect(Collectors.toMap(Task.Member::node,
                                    member -> InterfaceAddress.parse(member.bridgeIp()).address())));
                }, names -> {
                    resolver.names(names);
                    peers.names(names);
                }, new KeyedExecutor(4, "task")));
        Convergence convergence = new Convergence(config.node(), server, membership, network, containers, tasks, bridge -> {
            try {
                prober.serveOn(bridge);
                NodeRegistered now = membership.current();
                if (now != null && now.vxlan() == VxlanMode.MULTICAST) {
                    beacon.start(now.clusterId());
                } else {
                    beacon.stop();
                }
            } catch (RuntimeException e) {
                log.warn("the overlay's health is not watched: {}", e.getMessage());
            }
            resolver.serveOn(bridge);
        });
        MembershipLoop loop = new MembershipLoop(config.node(), lan.address(), server, membership, state, trust, clock, sleeper,
                this::serverListens);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, Threads.numbered("timers"));
        opening(timers::shutdownNow);
        ExecutorService converging = Executors.newSingleThreadExecutor(Threads.named("converge"));
        opening(converging::shutdownNow);
        Streams streams = opening(new Streams(sockets, trust.serverKey(), tasks));
        reportTo.set(streams);
        loop.onRejoined(() -> converging.execute(() -> {
            // a server that was a stranger for a while ended the streams' handshakes for good: they start afresh
            streams.open();
            containers.forgetObserved();
            convergence.convergeQuietly();
        }));

        // the console answers from the start: "leave" must work even while the node cannot join its cluster
        ConsoleActions actions = new ConsoleActions(config, server, membership, state, network, containers,
                new Prerequisites(runner, runtime, config.node()), resolver, prober,
                () -> new Doctor(config.node(), server, membership, network, runtime, containers, tasks, peers, prober, beacon,
                        clock, System::nanoTime, Path.of("/proc/sys")).diagnose(), () -> converging.execute(convergence::reconcile),
                () -> timers.schedule(exited::countDown, 500, TimeUnit.MILLISECONDS));
        serveConsole(actions);

        NodeRegistered registered = loop.join();
        // the task stream and the report socket admit members only: opened once the node is one. What is
        // published before the subscription is connected, convergence finds among the node's assignments.
        streams.open();
        // heartbeats start at once: converging may take a while with many containers, and the node must stay up;
        // they go out at a fixed rate, two at most in flight, so that one slow answer does not delay the next
        long beat = registered.heartbeatMillis();
        ExecutorService beats = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                Threads.numbered("heartbeat"), new ThreadPoolExecutor.DiscardPolicy());
        opening(beats::shutdownNow);
        timers.scheduleAtFixedRate(() -> beats.execute(loop::tick), beat, beat, TimeUnit.MILLISECONDS);
        EngineEvents events = opening(new EngineEvents(runtime, config.node(), tasks, timers,
                () -> converging.execute(convergence::reconcile)));
        events.start(membership.clusterId());
        convergence.converge();
        timers.scheduleWithFixedDelay(() -> converging.execute(convergence::reconcile), RECONCILE_EVERY.toMillis(),
                RECONCILE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        // the LAN's MTU, read from the kernel's file each time (no command): a change is reported at once, the
        // cluster's overlay MTU follows it
        AtomicInteger lanMtu = new AtomicInteger(lan.currentMtu());
        timers.scheduleWithFixedDelay(() -> {
            int now = lan.currentMtu();
            if (lanMtu.getAndSet(now) != now) {
                log.info("the MTU of {} is now {}", lan.name(), now);
                tasks.run(new Task.CollectMetrics());
            }
        }, LAN_WATCH.toMillis(), LAN_WATCH.toMillis(), TimeUnit.MILLISECONDS);
        log.info("node {} ({} on {}) ready; console on 127.0.0.1:{}", config.node(), lan.address(), lan.name(), config.servicePort());
    }

    /** Whether any server accepts TCP connections on its request port (a second at most each). */
    private boolean serverListens() {
        for (String host : config.servers()) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(host, config.repPort()), 1_000);
                return true;
            } catch (IOException e) {
                // this one does not: the next may
            }
        }
        return false;
    }

    /**
     * The task stream from the servers (SUB) and the reports to them (PUSH), on the daemon's secure sockets. A
     * handshake the servers refused (a stranger's key, while etcd was replaced) is not tried again by ZeroMQ:
     * {@link #open} makes both afresh.
     */
    private final class Streams implements AutoCloseable {
        private final Sockets sockets;
        private final String serverKey;
        private final TaskRunner tasks;
        private Receiver receiver;
        private Sender sender;

        Streams(Sockets sockets, String serverKey, TaskRunner tasks) {
            this.sockets = sockets;
            this.serverKey = serverKey;
            this.tasks = tasks;
        }

        synchronized void open() {
            close();
            ZMQ.Socket push = sockets.connect(SocketType.PUSH, config.endpoints(config.pullPort()), serverKey);
            push.setSendTimeOut(2_000);
            sender = new Sender("reports", push);
            ZMQ.Socket sub = sockets.connect(SocketType.SUB, config.endpoints(config.pubPort()), serverKey);
            sub.subscribe(Topics.node(config.node()).getBytes(StandardCharsets.UTF_8));
            sub.subscribe(Topics.ALL.getBytes(StandardCharsets.UTF_8));
            receiver = new Receiver("tasks", sub, 1, new Codec(Task.class), tasks::onPublished);
        }

        synchronized void push(Report report) {
            if (sender != null) {
                sender.push(report);
            }
        }

        @Override
        public synchronized void close() {
            if (receiver != null) {
                receiver.close();
                receiver = null;
            }
            if (sender != null) {
                sender.close();
                sender = null;
            }
        }
    }

    /**
     * The local console's port, on 127.0.0.1 only, for consoles that prove they may read this daemon's console
     * keys (root, and the trama group): CURVE with keys made afresh at every start.
     */
    private void serveConsole(ConsoleActions actions) {
        CurveKeyPair daemon = CurveKeyPair.generate();
        ConsoleKeys keys = new ConsoleKeys(daemon.publicKey(), CurveKeyPair.generate());
        Sockets consoleSockets = opening(Sockets.curve(daemon));
        // each console connection is a peer of its own, so that one console's long launches never hold up another's
        AtomicInteger consoles = new AtomicInteger();
        opening(new RequestServer(consoleSockets, Endpoints.tcp("127.0.0.1", config.servicePort()),
                key -> key.equals(keys.console().publicKey()) ? Optional.of("console-" + consoles.incrementAndGet())
                        : Optional.empty(),
                new Codec(ConsoleRequest.class), actions.handlers(), 4, "console", Set.of()));
        Path file = ConsoleKeys.file(config.servicePort());
        keys.write(file);
        opening(() -> ConsoleKeys.remove(file));
    }

    private <T extends AutoCloseable> T opening(T resource) {
        opened.push(resource);
        return resource;
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
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
            }
        }
    }
}
