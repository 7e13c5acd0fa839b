package dev.trama.daemon.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container engine, as much of it as Trama uses. Failures are {@link RuntimeFailure}s whose messages
 * say what failed in words for a user.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Throws unless the engine answers. */
    void ping();

    /** Containers carrying every one of these labels, running or not. */
    List<RuntimeContainer> list(Map<String, String> labels);

    Optional<RuntimeContainer> inspect(String id);

    /** Makes the image available, pulling it when it is not there. */
    void ensureImage(String image);

    /** Creates and starts a container with no network but loopback; returns it running, with its PID. */
    RuntimeContainer start(ContainerSpec spec);

    /** Removes a container, killing it if it runs. One that is already gone is not an error. */
    void remove(String id);

    @Override
    void close();
}
