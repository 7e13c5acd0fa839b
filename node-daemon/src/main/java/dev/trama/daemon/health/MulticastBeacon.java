package dev.trama.daemon.health;

import dev.trama.concurrent.Threads;
import dev.trama.daemon.network.OverlaySettings;
import dev.trama.net.Ipv4;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the LAN delivers the cluster's multicast group, told the only sure way: in multicast mode every node
 * sends a small beacon to the group (UDP {@link OverlaySettings#BEACON_PORT}, on the LAN interface, with the
 * VXLAN device's TTL) every {@link #EVERY}, and notes when it last heard each other node's. A switch with IGMP
 * snooping and no querier, or a network without multicast, lets the beacons through no better than the
 * overlay's own broadcasts: {@code trama doctor} names it. While it runs it also watches for IGMP queries on the
 * LAN ({@link IgmpQueries}), the querier whose absence makes snooping switches drop the group some minutes later.
 */
public final class MulticastBeacon implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(MulticastBeacon.class);
    private static final String MAGIC = "trama-beacon ";

    private final String node;
    private final OverlaySettings settings;
    private final LongSupplier nanoTime;
    private final Map<String, Long> heard = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(Threads.named("beacon"));
    private MulticastSocket socket;
    private Thread receiver;
    private String clusterId;
    private IgmpQueries queries;

    public MulticastBeacon(String node, OverlaySettings settings) {
        this(node, settings, System::nanoTime);
    }

    MulticastBeacon(String node, OverlaySettings settings, LongSupplier nanoTime) {
        this.node = node;
        this.settings = settings;
        this.nanoTime = nanoTime;
        sender.scheduleWithFixedDelay(this::send, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends and listens for this cluster from now on; nothing changes if it already does. */
    public synchronized void start(String cluster) {
        if (socket != null && cluster.equals(clusterId)) {
            return;
        }
        stop();
        try {
            NetworkInterface lan = NetworkInterface.getByName(settings.lanInterface());
            if (lan == null) {
                throw new IOException("no interface " + settings.lanInterface());
            }
            MulticastSocket opened = new MulticastSocket(null);
            opened.setReuseAddress(true);
            opened.bind(new InetSocketAddress(OverlaySettings.BEACON_PORT));
            opened.setOption(StandardSocketOptions.IP_MULTICAST_IF, lan);
            opened.setOption(StandardSocketOptions.IP_MULTICAST_TTL, settings.ttl());
            opened.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            opened.joinGroup(new InetSocketAddress(group(), 0), lan);
            socket = opened;
            clusterId = cluster;
        } catch (IOException e) {
            throw new IllegalStateException("cannot send beacons to " + settings.group() + " on " + settings.lanInterface()
                    + ": " + e.getMessage(), e);
        }
        MulticastSocket listening = socket;
        receiver = Threads.start("beacon-listen", () -> receive(listening));
        try {
            queries = IgmpQueries.on(settings.lanInterface());
        } catch (RuntimeException | LinkageError e) {
            log.warn("IGMP queriers on {} cannot be watched: {}", settings.lanInterface(), e.getMessage());
        }
    }

    /** What is known of IGMP queries on the LAN, while the beacons run and queries can be watched. */
    public synchronized Optional<IgmpQueries> queries() {
        return Optional.ofNullable(queries);
    }

    /** When each other node's beacon was last heard ({@link System#nanoTime} of this process), by node name. */
    public Map<String, Long> heard() {
        return Map.copyOf(heard);
    }

    /** Whether beacons are sent now. */
    public synchronized boolean running() {
        return socket != null;
    }

    private void send() {
        MulticastSocket sending;
        String cluster;
        synchronized (this) {
            sending = socket;
            cluster = clusterId;
        }
        if (sending == null) {
            return;
        }
        byte[] beacon = (MAGIC + cluster + " " + node).getBytes(StandardCharsets.US_ASCII);
        try {
            sending.send(new DatagramPacket(beacon, beacon.length, new InetSocketAddress(group(), OverlaySettings.BEACON_PORT)));
        } catch (IOException e) {
            log.debug("beacon not sent: {}", e.getMessage());
        }
    }

    private void receive(MulticastSocket listening) {
        byte[] buffer = new byte[512];
        while (!listening.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                listening.receive(packet);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                continue;
            }
            String[] words = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII).split(" ");
            String cluster;
            synchronized (this) {
                cluster = clusterId;
            }
            if (words.length == 3 && (words[0] + " ").equals(MAGIC) && words[1].equals(cluster) && !words[2].equals(node)
                    && words[2].length() <= 64) {
                heard.put(words[2], nanoTime.getAsLong());
            }
        }
    }

    /** Stops sending and listening; what was heard is forgotten. */
    public synchronized void stop() {
        if (queries != null) {
            queries.close();
            queries = null;
        }
        if (socket != null) {
            socket.close();
            socket = null;
        }
        clusterId = null;
        heard.clear();
        if (receiver != null) {
            try {
                receiver.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            receiver = null;
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        stop();
    }

    private InetAddress group() {
        return settings.group().inetAddress();
    }

    /** The group, for what is said of it. */
    public Ipv4 groupAddress() {
        return settings.group();
    }
}
