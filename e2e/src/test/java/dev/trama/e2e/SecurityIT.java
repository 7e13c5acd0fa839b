package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.identity.JoinToken;
import dev.trama.testkit.Project;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import dev.trama.transport.CurveKeyPair;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's doors, on the simulated LAN with the real programs: a daemon without the cluster's token
 * never joins, a console is root's (or the trama group's) only, and one outsider's flood costs no node its
 * standing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class SecurityIT {

    private TramaCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(3);
        for (int host = 1; host <= 3; host++) {
            assertThat(cluster.console(host, "configure", "10.48.0.0/16").exitCode()).isZero();
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A daemon for a new node on host 3 (its own state and console port), given these extra arguments. */
    private Shell.Result newcomer(String name, String... args) {
        List<String> argv = new ArrayList<>(List.of("env", cluster.runDirVariable(), "java", "-jar",
                Project.daemonJar().toString(), name,
                cluster.lan().serverAddress(), "--iface", "eth0", "--service-port", "5033",
                "--state-dir", cluster.stateDir(3).resolveSibling("state-" + name).toString()));
        argv.addAll(List.of(args));
        return Shell.run(Shell.in(cluster.lan().host(3), argv.toArray(String[]::new)), 120);
    }

    private String nodes() {
        return cluster.etcdctl("get", "--prefix", "--keys-only", "/trama/v1/nodes/").out();
    }

    @Test
    void withoutTheClustersTokenNoDaemonJoins() {
        Shell.Result none = newcomer("tokenless");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("node 'tokenless' has not joined a cluster yet: give it the cluster's join token");

        JoinToken real = JoinToken.parse(cluster.joinToken());
        String wrongSecret = new JoinToken(real.clusterId(), real.serverKey(), JoinToken.newSecret()).toString();
        Shell.Result wrong = newcomer("wrongsecret", "--token", wrongSecret);
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("node 'wrongsecret' cannot join: the join token of node 'wrongsecret' is not"
                + " valid for this cluster");

        String otherCluster = new JoinToken("0ther000", CurveKeyPair.generate().publicKey(), JoinToken.newSecret()).toString();
        Shell.Result other = newcomer("othercluster", "--token", otherCluster);
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.err()).contains("node 'othercluster' cannot join: the server listens but does not answer node"
                + " 'othercluster': it does not prove the key of the join token");

        assertThat(nodes()).doesNotContain("tokenless").doesNotContain("wrongsecret").doesNotContain("othercluster");

        // rotated: the old token admits no one new, the nodes that joined carry on
        cluster.joinToken("--rotate");
        Shell.Result stale = newcomer("stale", "--token", real.toString());
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.err()).contains("is not valid for this cluster");
        assertThat(cluster.console(1, "nodes").exitCode()).isZero();
    }

    @Test
    void theConsoleIsRootsOnly(@TempDir Path temp) throws IOException {
        // a copy anyone may read, wherever the project lies
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Project.consoleJar(), temp.resolve("trama-console.jar"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> argv = new ArrayList<>(Shell.in(cluster.lan().host(1), "runuser", "-u", "nobody", "--", "env",
                cluster.runDirVariable(), "java",
                "-XX:+UseSerialGC", "-jar", jar.toString(), "ps"));
        Shell.Result nobody = Shell.run(argv, 120);
        assertThat(nobody.exitCode()).as(nobody.err()).isEqualTo(1);
        assertThat(nobody.err()).isEqualTo("trama: permission denied: run as root or as a member of the trama group\n");
        assertThat(cluster.console(1, "ps").exitCode()).isZero();
    }

    @Test
    void oneOutsidersFloodCostsNoNodeItsStandingAndNoConsoleItsAnswer() throws Exception {
        int serverLog = cluster.sinceLastStart("server").length();
        JoinToken token = JoinToken.parse(cluster.joinToken());
        CompletableFuture<Shell.Result> flood = CompletableFuture.supplyAsync(() -> Shell.run(Shell.in(cluster.lan().host(3),
                "java", "-cp", testClasses() + ":" + Project.consoleJar(), Flood.class.getName(),
                "tcp://" + cluster.lan().serverAddress() + ":8081", token.serverKey(), "10000"), 240));
        // consoles are answered while the flood lasts
        while (!flood.isDone()) {
            Shell.Result ps = cluster.console(1, "ps");
            assertThat(ps.exitCode()).as(ps.err()).isZero();
        }
        Shell.Result flooded = flood.get();
        assertThat(flooded.out()).as(flooded.err()).startsWith("sent 10000");
        assertThat(cluster.sinceLastStart("server").substring(serverLog)).doesNotContain(" is down");
        for (int host = 1; host <= 3; host++) {
            assertThat(cluster.console(host, "nodes").out()).doesNotContain("down");
        }
    }

    private static Path testClasses() {
        try {
            return Path.of(Flood.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
