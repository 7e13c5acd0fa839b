package dev.trama.transport;

import dev.trama.concurrent.Threads;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * A thread that reads one-way messages (PULL reports, SUB tasks) from a socket it owns, decodes them
 * and hands them, with the {@link Peer} that sent each, to a consumer. A message of the wrong shape or
 * larger than {@link Codec#MAX_MESSAGE_BYTES} is dropped without being decoded; undecodable messages are
 * logged and skipped; a failing consumer, even one throwing an {@link Error}, is logged and the loop goes on.
 */
public final class Receiver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Receiver.class);
    private static final int MESSAGE_FRAMES = 2;

    private final String name;
    private final int leadingFrames;
    private final Codec codec;
    private final BiConsumer<Object, Peer> consumer;
    private final boolean curveServer;
    private final Throttle drops = new Throttle();
    private final Throttle failures = new Throttle();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param leadingFrames frames before the method frame that are not part of the message (1 for a
     *                      topic, 0 otherwise)
     */
    public Receiver(String name, ZMQ.Socket socket, int leadingFrames, Codec codec, Consumer<Object> consumer) {
        this(name, socket, leadingFrames, codec, (message, peer) -> consumer.accept(message));
    }

    /** A receiver whose consumer is told who sent each message. */
    public Receiver(String name, ZMQ.Socket socket, int leadingFrames, Codec codec, BiConsumer<Object, Peer> consumer) {
        this.name = name;
        this.leadingFrames = leadingFrames;
        this.codec = codec;
        this.consumer = consumer;
        this.curveServer = socket.getCurveServer();
        socket.setReceiveTimeOut(200);
        this.thread = Threads.start(name, () -> run(socket));
    }

    private void run(ZMQ.Socket socket) {
        LoopGuard guard = new LoopGuard(name);
        try {
            while (running) {
                Frames.Inbound message;
                try {
                    message = Frames.receive(socket, leadingFrames + MESSAGE_FRAMES);
                    guard.succeeded();
                } catch (Throwable e) {
                    if (!running || !guard.failed(e)) {
                        return;
                    }
                    continue;
                }
                if (message != null) {
                    handle(message);
                }
            }
        } finally {
            try {
                socket.close();
            } catch (RuntimeException e) {
                log.debug("{} could not close its socket: {}", name, e.toString());
            }
        }
    }

    private void handle(Frames.Inbound message) {
        Object decoded;
        try {
            if (curveServer && message.peer().identity() == null) {
                throw new TramaException(ErrorCode.MALFORMED, Frames.UNAUTHENTICATED);
            }
            decoded = codec.decode(body(message));
        } catch (TramaException e) {
            int held = drops.pass();
            if (held >= 0) {
                log.warn("{} dropped a message from {}: {} ({}){}", name, from(message.peer()), e.getMessage(), e.code(),
                        Throttle.more(held));
            }
            return;
        } catch (Throwable e) {
            log.error("{} failed to decode a message from {}", name, from(message.peer()), e);
            return;
        }
        try {
            consumer.accept(decoded, message.peer());
        } catch (Throwable e) {
            int held = failures.pass();
            if (held >= 0) {
                log.error("{} failed to handle {}{}", name, Codec.methodOf(decoded.getClass()), Throttle.more(held), e);
            }
        }
    }

    /** The message's own frames, checked for shape and size before anything reads them. */
    private List<byte[]> body(Frames.Inbound message) {
        int frames = message.count() - leadingFrames;
        if (frames != MESSAGE_FRAMES) {
            throw new TramaException(ErrorCode.MALFORMED, "expected " + leadingFrames + " leading frames and 2 (method, body), got "
                    + message.count() + " in all");
        }
        List<byte[]> body = message.frames().subList(leadingFrames, message.frames().size());
        long size = Frames.size(body);
        if (size > Codec.MAX_MESSAGE_BYTES) {
            throw new TramaException(ErrorCode.TOO_LARGE,
                    "message of " + size + " bytes exceeds the limit of " + Codec.MAX_MESSAGE_BYTES);
        }
        return body;
    }

    private static String from(Peer peer) {
        if (peer.identity() != null) {
            return peer.identity();
        }
        return peer.address() == null ? "an unknown peer" : peer.address();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
