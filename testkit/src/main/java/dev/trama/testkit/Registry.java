package dev.trama.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real image registry (Debian's {@code docker-registry}) on a free loopback port, storing in a temporary
 * directory that {@link #close()} removes. The Docker Engine pushes to and pulls from a registry on 127.0.0.0/8
 * without TLS, so {@link #push} gives the engine's nodes an image they do not have. {@link #close()} also
 * removes from the engine the images pulled from here.
 */
public final class Registry implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final Process process;
    private final List<String> pushed = new CopyOnWriteArrayList<>();

    private Registry(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static Registry start() {
        Reaper.reapLeftovers();
        Path dir;
        try {
            dir = Files.createTempDirectory("trama-registry-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = FreePorts.next();
        Path config = dir.resolve("config.yml");
        Path log = dir.resolve("registry.log");
        try {
            Files.writeString(config, String.join("\n",
                    "version: 0.1",
                    "storage:",
                    "  filesystem:",
                    "    rootdirectory: " + dir.resolve("data"),
                    "  delete:",
                    "    enabled: true",
                    "http:",
                    "  addr: 127.0.0.1:" + port,
                    ""));
            Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Reaper.track(process);
            Registry registry = new Registry(dir, port, process);
            registry.awaitListening(log);
            return registry;
        } catch (IOException | RuntimeException e) {
            EtcdProcess.deleteTree(dir);
            throw new IllegalStateException("cannot start the image registry: " + e.getMessage(), e);
        }
    }

    private void awaitListening(Path log) {
        try {
            await("registry listening on " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("it exited: " + Logs.tail(log, Logs.START_FAILURE_LINES));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException | IllegalStateException e) {
            Reaper.stop(process, true);
            throw e;
        }
    }

    /** The registry's part of an image reference: {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * Makes an image of the base image plus a layer of {@code megabytes} of random data, pushes it here as
     * {@code REPOSITORY:TAG}, and removes it from the engine: a node has to pull it. Returns its reference.
     */
    public String push(String repository, String tag, int megabytes) {
        String reference = host() + "/" + repository + ":" + tag;
        String container = Shell.check("docker", "create", "trama/base:latest", "true").out().strip();
        try {
            Path payload = Files.createTempFile(dir, "payload-", ".bin");
            byte[] random = new byte[megabytes * 1024 * 1024];
            new Random().nextBytes(random);
            Files.write(payload, random);
            Shell.check("docker", "cp", payload.toString(), container + ":/payload.bin");
            Shell.check("docker", "commit", container, reference);
            Files.delete(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Shell.check("docker", "rm", "-f", container);
        }
        Shell.run(List.of("docker", "push", reference), 120).check();
        pushed.add(reference);
        Shell.check("docker", "rmi", reference);
        return reference;
    }

    @Override
    public void close() {
        for (String reference : pushed) {
            Shell.run("docker", "rmi", "-f", reference); // pulled by a node, or not: either way gone
        }
        Reaper.stop(process, false);
        EtcdProcess.deleteTree(dir);
    }
}
