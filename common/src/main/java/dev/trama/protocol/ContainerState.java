package dev.trama.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a container stands: first as the cluster records it (pending, removing, removed, unknown), and once
 * its node has launched it, as the engine on that node last reported it (running, exited, restarting,
 * created). On the wire as the lowercase word; {@link ContainerStatus} adds an exited container's code.
 */
public enum ContainerState {
    /** Recorded, with its address; its node has not confirmed the launch yet. */
    @JsonProperty("pending") PENDING,
    @JsonProperty("running") RUNNING,
    /** Its process ended; it keeps its name and address until it is removed (or restarted by its policy). */
    @JsonProperty("exited") EXITED,
    /** The engine is about to start it again, by its restart policy. */
    @JsonProperty("restarting") RESTARTING,
    /** Made by the engine but not started. */
    @JsonProperty("created") CREATED,
    /** A removal was asked for; its node has not confirmed it yet. */
    @JsonProperty("removing") REMOVING,
    /** Gone: the answer to a removal that its node confirmed. */
    @JsonProperty("removed") REMOVED,
    /** Its node is down: the container may well be running, but nobody can tell. */
    @JsonProperty("unknown") UNKNOWN;

    /** The states an engine reports of a container it has. */
    public boolean isObserved() {
        return this == RUNNING || this == EXITED || this == RESTARTING || this == CREATED;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
