package dev.trama.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.ServerRequest.GetCluster;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.TramaException;
import dev.trama.server.cluster.Keys;
import dev.trama.server.store.EtcdStore;
import dev.trama.server.store.EtcdTls;
import dev.trama.server.store.EtcdTlsException;
import dev.trama.server.store.Txn;
import dev.trama.server.store.WatchListener;
import dev.trama.testkit.FreePorts;
import dev.trama.testkit.Reaper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The store and the server against a real etcd that speaks only TLS and checks client certificates
 * (--client-cert-auth), with certificates made here by openssl: the cluster's own files work; a client
 * certificate of another CA, a CA that did not sign etcd's certificate, and plain text to the TLS port
 * each end the server with one sentence, while an etcd that is not there is still waited for.
 */
@Timeout(120)
class EtcdTlsIT {

    private static TlsEtcd etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = new TlsEtcd();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static String freshRoot() {
        return "/trama-tls-test/" + UUID.randomUUID() + "/";
    }

    @Test
    void theClusterFilesGiveAStoreThatCommitsReadsAndWatches() throws Exception {
        String root = freshRoot();
        String key = root + "greeting";
        try (EtcdStore store = new EtcdStore(List.of(etcd.endpoint()), etcd.clusterFiles(), Duration.ofSeconds(10))) {
            long before = store.list(root).revision();
            List<String> seen = new CopyOnWriteArrayList<>();
            try (AutoCloseable watch = store.watch(root, before, recording(seen))) {
                assertThat(store.commit(Txn.create().ifAbsent(key).put(key, "hello")).succeeded()).isTrue();
                assertThat(store.commit(Txn.create().ifAbsent(key).put(key, "again")).succeeded()).isFalse();
                assertThat(store.get(key).orElseThrow().text()).isEqualTo("hello");
                await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(seen).containsExactly(key + "=hello"));
            }
        }
    }

    @Test
    void aServerStartsAndServesOverTls() {
        Keys keys = new Keys(freshRoot());
        try (EtcdStore store = new EtcdStore(List.of(etcd.endpoint()), etcd.clusterFiles(), Duration.ofSeconds(10))) {
            TramaServer server = TramaServer.start(TramaServer.Config.of("127.0.0.1", 0, 0, 0).insecurely(), store, keys);
            try (WireClient client = new WireClient("127.0.0.1", server.ports().rep())) {
                client.call(new RegisterNode("n1", "192.0.2.11"));
                ClusterView view = client.call(new GetCluster());
                assertThat(view.nodes()).extracting(NodeInfo::name).containsExactly("n1");
                assertThat(store.get(keys.clusterId())).isPresent();
            } finally {
                server.close();
            }
        }
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefusedAndEndsTheServer() {
        assertRefusedByTheStore(etcd.endpoint(), etcd.otherCaClientFiles(), "TLS handshake failed (");
        Run run = serverMain(etcd.endpoint(), etcd.otherCaClientFiles());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("trama-server: cannot talk to etcd at " + etcd.endpoint() + ": TLS handshake failed (")
                .endsWith(")\n").hasLineCount(1);
    }

    @Test
    void aCaThatDidNotSignEtcdsCertificateIsRefusedAndEndsTheServer() {
        EtcdTls wrongCa = new EtcdTls(etcd.otherCaClientFiles().caCert(), etcd.clusterFiles().cert(), etcd.clusterFiles().key());
        assertRefusedByTheStore(etcd.endpoint(), wrongCa, "TLS handshake failed (");
        Run run = serverMain(etcd.endpoint(), wrongCa);
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("trama-server: cannot talk to etcd at " + etcd.endpoint() + ": TLS handshake failed (")
                .endsWith(")\n").hasLineCount(1);
    }

    @Test
    void plainTextToTheTlsPortIsRefusedAndEndsTheServer() {
        String plain = etcd.endpoint().replace("https://", "http://");
        assertRefusedByTheStore(plain, null, "it expects TLS");
        Run run = serverMain(plain, null);
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("trama-server: cannot talk to etcd at " + plain + ": it expects TLS").hasLineCount(1);
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedNamingIt() {
        Path sec1 = etcd.clusterKeyInSec1Form();
        EtcdTls files = new EtcdTls(etcd.clusterFiles().caCert(), etcd.clusterFiles().cert(), sec1);
        Run run = serverMain(etcd.endpoint(), files);
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("trama-server: cannot use etcd client key " + sec1 + ": not a PEM private key in PKCS#8 form")
                .hasLineCount(1);
    }

    @Test
    void anEtcdThatIsNotThereIsStillWaitedFor() throws InterruptedException {
        Logger serverLog = (Logger) LoggerFactory.getLogger(ServerMain.class);
        // the server's thread logs while the test reads: a list safe for both
        List<String> logged = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> warnings = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                logged.add(event.getFormattedMessage());
            }
        };
        warnings.start();
        serverLog.addAppender(warnings);
        String nowhere = "https://127.0.0.1:" + FreePorts.next();
        AtomicReference<Run> result = new AtomicReference<>();
        Thread main = new Thread(() -> result.set(serverMain(nowhere, etcd.clusterFiles())), "server-main-under-test");
        try {
            main.start();
            await().atMost(30, TimeUnit.SECONDS).until(() -> logged.stream()
                    .filter(message -> message.contains("etcd at " + nowhere + " is unreachable")).count() >= 2);
            assertThat(main.isAlive()).as("the server waits for etcd").isTrue();
        } finally {
            main.interrupt();
            main.join(TimeUnit.SECONDS.toMillis(30));
            serverLog.detachAppender(warnings);
        }
        assertThat(main.isAlive()).isFalse();
        assertThat(result.get().err()).doesNotContain("cannot talk to");
    }

    private static void assertRefusedByTheStore(String endpoint, EtcdTls files, String why) {
        // long enough for a first handshake on a cold JVM: the refusal, not a timeout, is what is tested
        try (EtcdStore store = new EtcdStore(List.of(endpoint), files, Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> store.get(freshRoot() + "x"))
                    .isInstanceOf(EtcdTlsException.class)
                    .hasMessageStartingWith("cannot talk to etcd at " + endpoint + ": " + why)
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        }
    }

    private record Run(int code, String err) {
    }

    /** ServerMain's command in this JVM, as main runs it, on ports the system picks. */
    private static Run serverMain(String endpoint, EtcdTls files) {
        List<String> args = new ArrayList<>(List.of("--etcd", endpoint, "--key-root", freshRoot(), "--bind", "127.0.0.1"));
        if (files != null) {
            args.addAll(List.of("--etcd-cacert", files.caCert().toString(), "--etcd-cert", files.cert().toString(),
                    "--etcd-key", files.key().toString()));
        }
        args.addAll(List.of("0", "0", "0"));
        StringWriter err = new StringWriter();
        var cli = ServerMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute(args.toArray(String[]::new));
        return new Run(code, err.toString());
    }

    private static WatchListener recording(List<String> seen) {
        return new WatchListener() {
            @Override
            public void onPut(String key, byte[] value, long revision) {
                seen.add(key + "=" + new String(value, StandardCharsets.UTF_8));
            }

            @Override
            public void onDelete(String key, long revision) {
                seen.add(key + " deleted");
            }

            @Override
            public void onBroken(Throwable cause) {
                seen.add("broken: " + cause);
            }
        };
    }

    /**
     * A real etcd on loopback ports that speaks only TLS and asks for client certificates signed by its CA,
     * with every file in a temporary directory removed by {@link #close()}. The directory's name carries
     * this JVM's PID, so a later run removes the directory of a run that was killed; {@link Reaper} stops
     * that run's etcd.
     */
    static final class TlsEtcd implements AutoCloseable {

        private static final String BINARY = System.getenv().getOrDefault("TRAMA_ETCD", "/usr/bin/etcd");
        private static final String OPENSSL = "openssl";
        private static final String DIR_PREFIX = "trama-etcd-tls-";

        private final Path dir;
        private final int clientPort = FreePorts.next();
        private final int peerPort = FreePorts.next();
        private Process process;

        TlsEtcd() {
            Reaper.reapLeftovers();
            removeDirectoriesOfDeadRuns();
            try {
                dir = Files.createTempDirectory(DIR_PREFIX + ProcessHandle.current().pid() + "-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                makeCertificates();
                start();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        String endpoint() {
            return "https://127.0.0.1:" + clientPort;
        }

        /** The CA that signed etcd's certificate, and a client certificate of that CA. */
        EtcdTls clusterFiles() {
            return new EtcdTls(dir.resolve("ca.pem"), dir.resolve("client.pem"), dir.resolve("client.key"));
        }

        /** Another CA, and a client certificate of that CA. */
        EtcdTls otherCaClientFiles() {
            return new EtcdTls(dir.resolve("other-ca.pem"), dir.resolve("other-client.pem"), dir.resolve("other-client.key"));
        }

        /** The cluster client's key as "BEGIN EC PRIVATE KEY" (SEC 1), as some tools write keys. */
        Path clusterKeyInSec1Form() {
            Path sec1 = dir.resolve("client-sec1.key");
            openssl("ec", "-in", "client.key", "-out", sec1.getFileName().toString());
            return sec1;
        }

        private void makeCertificates() {
            write("server.ext", "basicConstraints=critical,CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    + "extendedKeyUsage=serverAuth\n");
            write("client.ext", "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n");
            authority("ca", "trama-test-ca");
            signed("server", "etcd", "ca", "server.ext", 1);
            signed("client", "trama-server", "ca", "client.ext", 2);
            authority("other-ca", "another-ca");
            signed("other-client", "trama-server", "other-ca", "client.ext", 3);
        }

        private void authority(String name, String commonName) {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + commonName,
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        }

        private void signed(String name, String commonName, String ca, String extensions, int serial) {
            openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
            openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                    "-set_serial", Integer.toString(serial), "-days", "2", "-extfile", extensions, "-out", name + ".pem");
        }

        private void openssl(String... args) {
            List<String> argv = new ArrayList<>(List.of(OPENSSL));
            argv.addAll(List.of(args));
            Path output = dir.resolve("openssl.out");
            try {
                Process run = new ProcessBuilder(argv).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!run.waitFor(60, TimeUnit.SECONDS)) {
                    run.destroyForcibly().waitFor();
                    throw new IllegalStateException(String.join(" ", argv) + " did not finish within 60 s");
                }
                if (run.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + run.exitValue() + "): "
                            + Files.readString(output));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + OPENSSL + ": install openssl", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
            }
        }

        private void write(String name, String text) {
            try {
                Files.writeString(dir.resolve(name), text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void start() {
            String client = endpoint();
            String peer = "http://127.0.0.1:" + peerPort;
            Path log = dir.resolve("etcd.log");
            try {
                process = new ProcessBuilder(List.of(BINARY,
                        "--name", "trama-tls-test",
                        "--data-dir", dir.resolve("data").toString(),
                        "--listen-client-urls", client,
                        "--advertise-client-urls", client,
                        "--listen-peer-urls", peer,
                        "--initial-advertise-peer-urls", peer,
                        "--initial-cluster", "trama-tls-test=" + peer,
                        "--client-cert-auth",
                        "--trusted-ca-file", dir.resolve("ca.pem").toString(),
                        "--cert-file", dir.resolve("server.pem").toString(),
                        "--key-file", dir.resolve("server.key").toString(),
                        "--log-level", "warn"))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                Reaper.track(process);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start etcd (" + BINARY + "): install etcd-server", e);
            }
            await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("etcd exited at start: " + Files.readString(log));
                }
                return listening(clientPort);
            });
        }

        private static boolean listening(int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }

        @Override
        public void close() {
            if (process != null) {
                Reaper.stop(process, false);
                process = null;
            }
            deleteTree(dir);
        }

        /** Directories of runs whose JVM is gone (killed before it could clean up). */
        private static void removeDirectoriesOfDeadRuns() {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            try (Stream<Path> entries = Files.list(tmp)) {
                entries.filter(p -> p.getFileName().toString().startsWith(DIR_PREFIX))
                        .filter(p -> ownerIsGone(p.getFileName().toString().substring(DIR_PREFIX.length())))
                        .forEach(TlsEtcd::deleteTree);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static boolean ownerIsGone(String pidAndSuffix) {
            try {
                long pid = Long.parseLong(pidAndSuffix.substring(0, pidAndSuffix.indexOf('-')));
                return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
            } catch (RuntimeException e) {
                return false;
            }
        }

        private static void deleteTree(Path root) {
            if (root == null || !Files.exists(root)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
