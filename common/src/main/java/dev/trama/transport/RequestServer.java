package dev.trama.transport;

import dev.trama.concurrent.Threads;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Serves requests from REQ clients on a port with a pool of worker threads, so that one slow request
 * (an etcd call, a container start) does not hold up the others.
 *
 * <p>One thread owns the ROUTER socket. Each message must be a REQ envelope (the routing frame ZeroMQ adds
 * and the empty frame a REQ peer sends) and a body of two frames, {@link Codec#MAX_MESSAGE_BYTES} at most:
 * anything else is answered with an error on receipt, without being decoded. A body goes to a worker,
 * and the replies workers return through an in-process socket go back out. Every message with an
 * envelope gets exactly one reply: the handler's result, or an error for malformed input, unknown methods,
 * failures and overload. Messages without an envelope come from no REQ peer and are dropped.
 *
 * <p>Work waits in bounded {@link Lane}s, shared fairly among peers: a peer is its CURVE identity, or its
 * host on an insecure socket. A peer that asks for more than its share is told the server is overloaded,
 * while other peers are still served. Urgent kinds of request (heartbeats) have a lane and workers of their
 * own, so that they are never queued behind slow ones: a node must not be shown down because the server
 * was busy with something else. Handlers are told who sent each request ({@link Handlers#on(Class,
 * java.util.function.BiFunction)}).
 */
public final class RequestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestServer.class);
    private static final int POLL_MS = 200;
    /** Messages read from one socket before the loop looks at the other. */
    private static final int BATCH = 64;
    private static final int URGENT_WORKERS = 2;
    private static final int BODY_FRAMES = 2;

    private final Sockets sockets;
    private final int port;
    private final Codec codec;
    private final Handlers handlers;
    private final String name;
    private final Lane lane;
    private final Lane urgentLane;
    private final List<byte[]> urgentMethods;
    private final ThreadLocal<ZMQ.Socket> replySocket;
    private final ConcurrentLinkedQueue<ZMQ.Socket> replySockets = new ConcurrentLinkedQueue<>();
    private final Throttle refusals = new Throttle();
    private final Throttle overloads = new Throttle();
    private final Thread loop;
    private volatile boolean running = true;

    /**
     * An insecure server, as {@link #RequestServer(Sockets, String, Admission, Codec, Handlers, int, String, Set)}
     * without an admission (which a CURVE {@code sockets} refuses) and without urgent requests.
     *
     * @param endpoint where to listen; with port {@code 0} or {@code *} the system picks the port, which
     *                 {@link #port} tells
     */
    public RequestServer(Sockets sockets, String endpoint, Codec codec, Handlers handlers, int workerCount, String name) {
        this(sockets, endpoint, null, codec, handlers, workerCount, name, Set.of());
    }

    /** An insecure server with urgent requests: see the full constructor. */
    public RequestServer(Sockets sockets, String endpoint, Codec codec, Handlers handlers, int workerCount, String name,
                         Set<Class<?>> urgent) {
        this(sockets, endpoint, null, codec, handlers, workerCount, name, urgent);
    }

    /**
     * @param endpoint  where to listen; with port {@code 0} or {@code *} the system picks the port, which
     *                  {@link #port} tells
     * @param admission which CURVE clients are let in, and as whom; {@code null} for an insecure {@code sockets}
     * @param urgent    kinds of request served by workers of their own, ahead of any queue
     */
    public RequestServer(Sockets sockets, String endpoint, Admission admission, Codec codec, Handlers handlers,
                         int workerCount, String name, Set<Class<?>> urgent) {
        this.sockets = sockets;
        this.codec = codec;
        this.handlers = handlers;
        this.name = name;
        String repliesEndpoint = "inproc://" + name + "-replies-" + UUID.randomUUID();

        ZMQ.Socket router = admission == null
                ? sockets.bind(SocketType.ROUTER, endpoint)
                : sockets.bind(SocketType.ROUTER, endpoint, admission);
        this.port = Sockets.boundPort(router);
        ZMQ.Socket replies = sockets.bindInProcess(SocketType.PULL, repliesEndpoint);
        this.urgentMethods = urgent.stream().map(type -> Codec.methodOf(type).getBytes(StandardCharsets.UTF_8)).toList();
        this.lane = new Lane(name + "-worker", workerCount, limits(workerCount));
        this.urgentLane = new Lane(name + "-urgent", URGENT_WORKERS, new Lane.Limits(1_000, 8L << 20, 8, 1L << 20, 1));
        this.replySocket = ThreadLocal.withInitial(() -> {
            ZMQ.Socket push = sockets.connectInProcess(SocketType.PUSH, repliesEndpoint);
            replySockets.add(push);
            return push;
        });
        this.loop = Threads.start(name + "-router", () -> run(router, replies));
        log.info("{} serving requests on {}{}", name, router.getLastEndpoint(), sockets.secure() ? " (CURVE)" : "");
    }

    /**
     * A thousand requests and 32 MiB at most wait or run; one peer may have 64 and 4 MiB of them, and hold
     * half the workers.
     */
    private static Lane.Limits limits(int workerCount) {
        return new Lane.Limits(1_000, 32L << 20, 64, 4L << 20, Math.max(1, workerCount / 2));
    }

    /** The TCP port requests are served on, the one actually bound. */
    public int port() {
        return port;
    }

    private void run(ZMQ.Socket router, ZMQ.Socket replies) {
        LoopGuard guard = new LoopGuard(name + " request loop");
        ZMQ.Poller poller = sockets.poller(2);
        try {
            router.setReceiveTimeOut(0);
            replies.setReceiveTimeOut(0);
            poller.register(router, ZMQ.Poller.POLLIN);
            poller.register(replies, ZMQ.Poller.POLLIN);
            while (running) {
                try {
                    turn(poller, router, replies);
                    guard.succeeded();
                } catch (Throwable e) {
                    if (!running || sockets.isClosed() || !guard.failed(e)) {
                        break;
                    }
                }
            }
        } finally {
            quietly(poller::close);
            quietly(router::close);
            quietly(replies::close);
        }
    }

    private void turn(ZMQ.Poller poller, ZMQ.Socket router, ZMQ.Socket replies) {
        int ready = poller.poll(POLL_MS);
        if (ready < 0) {
            throw new IllegalStateException(name + " could not poll its sockets");
        }
        if (ready == 0) {
            return;
        }
        if (poller.pollin(0)) {
            Frames.Inbound message;
            for (int i = 0; i < BATCH && (message = Frames.receive(router, 2 + BODY_FRAMES)) != null; i++) {
                try {
                    dispatch(router, message);
                } catch (Throwable e) {
                    // one message's trouble must not stop the others
                    log.error("{} failed to dispatch a message from {}", name, message.peer(), e);
                }
            }
        }
        if (poller.pollin(1)) {
            List<byte[]> reply;
            for (int i = 0; i < BATCH && (reply = Frames.receive(replies)) != null; i++) {
                Frames.send(router, reply);
            }
        }
    }

    private void dispatch(ZMQ.Socket router, Frames.Inbound message) {
        List<byte[]> frames = message.frames();
        if (sockets.secure() && message.peer().identity() == null) {
            refused(message.peer(), Frames.UNAUTHENTICATED);
            return;
        }
        if (message.count() < 2 || frames.get(1).length != 0) {
            refused(message.peer(), "a message without a REQ envelope (" + message.count() + " frames)");
            return;
        }
        List<byte[]> envelope = List.of(frames.get(0), frames.get(1));
        int bodyFrames = message.count() - envelope.size();
        if (bodyFrames != BODY_FRAMES) {
            refuse(router, envelope, message.peer(), new TramaException(ErrorCode.MALFORMED,
                    "expected 2 frames (method, body), got " + bodyFrames));
            return;
        }
        List<byte[]> body = List.copyOf(frames.subList(envelope.size(), frames.size()));
        long size = Frames.size(body);
        if (size > Codec.MAX_MESSAGE_BYTES) {
            refuse(router, envelope, message.peer(), new TramaException(ErrorCode.TOO_LARGE,
                    "message of " + size + " bytes exceeds the limit of " + Codec.MAX_MESSAGE_BYTES));
            return;
        }
        Peer peer = message.peer();
        Lane.Offer offer = (urgent(body.get(0)) ? urgentLane : lane).offer(limitKey(peer, frames.get(0)), size,
                () -> Frames.send(replySocket.get(), join(envelope, answer(body, peer))));
        if (offer != Lane.Offer.ACCEPTED) {
            int held = overloads.pass();
            if (held >= 0) {
                log.warn("{} is overloaded: refused a request from {}{}", name,
                        offer == Lane.Offer.PEER_FULL ? describe(peer) : "anyone", Throttle.more(held));
            }
            String reason = offer == Lane.Offer.PEER_FULL
                    ? name + " is overloaded with this peer's requests; try again later"
                    : name + " is overloaded; try again later";
            Frames.send(router, join(envelope, Codec.error(ErrorCode.UNAVAILABLE, reason)));
        }
    }

    private boolean urgent(byte[] method) {
        for (byte[] urgentMethod : urgentMethods) {
            if (Arrays.equals(urgentMethod, method)) {
                return true;
            }
        }
        return false;
    }

    /** Whose share a request counts against: its CURVE identity, else its host, else its connection. */
    private static String limitKey(Peer peer, byte[] routingId) {
        if (peer.identity() != null) {
            return "identity " + peer.identity();
        }
        if (peer.host() != null) {
            return "host " + peer.host();
        }
        return "connection " + HexFormat.of().formatHex(routingId);
    }

    private void refuse(ZMQ.Socket router, List<byte[]> envelope, Peer peer, TramaException e) {
        refused(peer, "a message: " + e.getMessage() + " (" + e.code() + ")");
        Frames.send(router, join(envelope, Codec.error(e)));
    }

    private void refused(Peer peer, String what) {
        int held = refusals.pass();
        if (held >= 0) {
            log.warn("{} refused {} from {}{}", name, what, describe(peer), Throttle.more(held));
        }
    }

    private static String describe(Peer peer) {
        if (peer.identity() != null) {
            return peer.identity() + (peer.address() == null ? "" : " at " + peer.address());
        }
        return peer.address() == null ? "an unknown peer" : peer.address();
    }

    List<byte[]> answer(List<byte[]> frames, Peer peer) {
        Object request;
        try {
            request = codec.decode(frames);
        } catch (TramaException e) {
            refused(peer, "a message: " + e.getMessage() + " (" + e.code() + ")");
            return Codec.error(e);
        }
        try {
            return Codec.ok(handlers.handle(request, peer));
        } catch (TramaException e) {
            log.info("{} {} failed: {} ({})", name, Codec.methodOf(request.getClass()), e.getMessage(), e.code());
            return Codec.error(e);
        } catch (IllegalArgumentException e) {
            log.info("{} {} refused: {}", name, Codec.methodOf(request.getClass()), e.getMessage());
            return Codec.error(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        } catch (Throwable e) {
            log.error("{} {} failed unexpectedly", name, Codec.methodOf(request.getClass()), e);
            return Codec.error(ErrorCode.INTERNAL, "internal error: " + e);
        }
    }

    private static List<byte[]> join(List<byte[]> envelope, List<byte[]> reply) {
        List<byte[]> frames = new ArrayList<>(envelope.size() + reply.size());
        frames.addAll(envelope);
        frames.addAll(reply);
        return frames;
    }

    private static void quietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.debug("closing failed: {}", e.toString());
        }
    }

    /** Drops the requests that wait, lets the running ones finish (5 s at most) and stops listening. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        lane.close();
        urgentLane.close();
        running = false;
        try {
            loop.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replySockets.forEach(socket -> quietly(socket::close));
    }
}
