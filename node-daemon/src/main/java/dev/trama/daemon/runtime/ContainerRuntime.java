package dev.trama.daemon.runtime;

import dev.trama.protocol.PullProgress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

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

    /**
     * Makes the image available, pulling it when it is not there; {@code progress} hears how far the pull is
     * each time that changes. A pull fails when it makes no progress for a while, never for taking long.
     */
    void ensureImage(String image, Consumer<PullProgress> progress);

    /**
     * Creates and starts a container with no network but loopback; returns it as it stands just after: running
     * with its PID, or already exited (a short command), or restarting by its policy.
     */
    RuntimeContainer start(ContainerSpec spec);

    /**
     * What a container printed, oldest first, with the engine's timestamps: its last {@code tail} lines ({@code -1}:
     * all) from {@code sinceSeconds} on ({@code 0}: from the start), at most {@code maxLines} lines and
     * {@code maxChars} characters; {@link Output#more} when it stopped there.
     */
    Output logs(String id, int tail, long sinceSeconds, int maxLines, int maxChars);

    /** Lines of a container's output, and whether more followed than were read. */
    record Output(List<dev.trama.protocol.LogLine> lines, boolean more) {
    }

    /** Removes a container, killing it if it runs. One that is already gone is not an error. */
    void remove(String id);

    /**
     * Calls {@code changed} with the id and labels of each container carrying these labels that starts or ends,
     * from now until the returned handle is closed or the stream breaks ({@code ended} is then called with the
     * reason, or null when the engine ended it). Calls come from one thread, in the engine's order.
     */
    AutoCloseable follow(Map<String, String> labels, BiConsumer<String, Map<String, String>> changed,
                         Consumer<Throwable> ended);

    @Override
    void close();
}
