package dev.trama.transport;

import dev.trama.concurrent.Threads;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Serves requests from REQ clients on a port with a pool of worker threads, so that one slow request
 * (an etcd call, a container start) does not hold up the others.
 *
 * <p>One thread owns the ROUTER socket. It splits each message into its envelope (the frames up to
 * the first empty one, which a REQ peer always sends) and its body, hands the body to a worker, and
 * sends back the replies workers return through an in-process socket. Every message with an envelope
 * gets exactly one reply: the handler's result, or an error for malformed input, unknown methods,
 * failures and overload. Messages without an envelope come from no REQ peer and are dropped.
 *
 * <p>Urgent kinds of request (heartbeats) have workers of their own, so that they are never queued behind
 * slow ones: a node must not be shown down because the server was busy with something else.
 */
public final class RequestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestServer.class);
    private static final int POLL_MS = 200;
    private static final int QUEUE = 1_000;
    private static final int URGENT_WORKERS = 2;

    private final Sockets sockets;
    private final int port;
    private final Codec codec;
    private final Handlers handlers;
    private final String name;
    private final String repliesEndpoint;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor urgentWorkers;
    private final Set<String> urgentMethods;
    private final ThreadLocal<ZMQ.Socket> replySocket;
    private final ConcurrentLinkedQueue<ZMQ.Socket> replySockets = new ConcurrentLinkedQueue<>();
    private final Thread loop;
    private volatile boolean running = true;

    /**
     * @param endpoint where to listen; with port {@code 0} or {@code *} the system picks the port, which
     *                 {@link #port} tells
     */
    public RequestServer(Sockets sockets, String endpoint, Codec codec, Handlers handlers, int workerCount, String name) {
        this(sockets, endpoint, codec, handlers, workerCount, name, Set.of());
    }

    /** @param urgent kinds of request served by workers of their own, ahead of any queue */
    public RequestServer(Sockets sockets, String endpoint, Codec codec, Handlers handlers, int workerCount, String name,
                         Set<Class<?>> urgent) {
        this.sockets = sockets;
        this.codec = codec;
        this.handlers = handlers;
        this.name = name;
        this.repliesEndpoint = "inproc://" + name + "-replies-" + UUID.randomUUID();

        ZMQ.Socket router = sockets.bind(SocketType.ROUTER, endpoint);
        this.port = Sockets.boundPort(router);
        ZMQ.Socket replies = sockets.bind(SocketType.PULL, repliesEndpoint);
        this.workers = new ThreadPoolExecutor(workerCount, workerCount, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), Threads.numbered(name + "-worker"));
        this.urgentMethods = urgent.stream().map(Codec::methodOf).collect(Collectors.toUnmodifiableSet());
        this.urgentWorkers = new ThreadPoolExecutor(URGENT_WORKERS, URGENT_WORKERS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), Threads.numbered(name + "-urgent"));
        this.replySocket = ThreadLocal.withInitial(() -> {
            ZMQ.Socket push = sockets.connect(SocketType.PUSH, repliesEndpoint);
            replySockets.add(push);
            return push;
        });
        this.loop = Threads.start(name + "-router", () -> run(router, replies));
        log.info("{} serving requests on {}", name, router.getLastEndpoint());
    }

    /** The TCP port requests are served on, the one actually bound. */
    public int port() {
        return port;
    }

    private void run(ZMQ.Socket router, ZMQ.Socket replies) {
        ZMQ.Poller poller = sockets.poller(2);
        poller.register(router, ZMQ.Poller.POLLIN);
        poller.register(replies, ZMQ.Poller.POLLIN);
        try {
            while (running) {
                if (poller.poll(POLL_MS) <= 0) {
                    continue;
                }
                if (poller.pollin(0)) {
                    dispatch(router, Frames.receive(router));
                }
                if (poller.pollin(1)) {
                    List<byte[]> reply = Frames.receive(replies);
                    if (reply != null) {
                        Frames.send(router, reply);
                    }
                }
            }
        } catch (ZMQException e) {
            if (running) {
                log.error("{} stopped serving: {}", name, e.getMessage());
            }
        } finally {
            poller.close();
            router.close();
            replies.close();
        }
    }

    private void dispatch(ZMQ.Socket router, List<byte[]> frames) {
        if (frames == null) {
            return;
        }
        int delimiter = 0;
        while (delimiter < frames.size() && frames.get(delimiter).length > 0) {
            delimiter++;
        }
        if (delimiter == 0 || delimiter == frames.size()) {
            log.warn("{} dropped a message without a REQ envelope ({} frames)", name, frames.size());
            return;
        }
        List<byte[]> envelope = List.copyOf(frames.subList(0, delimiter + 1));
        List<byte[]> body = List.copyOf(frames.subList(delimiter + 1, frames.size()));
        boolean urgent = !urgentMethods.isEmpty() && urgentMethods.contains(new String(body.get(0), StandardCharsets.UTF_8));
        try {
            (urgent ? urgentWorkers : workers).execute(() -> Frames.send(replySocket.get(), join(envelope, answer(body))));
        } catch (RejectedExecutionException e) {
            log.warn("{} is overloaded: refused a request", name);
            Frames.send(router, join(envelope, Codec.error(ErrorCode.UNAVAILABLE, name + " is overloaded; try again")));
        }
    }

    List<byte[]> answer(List<byte[]> frames) {
        Object request;
        try {
            request = codec.decode(frames);
        } catch (TramaException e) {
            log.warn("{} refused a message: {} ({})", name, e.getMessage(), e.code());
            return Codec.error(e);
        }
        try {
            return Codec.ok(handlers.handle(request));
        } catch (TramaException e) {
            log.info("{} {} failed: {} ({})", name, Codec.methodOf(request.getClass()), e.getMessage(), e.code());
            return Codec.error(e);
        } catch (IllegalArgumentException e) {
            log.info("{} {} refused: {}", name, Codec.methodOf(request.getClass()), e.getMessage());
            return Codec.error(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        } catch (RuntimeException e) {
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

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        workers.shutdown();
        urgentWorkers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            urgentWorkers.awaitTermination(5, TimeUnit.SECONDS);
            loop.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replySockets.forEach(ZMQ.Socket::close);
    }
}
