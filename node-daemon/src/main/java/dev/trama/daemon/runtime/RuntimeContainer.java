package dev.trama.daemon.runtime;

import java.util.Map;

/** A container as the engine reports it. {@code pid} is 0 when it is not running. */
public record RuntimeContainer(String id, Map<String, String> labels, boolean running, long pid) {
    public RuntimeContainer {
        labels = Map.copyOf(labels);
    }

    public String label(String key) {
        return labels.getOrDefault(key, "");
    }
}
