package dev.trama.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real etcd (Debian's {@code /usr/bin/etcd}, started by {@code scripts/lib/etcd} with the command line
 * {@code scripts/trama-sim} uses too) on free loopback ports with a temporary data directory, removed
 * again by {@link #close()}. {@link #stop()} and {@link #start()} take it down and up with its data kept,
 * for tests of a store that goes away.
 */
public final class EtcdProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

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
        try {
            start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(Project.script("etcd", "trama-test", dataDir.resolve("data").toString(),
                Integer.toString(clientPort), Integer.toString(peerPort)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
            Reaper.track(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start etcd through " + builder.command().get(0) + ": " + e.getMessage(), e);
        }
        try {
            awaitPort();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops etcd and keeps its data, so {@link #start()} brings the same state back. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Reaper.stop(process, false);
        process = null;
    }

    private void awaitPort() {
        Process started = process;
        try {
            await("etcd listening on " + clientPort).atMost(START_TIMEOUT).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        if (!started.isAlive()) {
                            throw new IllegalStateException("etcd exited at start (" + started.exitValue() + "): "
                                    + Logs.tail(log, Logs.START_FAILURE_LINES));
                        }
                        return listening();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("etcd did not listen on " + clientPort + " within " + START_TIMEOUT.toSeconds()
                    + " s: " + Logs.tail(log, Logs.START_FAILURE_LINES), e);
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
            return true;
        } catch (IOException notYet) {
            return false;
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
