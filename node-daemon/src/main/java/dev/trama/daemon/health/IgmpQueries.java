package dev.trama.daemon.health;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.trama.concurrent.Threads;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an IGMP querier speaks on the LAN: a raw IGMP socket on the LAN interface (through libc: Java has no raw
 * sockets) sees every membership query that reaches the host, and this notes the last one and who sent it. Switches
 * that snoop IGMP forward a group only to the ports that answered a query recently; without a querier on the LAN
 * they stop forwarding it minutes after the last one, and the overlay of a multicast-mode cluster with it. Reads
 * only; root only.
 */
public final class IgmpQueries implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IgmpQueries.class);
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_IGMP = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_BINDTODEVICE = 25;
    private static final int MEMBERSHIP_QUERY = 0x11;

    /** The part of libc this needs. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int setsockopt(int socket, int level, int name, byte[] value, int length);

        long recv(int socket, byte[] buffer, long length, int flags);

        int close(int socket);
    }

    /** The last query seen: when ({@link System#nanoTime}) and from which address. */
    public record Query(long at, String from) {
    }

    private final LongSupplier nanoTime;
    private final long since;
    private volatile Query last;
    private volatile boolean running = true;
    private final Thread reader;
    private final int socket;
    private final LibC libc;

    private IgmpQueries(LibC libc, int socket, LongSupplier nanoTime) {
        this.libc = libc;
        this.socket = socket;
        this.nanoTime = nanoTime;
        this.since = nanoTime.getAsLong();
        this.reader = Threads.start("igmp-queries", this::read);
    }

    /** Watches the queries that reach this interface; fails with the reason when the raw socket cannot be had. */
    public static IgmpQueries on(String lanInterface) {
        LibC libc = Native.load("c", LibC.class);
        int socket = libc.socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
        if (socket < 0) {
            throw new IllegalStateException("cannot open a raw IGMP socket (errno " + Native.getLastError() + ")");
        }
        byte[] device = (lanInterface + "\0").getBytes(StandardCharsets.US_ASCII);
        // a second at most in each receive, so that close() is seen
        byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(1).putLong(0).array();
        if (libc.setsockopt(socket, SOL_SOCKET, SO_BINDTODEVICE, device, device.length) != 0
                || libc.setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length) != 0) {
            int errno = Native.getLastError();
            libc.close(socket);
            throw new IllegalStateException("cannot watch IGMP on " + lanInterface + " (errno " + errno + ")");
        }
        return new IgmpQueries(libc, socket, System::nanoTime);
    }

    /** The last membership query seen, if any since this started. */
    public Optional<Query> last() {
        return Optional.ofNullable(last);
    }

    /** When this started watching ({@link System#nanoTime}). */
    public long since() {
        return since;
    }

    private void read() {
        byte[] packet = new byte[1_500];
        while (running) {
            long length = libc.recv(socket, packet, packet.length, 0);
            if (length <= 0) {
                continue; // the timeout, or an interrupted call: look at running again
            }
            query(packet, (int) length).ifPresent(from -> {
                if (last == null) {
                    log.info("an IGMP querier speaks on the LAN: {}", from);
                }
                last = new Query(nanoTime.getAsLong(), from);
            });
        }
    }

    /** The sender of an IPv4 packet that carries an IGMP membership query, if this is one. */
    static Optional<String> query(byte[] packet, int length) {
        if (length < 20 || (packet[0] >> 4 & 0xf) != 4) {
            return Optional.empty();
        }
        int header = (packet[0] & 0xf) * 4;
        if (header < 20 || length < header + 8 || (packet[header] & 0xff) != MEMBERSHIP_QUERY) {
            return Optional.empty();
        }
        return Optional.of((packet[12] & 0xff) + "." + (packet[13] & 0xff) + "." + (packet[14] & 0xff) + "." + (packet[15] & 0xff));
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        libc.close(socket);
    }
}
