package dev.trama.daemon.health;

import dev.trama.concurrent.Threads;
import dev.trama.daemon.network.OverlaySettings;
import dev.trama.net.Ipv4;
import dev.trama.protocol.NodeInfo;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the overlay's data path from this node to every other, through the overlay itself: every
 * {@link #EVERY} it sends each other node's bridge address two UDP datagrams from its own, a small one and
 * one of the overlay's full size (sent with the don't-fragment bit, Linux's default for UDP), and answers the
 * probes of the others with a short echo. A path is {@code ok} while small probes come back, and {@code mtuOk}
 * while full-size ones do; the round trip of the last small one is its RTT. This is distinct from the node
 * being up: the control plane runs over TCP on the LAN, the overlay over VXLAN, and either may fail alone. A
 * path that breaks is logged once, and once when it heals.
 */
public final class PathProber implements AutoCloseable {

    public static final int PORT = OverlaySettings.PROBE_PORT;
    static final java.time.Duration EVERY = java.time.Duration.ofSeconds(2);
    /** A path whose probes have not come back for this many rounds is broken. */
    static final int ROUNDS_LOST = 2;
    private static final Logger log = LoggerFactory.getLogger(PathProber.class);
    private static final byte[] MAGIC = "trama-path".getBytes(StandardCharsets.US_ASCII);
    private static final byte PROBE = 'p';
    private static final byte ECHO = 'e';
    /** Magic, kind, full-size flag, sequence number and send time. */
    private static final int HEADER = MAGIC.length + 2 + Long.BYTES * 2;
    /** IPv4 and UDP headers, which a datagram's payload leaves room for within the MTU. */
    private static final int IP_UDP = 28;

    /** What is known of one other node's path. */
    private static final class Peer {
        final String node;
        final Ipv4 bridge;
        volatile long smallAt = -1;
        volatile long fullAt = -1;
        volatile double rttMs = -1;
        volatile boolean reportedBroken;
        final long since;

        Peer(String node, Ipv4 bridge, long since) {
            this.node = node;
            this.bridge = bridge;
            this.since = since;
        }
    }

    private final IntSupplier overlayMtu;
    private final LongSupplier nanoTime;
    private final long every;
    private final Map<Ipv4, Peer> peers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(Threads.named("path-probe"));
    private DatagramSocket socket;
    private Thread receiver;
    private long sequence;

    /** @param overlayMtu the overlay's MTU now, which a full-size probe fills */
    public PathProber(IntSupplier overlayMtu) {
        this(overlayMtu, System::nanoTime);
    }

    PathProber(IntSupplier overlayMtu, LongSupplier nanoTime) {
        this(overlayMtu, nanoTime, EVERY);
    }

    /** A prober of its own pace: for tests. */
    PathProber(IntSupplier overlayMtu, LongSupplier nanoTime, java.time.Duration every) {
        this.overlayMtu = overlayMtu;
        this.nanoTime = nanoTime;
        this.every = every.toNanos();
        rounds.scheduleWithFixedDelay(this::round, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Listens (and probes from) this address, the bridge's, from now on; nothing changes if it already does. */
    public synchronized void serveOn(Ipv4 bridge) {
        InetAddress address = bridge.inetAddress();
        if (socket != null && socket.getLocalAddress().equals(address)) {
            return;
        }
        stop();
        try {
            DatagramSocket opened = new DatagramSocket(null);
            opened.setReuseAddress(true);
            opened.bind(new InetSocketAddress(address, PORT));
            socket = opened;
        } catch (IOException e) {
            throw new IllegalStateException("cannot probe the overlay from " + bridge + " port " + PORT + ": " + e.getMessage(), e);
        }
        DatagramSocket listening = socket;
        receiver = Threads.start("path-answer", () -> receive(listening));
        log.info("probing the overlay's paths from {} port {}", bridge, PORT);
    }

    /** The other nodes to probe, by name, at their bridges' addresses; any other is forgotten. */
    public void probe(Map<String, Ipv4> bridges) {
        long now = nanoTime.getAsLong();
        peers.keySet().removeIf(address -> !bridges.containsValue(address));
        bridges.forEach((node, address) -> peers.compute(address,
                (key, held) -> held != null && held.node.equals(node) ? held : new Peer(node, address, now)));
    }

    /** The path to each node probed, by node name, as it is now. */
    public Map<String, NodeInfo.Path> paths() {
        long now = nanoTime.getAsLong();
        Map<String, NodeInfo.Path> paths = new HashMap<>();
        for (Peer peer : peers.values()) {
            paths.put(peer.node, pathOf(peer, now));
        }
        return paths;
    }

    private NodeInfo.Path pathOf(Peer peer, long now) {
        long lost = every * ROUNDS_LOST + every / 2;
        boolean ok = peer.smallAt >= 0 && now - peer.smallAt <= lost;
        boolean mtuOk = peer.fullAt >= 0 && now - peer.fullAt <= lost;
        return new NodeInfo.Path(ok, ok ? Math.round(peer.rttMs * 100) / 100.0 : null, mtuOk);
    }

    private void round() {
        DatagramSocket sending;
        synchronized (this) {
            sending = socket;
        }
        if (sending == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        int full = Math.max(HEADER, overlayMtu.getAsInt() - IP_UDP);
        for (Peer peer : peers.values()) {
            judge(peer, now);
            send(sending, peer.bridge, probe(false, HEADER));
            send(sending, peer.bridge, probe(true, full));
        }
    }

    /** Logs a path that broke since the last round, or healed; one that never worked is broken after a grace. */
    private void judge(Peer peer, long now) {
        if (now - peer.since < every * (ROUNDS_LOST + 1)) {
            return;
        }
        NodeInfo.Path path = pathOf(peer, now);
        boolean broken = !path.ok() || !path.mtuOk();
        if (broken && !peer.reportedBroken) {
            log.warn("the overlay path to node {} ({}) is broken: {}", peer.node, peer.bridge,
                    !path.ok() ? "no probe came back" : "full-size frames do not cross (an MTU too small on the way)");
        } else if (!broken && peer.reportedBroken) {
            log.info("the overlay path to node {} ({}) works again", peer.node, peer.bridge);
        }
        peer.reportedBroken = broken;
    }

    private synchronized byte[] probe(boolean fullSize, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.put(MAGIC).put(PROBE).put(fullSize ? (byte) 1 : (byte) 0).putLong(++sequence).putLong(nanoTime.getAsLong());
        return buffer.array();
    }

    private static void send(DatagramSocket socket, Ipv4 to, byte[] payload) {
        try {
            socket.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(to.inetAddress(), PORT)));
        } catch (IOException e) {
            log.debug("probe to {} not sent: {}", to, e.getMessage());
        }
    }

    private void receive(DatagramSocket listening) {
        byte[] buffer = new byte[65_536];
        while (!listening.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                listening.receive(packet);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                log.debug("a probe could not be read: {}", e.getMessage());
                continue;
            }
            try {
                handle(listening, packet);
            } catch (IOException | RuntimeException e) {
                log.debug("a datagram to the probe port was ignored: {}", e.toString());
            }
        }
    }

    private void handle(DatagramSocket listening, DatagramPacket packet) throws IOException {
        if (packet.getLength() < HEADER || !Arrays.equals(packet.getData(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return;
        }
        ByteBuffer header = ByteBuffer.wrap(packet.getData(), 0, HEADER);
        header.position(MAGIC.length);
        byte kind = header.get();
        boolean fullSize = header.get() == 1;
        if (kind == PROBE) {
            // the echo is short whatever the probe's size: each direction's MTU is the prober's to test
            byte[] echo = Arrays.copyOf(packet.getData(), HEADER);
            echo[MAGIC.length] = ECHO;
            listening.send(new DatagramPacket(echo, echo.length, packet.getSocketAddress()));
        } else if (kind == ECHO && packet.getAddress() instanceof java.net.Inet4Address from) {
            header.getLong();
            long sentAt = header.getLong();
            Peer peer = peers.get(Ipv4.parse(from.getHostAddress()));
            if (peer == null) {
                return;
            }
            long now = nanoTime.getAsLong();
            if (fullSize) {
                peer.fullAt = now;
            } else {
                peer.smallAt = now;
                peer.rttMs = (now - sentAt) / 1_000_000.0;
            }
        }
    }

    /** Stops listening and probing until {@link #serveOn} again; the peers are kept. */
    public synchronized void stop() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
        if (receiver != null) {
            try {
                receiver.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            receiver = null;
        }
    }

    /** Where it listens, if it does. */
    public synchronized Optional<InetSocketAddress> address() {
        return socket == null ? Optional.empty() : Optional.of((InetSocketAddress) socket.getLocalSocketAddress());
    }

    @Override
    public void close() {
        rounds.shutdownNow();
        stop();
    }

}
