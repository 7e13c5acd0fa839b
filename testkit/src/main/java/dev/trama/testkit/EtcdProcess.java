package dev.trama.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real etcd (Debian's {@code /usr/bin/etcd}) on free loopback ports with a temporary data directory,
 * removed again by {@link #close()}. {@link #stop()} and {@link #start()} take it down and up with its
 * data kept, for tests of a store that goes away.
 */
public final class EtcdProcess implements AutoCloseable {

    private static final String BINARY = System.getenv().getOrDefault("TRAMA_ETCD", "/usr/bin/etcd");

    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private final Path log;
    private Process process;

    public EtcdProcess() {
        Reaper.reapLeftovers();
        try {
            this.dataDir = Files.createTempDirectory("trama-etcd-");
            this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.clientPort = FreePorts.next();
        this.peerPort = FreePorts.next();
        start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        ProcessBuilder builder = new ProcessBuilder(List.of(BINARY,
                "--name", "trama-test",
                "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "trama-test=" + peer,
                "--log-level", "warn"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
            Reaper.track(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start etcd (" + BINARY + "): install etcd-server", e);
        }
        awaitPort(Duration.ofSeconds(20));
    }

    /** Stops etcd and keeps its data, so {@link #start()} brings the same state back. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Reaper.stop(process, false);
        process = null;
    }

    private void awaitPort(Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited at start: see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("etcd did not listen on " + clientPort + " within " + limit + ": see " + log);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        stop();
        deleteTree(dataDir);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a leftover log in the temp dir is harmless
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
