package dev.trama.daemon.runtime;

import dev.trama.protocol.ContainerOptions;
import java.util.List;
import java.util.Map;

/**
 * What to create: Docker's name for it, the image, its hostname, labels, environment and command, how it runs
 * (restart policy, limits), and its one nameserver with the search domain that its resolv.conf names.
 */
public record ContainerSpec(String runtimeName, String image, String hostname, Map<String, String> labels,
                           Map<String, String> env, List<String> command, ContainerOptions options, String nameserver,
                           String searchDomain) {
    public ContainerSpec {
        labels = Map.copyOf(labels);
        env = Map.copyOf(env);
        command = List.copyOf(command);
        options = ContainerOptions.orDefault(options);
    }
}
