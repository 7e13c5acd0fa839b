package dev.trama.daemon.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link ContainerRuntime} on the Docker Engine API, through docker-java. The only class that uses it. */
public final class DockerRuntime implements ContainerRuntime {

    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private DockerClient client;

    public DockerRuntime(String dockerHost) {
        this.host = dockerHost;
    }

    /** Made on first use, so that a daemon's start (and its registration) does not wait for it. */
    private synchronized DockerClient docker() {
        if (client == null) {
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host)
                    .build();
            ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(5))
                    .responseTimeout(Duration.ofSeconds(60))
                    .build();
            client = DockerClientImpl.getInstance(config, http);
        }
        return client;
    }

    @Override
    public void ping() {
        try {
            docker().pingCmd().exec();
        } catch (RuntimeException e) {
            throw new RuntimeFailure("the Docker Engine at " + host + " does not answer: " + reason(e), e);
        }
    }

    @Override
    public List<RuntimeContainer> list(Map<String, String> labels) {
        try {
            List<Container> found = docker().listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
            return found.stream()
                    .map(c -> new RuntimeContainer(c.getId(), c.getLabels() == null ? Map.of() : c.getLabels(),
                            "running".equals(c.getState()), 0))
                    .toList();
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot list containers: " + reason(e), e);
        }
    }

    @Override
    public Optional<RuntimeContainer> inspect(String id) {
        try {
            InspectContainerResponse response = docker().inspectContainerCmd(id).exec();
            InspectContainerResponse.ContainerState state = response.getState();
            boolean running = Boolean.TRUE.equals(state.getRunning());
            Long pid = state.getPidLong();
            Map<String, String> labels = response.getConfig().getLabels();
            return Optional.of(new RuntimeContainer(response.getId(), labels == null ? Map.of() : labels, running,
                    running && pid != null ? pid : 0));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot inspect container " + id + ": " + reason(e), e);
        }
    }

    @Override
    public void ensureImage(String image) {
        try {
            docker().inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException e) {
            // not here: pull it
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot inspect image '" + image + "': " + reason(e), e);
        }
        try {
            if (!docker().pullImageCmd(image).exec(new PullImageResultCallback()).awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new RuntimeFailure("pulling image '" + image + "' took longer than " + PULL_TIMEOUT.toMinutes() + " minutes", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while pulling image '" + image + "'", e);
        } catch (RuntimeException e) {
            throw new RuntimeFailure("image '" + image + "' is not on this node and cannot be pulled: " + reason(e), e);
        }
    }

    @Override
    public RuntimeContainer start(ContainerSpec spec) {
        String id = null;
        try {
            CreateContainerCmd create = docker().createContainerCmd(spec.image())
                    .withName(spec.runtimeName())
                    .withHostName(spec.hostname())
                    .withLabels(spec.labels())
                    .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                            .withDns(spec.nameserver()).withDnsSearch(spec.searchDomain()));
            if (!spec.command().isEmpty()) {
                create.withCmd(spec.command());
            }
            CreateContainerResponse created = create.exec();
            id = created.getId();
            docker().startContainerCmd(id).exec();
            RuntimeContainer started = inspect(id).orElseThrow(() -> new RuntimeFailure("the container vanished after its start", null));
            if (!started.running() || started.pid() <= 0) {
                throw new RuntimeFailure("the container exited right after its start (check its command)", null);
            }
            return started;
        } catch (RuntimeException e) {
            if (id != null) {
                remove(id);
            }
            throw e instanceof RuntimeFailure ? e : new RuntimeFailure("cannot start the container: " + reason(e), e);
        }
    }

    @Override
    public void remove(String id) {
        try {
            docker().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            // with force, the engine's one conflict is a removal that someone else has under way
            awaitGone(id);
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot remove container " + id + ": " + reason(e), e);
        }
    }

    /** Waits out a removal someone else started, so that "removed" always means gone. */
    private void awaitGone(String id) {
        long deadline = System.nanoTime() + REMOVAL_WAIT.toNanos();
        while (inspect(id).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new RuntimeFailure("container " + id + " is still being removed after " + REMOVAL_WAIT.toSeconds() + " s", null);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailure("interrupted while container " + id + " was being removed", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (client == null) {
            return;
        }
        try {
            client.close();
        } catch (IOException e) {
            // closing on the way out
        }
    }

    /** The engine's own message, without docker-java's status line and JSON wrapping. */
    static String reason(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int json = message.indexOf("{\"message\"");
        if (json >= 0) {
            try {
                JsonNode body = JSON.readTree(message.substring(json));
                if (body.hasNonNull("message")) {
                    return body.get("message").asText().strip();
                }
            } catch (IOException unreadable) {
                // not JSON after all: the whole message will do
            }
        }
        return message.strip();
    }
}
