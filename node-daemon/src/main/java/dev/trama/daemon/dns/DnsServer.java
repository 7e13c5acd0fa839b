package dev.trama.daemon.dns;

import dev.trama.concurrent.Threads;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * DNS on UDP and TCP at one address and port. The cluster's names are answered on the receiving thread; a
 * query for the host's resolvers waits in a bounded queue for one of a few forwarding threads, and is dropped
 * when the queue is full (the container asks again). A TCP connection takes one of a few threads while it
 * lasts, and is closed when it is idle, sends anything malformed, or when all are taken. Malformed datagrams
 * and stray responses are dropped.
 */
final class DnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    /** Plain DNS over UDP: larger answers only to a client that said it takes them (EDNS), up to this. */
    private static final int PLAIN_UDP = 512;
    private static final int MAX_UDP = 4096;
    private static final int MAX_TCP = 65_535;
    private static final int FORWARDERS = 8;
    private static final int QUEUED_FORWARDS = 256;
    private static final int TCP_CONNECTIONS = 8;
    private static final Duration TCP_IDLE = Duration.ofSeconds(5);
    private static final long CLOSE_WAIT_MS = 2_000;

    private final InetSocketAddress address;
    private final Answers answers;
    private final Upstream upstream;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService forwarders = new ThreadPoolExecutor(FORWARDERS, FORWARDERS, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED_FORWARDS), Threads.numbered("dns-forward"), new ThreadPoolExecutor.AbortPolicy());
    private final ExecutorService connections = new ThreadPoolExecutor(0, TCP_CONNECTIONS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Threads.numbered("dns-tcp"), new ThreadPoolExecutor.AbortPolicy());
    private volatile boolean closed;
    private volatile Thread receiver;
    private volatile Thread acceptor;

    private DnsServer(InetSocketAddress address, Answers answers, Upstream upstream) throws IOException {
        this.answers = answers;
        this.upstream = upstream;
        udp = new DatagramSocket(null);
        tcp = new ServerSocket();
        try {
            udp.setReuseAddress(true);
            udp.bind(address);
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address.getAddress(), udp.getLocalPort()), TCP_CONNECTIONS);
        } catch (IOException e) {
            udp.close();
            tcp.close();
            throw e;
        }
        this.address = new InetSocketAddress(address.getAddress(), udp.getLocalPort());
        ((ThreadPoolExecutor) forwarders).allowCoreThreadTimeOut(true);
    }

    /** Serves at the address (port 0: one the system picks, for tests) until closed. */
    static DnsServer start(InetSocketAddress address, Answers answers, Upstream upstream) throws IOException {
        DnsServer server = new DnsServer(address, answers, upstream);
        server.receiver = Threads.start("dns-udp", server::receiveDatagrams);
        server.acceptor = Threads.start("dns-accept", server::acceptConnections);
        return server;
    }

    InetSocketAddress address() {
        return address;
    }

    private void receiveDatagrams() {
        byte[] buffer = new byte[MAX_UDP];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    log.warn("DNS on {} stopped receiving: {}", address, e.toString());
                }
                return;
            }
            try {
                datagram(Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength()),
                        packet.getSocketAddress());
            } catch (RuntimeException e) {
                log.debug("a datagram from {} was dropped: {}", packet.getSocketAddress(), e.toString());
            }
        }
    }

    private void datagram(byte[] bytes, SocketAddress client) {
        Optional<Message> query = parse(bytes);
        if (query.isEmpty()) {
            return;
        }
        Optional<Message> local = answers.answer(query.get());
        if (local.isPresent()) {
            send(local.get(), query.get(), client);
            return;
        }
        try {
            forwarders.execute(() -> send(upstream.forward(query.get(), false), query.get(), client));
        } catch (RejectedExecutionException e) {
            log.debug("query from {} dropped: {} forwards already waiting", client, QUEUED_FORWARDS);
        }
    }

    private void send(Message response, Message query, SocketAddress client) {
        OPTRecord opt = query.getOPT();
        int limit = opt == null ? PLAIN_UDP : Math.max(PLAIN_UDP, Math.min(opt.getPayloadSize(), MAX_UDP));
        byte[] wire = response.toWire(limit);
        try {
            udp.send(new DatagramPacket(wire, wire.length, client));
        } catch (IOException e) {
            if (!closed) {
                log.debug("cannot answer {}: {}", client, e.toString());
            }
        }
    }

    private void acceptConnections() {
        while (!closed) {
            Socket connection;
            try {
                connection = tcp.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("DNS on {} stopped accepting: {}", address, e.toString());
                }
                return;
            }
            try {
                connections.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                closeQuietly(connection);
            }
        }
    }

    /** Queries on one connection, each a two-byte length and a message, until the client is done or idle. */
    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout((int) TCP_IDLE.toMillis());
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (!closed) {
                int length = in.readUnsignedShort();
                Optional<Message> query = parse(in.readNBytes(length));
                if (query.isEmpty()) {
                    return;
                }
                Message response = answers.answer(query.get()).orElseGet(() -> upstream.forward(query.get(), true));
                byte[] wire = response.toWire(MAX_TCP);
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (EOFException e) {
            // the client is done
        } catch (IOException | RuntimeException e) {
            log.debug("DNS connection from {} ended: {}", connection.getRemoteSocketAddress(), e.toString());
        }
    }

    /** A query, or empty for anything else: bytes that are no DNS message, or a response. */
    private static Optional<Message> parse(byte[] bytes) {
        try {
            Message message = new Message(bytes);
            return Answers.isQuery(message) ? Optional.of(message) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // going anyway
        }
    }

    @Override
    /**
     * Stops serving and returns once the ports are free: a socket closed while a thread is blocked on it is only
     * released when that thread has left it.
     */
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // going anyway
        }
        forwarders.shutdownNow();
        connections.shutdownNow();
        try {
            for (Thread loop : new Thread[] {receiver, acceptor}) {
                if (loop != null) {
                    loop.join(CLOSE_WAIT_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The address this server was asked to serve on. */
    InetAddress host() {
        return address.getAddress();
    }
}
