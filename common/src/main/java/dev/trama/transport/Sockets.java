package dev.trama.transport;

import dev.trama.protocol.Codec;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The one place ZeroMQ sockets are made. Every socket gets the same limits and liveness settings;
 * {@link #bind} is for the side that owns a port, {@link #connect} for the side that dials it, so that
 * transport security can later be applied per side here and nowhere else.
 */
public final class Sockets implements AutoCloseable {

    /** Peers that send more than this in one message are disconnected by ZeroMQ before we read it. */
    static final long HARD_MESSAGE_LIMIT = 4L * Codec.MAX_MESSAGE_BYTES;
    private static final int HEARTBEAT_MS = 1_000;
    private static final int HEARTBEAT_TIMEOUT_MS = 5_000;
    /**
     * JeroMQ 0.6.0 stalls a few percent of new connections in the ZMTP handshake until the handshake
     * interval (30 s by default) ends it; a short interval turns such a stall into a reconnect after it.
     */
    private static final int HANDSHAKE_MS = 1_000;

    private final ZContext context;

    public Sockets() {
        this.context = new ZContext();
        this.context.setLinger(0);
    }

    /**
     * A socket bound to {@code endpoint}, e.g. {@code tcp://0.0.0.0:8081}. With port {@code 0} or
     * {@code *} the system picks a free port while binding, which {@link #boundPort} then tells: nobody
     * can take the port between choosing and binding it.
     */
    public ZMQ.Socket bind(SocketType type, String endpoint) {
        ZMQ.Socket socket = open(type);
        try {
            socket.bind(endpoint);
        } catch (RuntimeException e) {
            socket.close();
            throw new IllegalStateException("cannot bind " + type + " socket to " + endpoint + ": " + e.getMessage(), e);
        }
        return socket;
    }

    /** A socket connected to every endpoint given. */
    public ZMQ.Socket connect(SocketType type, Iterable<String> endpoints) {
        ZMQ.Socket socket = open(type);
        for (String endpoint : endpoints) {
            socket.connect(endpoint);
        }
        return socket;
    }

    public ZMQ.Socket connect(SocketType type, String endpoint) {
        return connect(type, List.of(endpoint));
    }

    /** The TCP port a socket from {@link #bind} listens on, read from the endpoint ZeroMQ bound last. */
    public static int boundPort(ZMQ.Socket socket) {
        String endpoint = socket.getLastEndpoint();
        if (endpoint == null || !endpoint.startsWith("tcp://")) {
            throw new IllegalStateException("socket is not bound to a TCP endpoint (last endpoint: " + endpoint + ")");
        }
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
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

    public ZMQ.Poller poller(int size) {
        return context.createPoller(size);
    }

    @Override
    public void close() {
        context.close();
    }
}
