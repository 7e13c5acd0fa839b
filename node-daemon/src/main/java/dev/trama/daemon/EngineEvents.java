package dev.trama.daemon;

import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.tasks.Labels;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the engine's events for this node's containers: each start or end is handed to the {@link TaskRunner},
 * which attaches a new run to the overlay and tells the cluster the container's state. When the stream breaks
 * (the engine restarted), it is opened again a second later, and a reconcile catches what was missed meanwhile.
 */
final class EngineEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineEvents.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ContainerRuntime runtime;
    private final String node;
    private final TaskRunner tasks;
    private final ScheduledExecutorService timers;
    private final Runnable reconcile;
    private String clusterId;
    private AutoCloseable stream;
    private boolean broken;
    private boolean closed;

    EngineEvents(ContainerRuntime runtime, String node, TaskRunner tasks, ScheduledExecutorService timers, Runnable reconcile) {
        this.runtime = runtime;
        this.node = node;
        this.tasks = tasks;
        this.timers = timers;
        this.reconcile = reconcile;
    }

    /** Starts following the containers of this node in its cluster. */
    synchronized void start(String cluster) {
        this.clusterId = cluster;
        open();
    }

    private synchronized void open() {
        if (closed) {
            return;
        }
        try {
            stream = runtime.follow(Labels.ofNode(clusterId, node),
                    (id, labels) -> tasks.engineChanged(id, labels.getOrDefault(Labels.NAME, "")), this::ended);
            if (broken) {
                broken = false;
                log.info("following the engine's events again");
                reconcile.run();
            }
        } catch (RuntimeException e) {
            ended(e);
        }
    }

    private synchronized void ended(Throwable error) {
        if (closed) {
            return;
        }
        if (!broken) {
            log.warn("the engine's event stream ended ({}): opening it again", error == null ? "closed by the engine"
                    : error.getMessage());
        }
        broken = true;
        timers.schedule(this::open, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() throws Exception {
        closed = true;
        if (stream != null) {
            stream.close();
        }
    }
}
