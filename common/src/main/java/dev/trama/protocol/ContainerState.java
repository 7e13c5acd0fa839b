package dev.trama.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the cluster knows of a container, as consoles show it; on the wire as the lowercase word. */
public enum ContainerState {
    /** Recorded, with its address; its node has not confirmed the launch yet. */
    @JsonProperty("pending") PENDING,
    @JsonProperty("running") RUNNING,
    /** A removal was asked for; its node has not confirmed it yet. */
    @JsonProperty("removing") REMOVING,
    /** Gone: the answer to a removal that its node confirmed. */
    @JsonProperty("removed") REMOVED,
    /** Its node is down: the container may well be running, but nobody can tell. */
    @JsonProperty("unknown") UNKNOWN;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
