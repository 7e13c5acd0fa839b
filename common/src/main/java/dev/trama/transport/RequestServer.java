package dev.trama.transport;

import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Serves requests on a port with a pool of workers: a ROUTER takes clients' requests, an in-process
 * DEALER spreads them over REP workers, so one slow request (an etcd call, a container start) does
 * not hold up the others. Every message a worker receives gets exactly one reply: the handler's
 * result, or an error for malformed input, unknown methods and failures. Nothing a client sends can
 * stop a worker.
 */
public final class RequestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestServer.class);
    private static final int POLL_MS = 200;

    private final Sockets sockets;
    private final String endpoint;
    private final Codec codec;
    private final Handlers handlers;
    private final String name;
    private final String backend;
    private final String control;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public RequestServer(Sockets sockets, String endpoint, Codec codec, Handlers handlers, int workers, String name) {
        this.sockets = sockets;
        this.endpoint = endpoint;
        this.codec = codec;
        this.handlers = handlers;
        this.name = name;
        String id = UUID.randomUUID().toString();
        this.backend = "inproc://" + name + "-workers-" + id;
        this.control = "inproc://" + name + "-control-" + id;

        ZMQ.Socket frontend = sockets.bind(SocketType.ROUTER, endpoint);
        ZMQ.Socket dealer = sockets.bind(SocketType.DEALER, backend);
        ZMQ.Socket controlIn = sockets.bind(SocketType.PAIR, control);
        Thread proxy = new Thread(() -> proxy(frontend, dealer, controlIn), name + "-proxy");
        threads.add(proxy);
        for (int i = 0; i < workers; i++) {
            ZMQ.Socket rep = sockets.connect(SocketType.REP, backend);
            rep.setReceiveTimeOut(POLL_MS);
            threads.add(new Thread(() -> work(rep), name + "-worker-" + i));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
        log.info("{} serving requests on {}", name, endpoint);
    }

    public String endpoint() {
        return endpoint;
    }

    private void proxy(ZMQ.Socket frontend, ZMQ.Socket dealer, ZMQ.Socket controlIn) {
        try {
            ZMQ.proxy(frontend, dealer, null, controlIn);
        } catch (ZMQException e) {
            log.debug("{} proxy stopped: {}", name, e.getMessage());
        } finally {
            frontend.close();
            dealer.close();
            controlIn.close();
        }
    }

    private void work(ZMQ.Socket rep) {
        try {
            while (running) {
                List<byte[]> frames = Frames.receive(rep);
                if (frames != null) {
                    Frames.send(rep, answer(frames));
                }
            }
        } catch (ZMQException e) {
            if (running) {
                log.error("{} worker stopped: {}", name, e.getMessage());
            }
        } finally {
            rep.close();
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

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        if (!sockets.isClosed()) {
            ZMQ.Socket stop = sockets.connect(SocketType.PAIR, control);
            stop.send(ZMQ.PROXY_TERMINATE);
            stop.close();
        }
        for (Thread thread : threads) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
