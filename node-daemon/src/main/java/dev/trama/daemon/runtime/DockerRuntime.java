package dev.trama.daemon.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.trama.protocol.ContainerOptions;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.LogLine;
import dev.trama.protocol.PullProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** {@link ContainerRuntime} on the Docker Engine API, through docker-java. The only class that uses it. */
public final class DockerRuntime implements ContainerRuntime {

    /** A pull that hears nothing from the registry this long is given up. */
    private static final Duration PULL_IDLE = Duration.ofMinutes(2);
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);
    /** How long one read of a container's logs may take; what is read by then is answered. */
    private static final Duration LOGS_WAIT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private DockerClient client;
    /** For the event stream, which may stay silent for hours: no response timeout. */
    private DockerClient streaming;

    public DockerRuntime(String dockerHost) {
        this.host = dockerHost;
    }

    /** Made on first use, so that a daemon's start (and its registration) does not wait for it. */
    private synchronized DockerClient docker() {
        if (client == null) {
            client = connect(Duration.ofSeconds(60));
        }
        return client;
    }

    private synchronized DockerClient streaming() {
        if (streaming == null) {
            streaming = connect(null);
        }
        return streaming;
    }

    private DockerClient connect(Duration responseTimeout) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
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
                            stateOf(c.getState()), 0))
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
            ContainerState observed = stateOf(state.getStatus());
            Long pid = state.getPidLong();
            Long exitCode = state.getExitCodeLong();
            Map<String, String> labels = response.getConfig().getLabels();
            return Optional.of(new RuntimeContainer(response.getId(), labels == null ? Map.of() : labels, observed,
                    observed == ContainerState.RUNNING && pid != null ? pid : 0,
                    observed == ContainerState.EXITED && exitCode != null ? exitCode.intValue() : null,
                    response.getRestartCount() == null ? 0 : response.getRestartCount(),
                    response.getImageId(), instant(response.getCreated()), instant(state.getStartedAt())));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot inspect container " + id + ": " + reason(e), e);
        }
    }

    /** Docker's word for a container's state, as one Trama shows: paused counts as running, dead as exited. */
    static ContainerState stateOf(String word) {
        return switch (word == null ? "" : word) {
            case "running", "paused" -> ContainerState.RUNNING;
            case "restarting" -> ContainerState.RESTARTING;
            case "created" -> ContainerState.CREATED;
            default -> ContainerState.EXITED;
        };
    }

    /** An engine's timestamp in UTC, or null for the engine's "never" (year 1) and what cannot be read. */
    static String instant(String timestamp) {
        try {
            Instant at = Instant.parse(timestamp);
            return at.isBefore(Instant.EPOCH) ? null : at.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void ensureImage(String image, Consumer<PullProgress> progress) {
        try {
            docker().inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException e) {
            // not here: pull it
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot inspect image '" + image + "': " + reason(e), e);
        }
        PullTracker tracker = new PullTracker();
        AtomicLong heardAt = new AtomicLong(System.nanoTime());
        AtomicReference<String> refusal = new AtomicReference<>();
        Streamed<PullResponseItem> pull = new Streamed<>() {
            @Override
            public void onNext(PullResponseItem item) {
                heardAt.set(System.nanoTime());
                if (item.getErrorDetail() != null || item.getError() != null) {
                    refusal.compareAndSet(null, item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                            ? item.getErrorDetail().getMessage() : item.getError());
                    return;
                }
                ResponseItem.ProgressDetail detail = item.getProgressDetail();
                if (tracker.accept(item.getId(), item.getStatus(), detail == null ? null : detail.getCurrent(),
                        detail == null ? null : detail.getTotal())) {
                    progress.accept(tracker.progress());
                }
            }
        };
        try (pull) {
            streaming().pullImageCmd(image).exec(pull);
            while (!pull.awaitEnd(1, TimeUnit.SECONDS)) {
                if (System.nanoTime() - heardAt.get() > PULL_IDLE.toNanos()) {
                    throw new RuntimeFailure("pulling image '" + image + "' made no progress for "
                            + PULL_IDLE.toMinutes() + " minutes", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while pulling image '" + image + "'", e);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot stop pulling image '" + image + "': " + e.getMessage(), e);
        } catch (RuntimeFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RuntimeFailure("image '" + image + "' cannot be pulled: " + reason(e), e);
        }
        if (pull.failure() != null) {
            throw new RuntimeFailure("image '" + image + "' cannot be pulled: " + reason(pull.failure()), pull.failure());
        }
        if (refusal.get() != null) {
            throw new RuntimeFailure("image '" + image + "' cannot be pulled: " + refusal.get().strip(), null);
        }
    }

    @Override
    public RuntimeContainer start(ContainerSpec spec) {
        String id = null;
        try {
            ContainerOptions options = spec.options();
            HostConfig host = HostConfig.newHostConfig()
                    .withNetworkMode("none")
                    .withRestartPolicy(restartPolicy(options.restart()))
                    .withDns(spec.nameserver())
                    .withDnsSearch(spec.searchDomain());
            if (options.memoryBytes() > 0) {
                host.withMemory(options.memoryBytes());
            }
            if (options.nanoCpus() > 0) {
                host.withNanoCPUs(options.nanoCpus());
            }
            CreateContainerCmd create = docker().createContainerCmd(spec.image())
                    .withName(spec.runtimeName())
                    .withHostName(spec.hostname())
                    .withLabels(spec.labels())
                    .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withHostConfig(host);
            if (!spec.command().isEmpty()) {
                create.withCmd(spec.command());
            }
            CreateContainerResponse created = create.exec();
            id = created.getId();
            docker().startContainerCmd(id).exec();
            return inspect(id).orElseThrow(() -> new RuntimeFailure("the container vanished after its start", null));
        } catch (RuntimeException e) {
            if (id != null) {
                remove(id);
            }
            throw e instanceof RuntimeFailure ? e : new RuntimeFailure("cannot start the container: " + reason(e), e);
        }
    }

    private static RestartPolicy restartPolicy(dev.trama.protocol.RestartPolicy policy) {
        return switch (policy.mode()) {
            case NO -> RestartPolicy.noRestart();
            case ON_FAILURE -> RestartPolicy.onFailureRestart(policy.maxRetries());
            case ALWAYS -> RestartPolicy.alwaysRestart();
            case UNLESS_STOPPED -> RestartPolicy.unlessStoppedRestart();
        };
    }

    @Override
    public AutoCloseable follow(Map<String, String> labels, BiConsumer<String, Map<String, String>> changed,
                                Consumer<Throwable> ended) {
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                if (event.getId() != null) {
                    Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
                    changed.accept(event.getId(), attributes == null ? Map.of() : attributes);
                }
            }

            @Override
            public void onError(Throwable error) {
                ended.accept(error);
            }

            @Override
            public void onComplete() {
                ended.accept(null);
            }
        };
        try {
            return streaming().eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withEventFilter("start", "die")
                    .withLabelFilter(labels)
                    .exec(callback);
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot follow the engine's events: " + reason(e), e);
        }
    }

    @Override
    public Output logs(String id, int tail, long sinceSeconds, int maxLines, int maxChars) {
        List<LogLine> lines = new ArrayList<>();
        int[] chars = {0};
        AtomicBoolean more = new AtomicBoolean();
        Streamed<Frame> reader = new Streamed<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (lines) {
                    if (more.get()) {
                        return;
                    }
                    String stream = frame.getStreamType() == StreamType.STDERR ? "stderr" : "stdout";
                    for (String line : new String(frame.getPayload(), StandardCharsets.UTF_8).split("\n")) {
                        int space = line.indexOf(' ');
                        if (space <= 0) {
                            continue;
                        }
                        if (lines.size() >= maxLines || chars[0] + line.length() > maxChars) {
                            more.set(true);
                            end();
                            return;
                        }
                        try {
                            lines.add(new LogLine(line.substring(0, space), stream, line.substring(space + 1)));
                            chars[0] += line.length();
                        } catch (IllegalArgumentException notATimestamp) {
                            // the engine prefixes every line with its time; anything else is not a line of the log
                        }
                    }
                }
            }
        };
        var command = docker().logContainerCmd(id).withStdOut(true).withStdErr(true).withTimestamps(true)
                .withFollowStream(false);
        if (tail >= 0) {
            command.withTail(tail);
        }
        if (sinceSeconds > 0) {
            command.withSince((int) Math.min(Integer.MAX_VALUE, sinceSeconds));
        }
        try (reader) {
            command.exec(reader);
            if (!reader.awaitEnd(LOGS_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                more.set(true); // what was read so far; the rest on the next request
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while reading the logs of container " + id, e);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot stop reading the logs of container " + id + ": " + e.getMessage(), e);
        } catch (NotFoundException e) {
            throw new RuntimeFailure("container " + id + " is gone", e);
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot read the logs of container " + id + ": " + reason(e), e);
        }
        if (reader.failure() != null) {
            throw new RuntimeFailure("cannot read the logs of container " + id + ": " + reason(reader.failure()), reader.failure());
        }
        synchronized (lines) {
            return new Output(List.copyOf(lines), more.get());
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
        for (DockerClient open : new DockerClient[] {client, streaming}) {
            if (open == null) {
                continue;
            }
            try {
                open.close();
            } catch (IOException e) {
                // closing on the way out
            }
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
