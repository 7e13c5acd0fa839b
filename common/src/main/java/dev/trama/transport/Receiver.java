package dev.trama.transport;

import dev.trama.concurrent.Threads;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A thread that reads one-way messages (PULL reports, SUB tasks) from a socket it owns, decodes them
 * and hands them to a consumer. Undecodable messages are logged and skipped; a failing consumer is
 * logged and the loop goes on.
 */
public final class Receiver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Receiver.class);

    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param leadingFrames frames before the method frame that are not part of the message (1 for a
     *                      topic, 0 otherwise)
     */
    public Receiver(String name, ZMQ.Socket socket, int leadingFrames, Codec codec, Consumer<Object> consumer) {
        socket.setReceiveTimeOut(200);
        this.thread = Threads.start(name, () -> run(name, socket, leadingFrames, codec, consumer));
    }

    private void run(String name, ZMQ.Socket socket, int leadingFrames, Codec codec, Consumer<Object> consumer) {
        try {
            while (running) {
                List<byte[]> frames = Frames.receive(socket);
                if (frames == null) {
                    continue;
                }
                Object message;
                try {
                    if (frames.size() < leadingFrames) {
                        throw new TramaException(ErrorCode.MALFORMED, "missing topic frame");
                    }
                    message = codec.decode(frames.subList(leadingFrames, frames.size()));
                } catch (TramaException e) {
                    log.warn("{} dropped a message: {} ({})", name, e.getMessage(), e.code());
                    continue;
                }
                try {
                    consumer.accept(message);
                } catch (RuntimeException e) {
                    log.error("{} failed to handle {}", name, Codec.methodOf(message.getClass()), e);
                }
            }
        } catch (ZMQException e) {
            if (running) {
                log.error("{} stopped: {}", name, e.getMessage());
            }
        } finally {
            socket.close();
        }
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
