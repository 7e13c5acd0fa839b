package dev.trama.transport;

import dev.trama.concurrent.Threads;
import dev.trama.protocol.Codec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Sends one-way messages on a socket one thread owns (PUB for tasks, PUSH for reports); any thread
 * may call {@link #publish} or {@link #push}. Delivery is best effort: a PUB subscriber that is
 * (re)connecting misses what is sent meanwhile, so nothing may depend on one message as its only
 * delivery.
 */
public final class Sender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final List<byte[]> STOP = List.of();

    private final String name;
    private final BlockingQueue<List<byte[]>> queue = new LinkedBlockingQueue<>(10_000);
    private final Thread thread;

    public Sender(String name, ZMQ.Socket socket) {
        this.name = name;
        this.thread = Threads.start(name, () -> run(socket));
    }

    /** Sends {@code [topic, method, body]}. */
    public void publish(String topic, Object message) {
        enqueue(Frames.prepend(topic.getBytes(StandardCharsets.UTF_8), Codec.encode(message)), message);
    }

    /** Sends {@code [method, body]}. */
    public void push(Object message) {
        enqueue(Codec.encode(message), message);
    }

    private void enqueue(List<byte[]> frames, Object message) {
        if (!queue.offer(frames)) {
            log.warn("{} queue full: dropped {}", name, Codec.methodOf(message.getClass()));
        }
    }

    private void run(ZMQ.Socket socket) {
        try {
            while (true) {
                List<byte[]> frames = queue.poll(1, TimeUnit.SECONDS);
                if (frames == STOP) {
                    return;
                }
                if (frames != null) {
                    Frames.send(socket, frames);
                }
            }
        } catch (InterruptedException | ZMQException e) {
            log.debug("{} stopped: {}", name, e.toString());
        } finally {
            socket.close();
        }
    }

    @Override
    public void close() {
        queue.offer(STOP);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
