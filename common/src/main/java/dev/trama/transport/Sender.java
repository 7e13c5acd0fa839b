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

/**
 * Sends one-way messages on a socket one thread owns (PUB for tasks, PUSH for reports); any thread
 * may call {@link #publish} or {@link #push}. Delivery is best effort: a PUB subscriber that is
 * (re)connecting misses what is sent meanwhile, so nothing may depend on one message as its only
 * delivery. A message that fails to go out is logged and the thread goes on with the next.
 */
public final class Sender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final List<byte[]> STOP = List.of();

    private final String name;
    private final BlockingQueue<List<byte[]>> queue = new LinkedBlockingQueue<>(10_000);
    private final Throttle dropped = new Throttle();
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
            int held = dropped.pass();
            if (held >= 0) {
                log.warn("{} queue full: dropped {}{}", name, Codec.methodOf(message.getClass()), Throttle.more(held));
            }
        }
    }

    private void run(ZMQ.Socket socket) {
        LoopGuard guard = new LoopGuard(name);
        try {
            while (true) {
                try {
                    List<byte[]> frames = queue.poll(1, TimeUnit.SECONDS);
                    if (frames == STOP) {
                        return;
                    }
                    if (frames != null) {
                        Frames.send(socket, frames);
                    }
                    guard.succeeded();
                } catch (InterruptedException e) {
                    log.debug("{} stopped: interrupted", name);
                    return;
                } catch (Throwable e) {
                    if (!guard.failed(e)) {
                        return;
                    }
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
