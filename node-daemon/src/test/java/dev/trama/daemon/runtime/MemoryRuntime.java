package dev.trama.daemon.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A container engine in memory, containers by id, for tests of what runs containers. */
public final class MemoryRuntime implements ContainerRuntime {

    public final Map<String, RuntimeContainer> containers = new LinkedHashMap<>();
    public int started;
    /** Images this engine has not and cannot get. */
    public final Set<String> missingImages = new HashSet<>();

    public void stopAll() {
        containers.replaceAll((id, c) -> new RuntimeContainer(id, c.labels(), false, 0));
    }

    @Override
    public void ping() {
    }

    @Override
    public List<RuntimeContainer> list(Map<String, String> labels) {
        List<RuntimeContainer> matching = new ArrayList<>();
        containers.values().stream().filter(c -> c.labels().entrySet().containsAll(labels.entrySet())).forEach(matching::add);
        return matching;
    }

    @Override
    public Optional<RuntimeContainer> inspect(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public void ensureImage(String image) {
        if (missingImages.contains(image)) {
            throw new RuntimeFailure("image '" + image + "' is not available", null);
        }
    }

    @Override
    public RuntimeContainer start(ContainerSpec spec) {
        started++;
        String id = UUID.randomUUID().toString().replace("-", "");
        RuntimeContainer container = new RuntimeContainer(id, spec.labels(), true, 4000 + started);
        containers.put(id, container);
        return container;
    }

    @Override
    public void remove(String id) {
        containers.remove(id);
    }

    @Override
    public void close() {
    }
}
