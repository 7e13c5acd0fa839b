package dev.trama.transport;

import dev.trama.protocol.Codec;
import java.util.List;
import java.util.Objects;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The one place ZeroMQ sockets are made. Every socket gets the same limits and liveness settings;
 * {@link #bind} is for the side that owns a port, {@link #connect} for the side that dials it.
 *
 * <p>Security is a property of the instance. An insecure one ({@code new Sockets()}) speaks plain text and
 * ignores admissions and keys. A CURVE one encrypts every TCP socket with this process's key pair: a bound
 * socket lets in only the client keys its {@link Admission} admits, and a connecting socket talks only to
 * the server whose public key it was given; a wrong key means no connection at all, so a call to it just
 * times out. In-process sockets are never encrypted.
 */
public final class Sockets implements AutoCloseable {

    /** Peers that send a frame larger than this are disconnected by ZeroMQ before we read it. */
    static final long HARD_MESSAGE_LIMIT = 4L * Codec.MAX_MESSAGE_BYTES;
    private static final int HEARTBEAT_MS = 1_000;
    private static final int HEARTBEAT_TIMEOUT_MS = 5_000;
    /**
     * JeroMQ 0.6.0 stalls a few percent of new connections in the ZMTP handshake until the handshake
     * interval (30 s by default) ends it; a short interval turns such a stall into a reconnect after it.
     */
    private static final int HANDSHAKE_MS = 1_000;

    private final ZContext context;
    private final CurveKeyPair keys;
    private Gatekeeper gatekeeper;

    /** Insecure: plain text, as {@link #insecure()}. */
    public Sockets() {
        this(null);
    }

    private Sockets(CurveKeyPair keys) {
        this.keys = keys;
        this.context = new ZContext();
        this.context.setLinger(0);
    }

    /** Sockets that speak plain text to anyone. */
    public static Sockets insecure() {
        return new Sockets();
    }

    /** Sockets that speak CURVE with this process's own key pair. */
    public static Sockets curve(CurveKeyPair keys) {
        return new Sockets(Objects.requireNonNull(keys, "a CURVE key pair is required"));
    }

    public boolean secure() {
        return keys != null;
    }

    /** This process's CURVE public key, or {@code null} when insecure. */
    public String publicKey() {
        return keys == null ? null : keys.publicKey();
    }

    /**
     * An insecure socket bound to {@code endpoint}, as {@link #bind(SocketType, String, Admission)}. A CURVE
     * instance refuses: each of its bound sockets must say whom it admits.
     */
    public ZMQ.Socket bind(SocketType type, String endpoint) {
        if (secure()) {
            throw new IllegalStateException("a CURVE " + type + " socket on " + endpoint + " needs an admission saying whom it lets in");
        }
        return bound(open(type), type, endpoint);
    }

    /**
     * A socket bound to {@code endpoint}, e.g. {@code tcp://0.0.0.0:8081}, that lets in the CURVE clients
     * {@code admission} admits (an insecure instance lets in anyone). With port {@code 0} or {@code *} the
     * system picks a free port while binding, which {@link #boundPort} then tells: nobody can take the port
     * between choosing and binding it.
     */
    public ZMQ.Socket bind(SocketType type, String endpoint, Admission admission) {
        Objects.requireNonNull(admission, "an admission is required");
        ZMQ.Socket socket = open(type);
        if (secure()) {
            socket.setZapDomain(gatekeeper().domain(admission));
            socket.setCurveServer(true);
            socket.setCurveSecretKey(ZMQ.Curve.z85Decode(keys.secretKey()));
        }
        return bound(socket, type, endpoint);
    }

    /**
     * An insecure socket connected to every endpoint given. A CURVE instance refuses: it must know the
     * server's public key.
     */
    public ZMQ.Socket connect(SocketType type, Iterable<String> endpoints) {
        if (secure()) {
            throw new IllegalStateException("a CURVE " + type + " socket needs the public key of the server it connects to");
        }
        return connected(open(type), endpoints);
    }

    public ZMQ.Socket connect(SocketType type, String endpoint) {
        return connect(type, List.of(endpoint));
    }

    /**
     * A socket connected to every endpoint given, all served with the key pair whose public key is
     * {@code serverPublicKey} (Z85); an insecure instance ignores the key.
     */
    public ZMQ.Socket connect(SocketType type, Iterable<String> endpoints, String serverPublicKey) {
        if (!secure()) {
            return connect(type, endpoints);
        }
        CurveKeyPair.checkPublicKey(serverPublicKey);
        ZMQ.Socket socket = open(type);
        socket.setCurveServerKey(ZMQ.Curve.z85Decode(serverPublicKey));
        socket.setCurvePublicKey(ZMQ.Curve.z85Decode(keys.publicKey()));
        socket.setCurveSecretKey(ZMQ.Curve.z85Decode(keys.secretKey()));
        return connected(socket, endpoints);
    }

    public ZMQ.Socket connect(SocketType type, String endpoint, String serverPublicKey) {
        return connect(type, List.of(endpoint), serverPublicKey);
    }

    /** A plain socket bound to an {@code inproc://} endpoint, for threads of this process. */
    ZMQ.Socket bindInProcess(SocketType type, String endpoint) {
        return bound(open(type), type, inProcess(endpoint));
    }

    /** A plain socket connected to an {@code inproc://} endpoint. */
    ZMQ.Socket connectInProcess(SocketType type, String endpoint) {
        return connected(open(type), List.of(inProcess(endpoint)));
    }

    /** The TCP port a socket from {@link #bind} listens on, read from the endpoint ZeroMQ bound last. */
    public static int boundPort(ZMQ.Socket socket) {
        String endpoint = socket.getLastEndpoint();
        if (endpoint == null || !endpoint.startsWith("tcp://")) {
            throw new IllegalStateException("socket is not bound to a TCP endpoint (last endpoint: " + endpoint + ")");
        }
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    public ZMQ.Poller poller(int size) {
        return context.createPoller(size);
    }

    /** Whether {@link #close} has been called: every socket made here is then unusable. */
    boolean isClosed() {
        return context.isClosed();
    }

    private static String inProcess(String endpoint) {
        if (!endpoint.startsWith("inproc://")) {
            throw new IllegalArgumentException("'" + endpoint + "' is not an inproc:// endpoint");
        }
        return endpoint;
    }

    private synchronized Gatekeeper gatekeeper() {
        if (gatekeeper == null) {
            gatekeeper = new Gatekeeper(context);
        }
        return gatekeeper;
    }

    private static ZMQ.Socket bound(ZMQ.Socket socket, SocketType type, String endpoint) {
        try {
            socket.bind(endpoint);
        } catch (RuntimeException e) {
            socket.close();
            throw new IllegalStateException("cannot bind " + type + " socket to " + endpoint + ": " + e.getMessage(), e);
        }
        return socket;
    }

    private static ZMQ.Socket connected(ZMQ.Socket socket, Iterable<String> endpoints) {
        try {
            for (String endpoint : endpoints) {
                socket.connect(endpoint);
            }
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private ZMQ.Socket open(SocketType type) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(0);
        socket.setMaxMsgSize(HARD_MESSAGE_LIMIT);
        socket.setHeartbeatIvl(HEARTBEAT_MS);
        socket.setHeartbeatTimeout(HEARTBEAT_TIMEOUT_MS);
        socket.setHeartbeatTtl(HEARTBEAT_TIMEOUT_MS);
        socket.setHandshakeIvl(HANDSHAKE_MS);
        socket.setTCPKeepAlive(1);
        socket.setReconnectIVL(100);
        socket.setReconnectIVLMax(2_000);
        return socket;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (gatekeeper != null) {
                gatekeeper.close();
                gatekeeper = null;
            }
        }
        context.close();
    }
}
