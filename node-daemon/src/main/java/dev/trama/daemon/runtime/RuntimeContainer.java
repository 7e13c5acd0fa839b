package dev.trama.daemon.runtime;

import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ContainerStatus;
import java.util.Map;

/**
 * A container as the engine reports it: its state ({@link ContainerState#isObserved() running, exited,
 * restarting or created}), and the PID of its process while it runs (0 otherwise). What only an inspection
 * tells (the exit code, restarts, image id, times) is null or 0 in a listing.
 */
public record RuntimeContainer(String id, Map<String, String> labels, ContainerState state, long pid, Integer exitCode,
                               int restarts, String imageId, String created, String started) {

    public RuntimeContainer {
        labels = Map.copyOf(labels);
        if (state == null || !state.isObserved()) {
            throw new IllegalArgumentException("an engine's container is running, exited, restarting or created");
        }
    }

    /** As a listing gives it. */
    public RuntimeContainer(String id, Map<String, String> labels, ContainerState state, long pid) {
        this(id, labels, state, pid, null, 0, null, null, null);
    }

    public boolean running() {
        return state == ContainerState.RUNNING && pid > 0;
    }

    /** The state with the exit code of an exited container (-1 when the engine did not say it). */
    public ContainerStatus status() {
        return state == ContainerState.EXITED ? ContainerStatus.exited(exitCode == null ? -1 : exitCode)
                : ContainerStatus.of(state);
    }

    public String label(String key) {
        return labels.getOrDefault(key, "");
    }
}
