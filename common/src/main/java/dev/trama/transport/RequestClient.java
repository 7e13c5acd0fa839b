package dev.trama.transport;

import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Request;
import dev.trama.protocol.TramaException;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A client of one or several equivalent request endpoints ("Lazy Pirate"): each call waits for its
 * reply up to a timeout; a socket that got no reply is closed (a REQ socket that lost its reply can
 * never send again) and the call is retried on the next endpoint with a fresh socket. Calls must be
 * idempotent, since a request whose reply was lost may have been carried out.
 *
 * <p>Safe for concurrent use: each call borrows its own socket.
 */
public final class RequestClient implements Requester, AutoCloseable {

    private final Sockets sockets;
    private final List<String> endpoints;
    private final Duration timeout;
    private final int attempts;
    private final String peer;
    private final String serverKey;
    private final AtomicInteger preferred = new AtomicInteger();
    private final Map<String, Deque<ZMQ.Socket>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * A client of insecure endpoints (a CURVE {@code sockets} needs the server's key: see the other constructor).
     *
     * @param peer what the endpoints are, for error messages ("server", "the local daemon")
     */
    public RequestClient(Sockets sockets, List<String> endpoints, Duration timeout, int attempts, String peer) {
        this(sockets, endpoints, null, timeout, attempts, peer);
    }

    /**
     * @param serverKey the CURVE public key (Z85) every endpoint serves with; ignored by an insecure
     *                  {@code sockets}. With a wrong key no endpoint ever answers.
     * @param peer      what the endpoints are, for error messages ("server", "the local daemon")
     */
    public RequestClient(Sockets sockets, List<String> endpoints, String serverKey, Duration timeout, int attempts,
                         String peer) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is required");
        }
        if (sockets.secure()) {
            if (serverKey == null) {
                throw new IllegalArgumentException("a CURVE client of " + peer + " needs the server's public key");
            }
            CurveKeyPair.checkPublicKey(serverKey);
        }
        this.serverKey = serverKey;
        this.sockets = sockets;
        this.endpoints = List.copyOf(endpoints);
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
        this.peer = peer;
    }

    @Override
    public <R> R call(Request<R> request) {
        return call(request, timeout, attempts);
    }

    @Override
    public <R> R call(Request<R> request, Duration callTimeout, int callAttempts) {
        List<byte[]> frames = Codec.encode(request);
        Class<R> resultType = Codec.resultType(request);
        for (int attempt = 0; attempt < callAttempts; attempt++) {
            int index = Math.floorMod(preferred.get(), endpoints.size());
            String endpoint = endpoints.get(index);
            List<byte[]> reply = exchange(endpoint, frames, callTimeout);
            if (reply != null) {
                return Codec.decodeReply(reply, resultType);
            }
            preferred.compareAndSet(index, index + 1);
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, peer + " did not answer within "
                + callTimeout.toMillis() / 1000.0 + " s" + (callAttempts > 1 ? " (" + callAttempts + " tries)" : "")
                + " at " + String.join(", ", endpoints));
    }

    private List<byte[]> exchange(String endpoint, List<byte[]> frames, Duration callTimeout) {
        if (closed) {
            throw new TramaException(ErrorCode.UNAVAILABLE, "client of " + peer + " is closed");
        }
        Deque<ZMQ.Socket> pool = idle.computeIfAbsent(endpoint, e -> new ConcurrentLinkedDeque<>());
        ZMQ.Socket socket = pool.pollFirst();
        if (socket == null) {
            socket = sockets.secure()
                    ? sockets.connect(SocketType.REQ, endpoint, serverKey)
                    : sockets.connect(SocketType.REQ, endpoint);
        }
        boolean healthy = false;
        try {
            socket.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, callTimeout.toMillis()));
            if (!Frames.send(socket, frames)) {
                return null;
            }
            // a reply is two frames; a third, if any, is enough for the codec to refuse it
            Frames.Inbound reply = Frames.receive(socket, 3);
            healthy = reply != null;
            return reply == null ? null : reply.frames();
        } finally {
            if (healthy && !closed) {
                pool.offerFirst(socket);
            } else {
                socket.close();
                // the peer may have restarted: an idle socket that connected before may not carry a request
                // any more (a secure handshake refused during the restart is never tried again)
                ZMQ.Socket stale;
                while ((stale = pool.pollFirst()) != null) {
                    stale.close();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(pool -> {
            ZMQ.Socket socket;
            while ((socket = pool.pollFirst()) != null) {
                socket.close();
            }
        });
    }
}
