package dev.trama.daemon.runtime;

import dev.trama.protocol.ContainerState;
import dev.trama.protocol.PullProgress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A container engine in memory, containers by id, for tests of what runs containers. */
public final class MemoryRuntime implements ContainerRuntime {

    public final Map<String, RuntimeContainer> containers = new LinkedHashMap<>();
    public int started;
    /** Images this engine has not and cannot get. */
    public final Set<String> missingImages = new HashSet<>();

    /** Every container's process ends with this code. */
    public void exitAll(int code) {
        containers.replaceAll((id, c) -> new RuntimeContainer(id, c.labels(), ContainerState.EXITED, 0, code, c.restarts(),
                null, null, null));
    }

    /** The engine starts a container again (by its restart policy), in a new process. */
    public RuntimeContainer restart(String id) {
        RuntimeContainer before = containers.get(id);
        started++;
        RuntimeContainer after = new RuntimeContainer(id, before.labels(), ContainerState.RUNNING, 4000 + started, null,
                before.restarts() + 1, null, null, null);
        containers.put(id, after);
        return after;
    }

    @Override
    public void ping() {
    }

    @Override
    public List<RuntimeContainer> list(Map<String, String> labels) {
        List<RuntimeContainer> matching = new ArrayList<>();
        // as the engine lists them: without what only an inspection tells (the PID, the exit code...)
        containers.values().stream().filter(c -> c.labels().entrySet().containsAll(labels.entrySet()))
                .map(c -> new RuntimeContainer(c.id(), c.labels(), c.state(), 0)).forEach(matching::add);
        return matching;
    }

    @Override
    public Optional<RuntimeContainer> inspect(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public void ensureImage(String image, Consumer<PullProgress> progress) {
        if (missingImages.contains(image)) {
            throw new RuntimeFailure("image '" + image + "' is not available", null);
        }
    }

    @Override
    public RuntimeContainer start(ContainerSpec spec) {
        started++;
        String id = UUID.randomUUID().toString().replace("-", "");
        RuntimeContainer container = new RuntimeContainer(id, spec.labels(), ContainerState.RUNNING, 4000 + started);
        containers.put(id, container);
        return container;
    }

    @Override
    public void remove(String id) {
        containers.remove(id);
    }

    /** What each container printed, by id. */
    public final Map<String, List<dev.trama.protocol.LogLine>> output = new LinkedHashMap<>();

    @Override
    public Output logs(String id, int tail, long sinceSeconds, int maxLines, int maxChars) {
        List<dev.trama.protocol.LogLine> all = output.getOrDefault(id, List.of()).stream()
                .filter(line -> java.time.Instant.parse(line.at()).getEpochSecond() >= sinceSeconds).toList();
        List<dev.trama.protocol.LogLine> last = tail < 0 ? all : all.subList(Math.max(0, all.size() - tail), all.size());
        return new Output(last.subList(0, Math.min(maxLines, last.size())), last.size() > maxLines);
    }

    @Override
    public AutoCloseable follow(Map<String, String> labels, BiConsumer<String, Map<String, String>> changed,
                                Consumer<Throwable> ended) {
        return () -> { };
    }

    @Override
    public void close() {
    }
}
