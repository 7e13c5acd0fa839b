package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A lab cluster in plain text (--insecure on the server and the daemons) works as before; a secure daemon
 * never mixes with it: its first join ends, saying why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class InsecureIT {

    private TramaCluster cluster;
    private Containers containers;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(2, List.of("--insecure"));
        containers = new Containers(cluster);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPlainTextClusterCarriesTheOverlayAndASecureNodeNeverJoinsIt() {
        assertThat(cluster.sinceLastStart("server")).contains("insecure: plain text on every port");
        assertThat(cluster.sinceLastStart("daemon-1")).contains("insecure: plain text to the server");
        for (int host = 1; host <= 2; host++) {
            assertThat(cluster.console(host, "configure", "10.49.0.0/16").exitCode()).isZero();
        }
        assertThat(cluster.console(1, "run", cluster.node(1), "p1").exitCode()).isZero();
        Shell.Result p2 = cluster.console(1, "run", cluster.node(2), "p2");
        assertThat(p2.exitCode()).as(p2.err()).isZero();
        String address = p2.out().strip().replaceAll(".* at ", "").replaceAll("/16$", "");
        await().atMost(30, TimeUnit.SECONDS).until(() -> containers.ping(1, "p1", address));

        // a daemon that wants CURVE, with the cluster's token, meets a plain-text server: it does not join
        cluster.stopDaemon(2);
        Shell.Result secure = cluster.lan().exec(cluster.lan().host(2), "env", cluster.runDirVariable(), "java", "-jar",
                dev.trama.testkit.Project.daemonJar().toString(), "stranger", cluster.lan().serverAddress(),
                "--iface", "eth0", "--state-dir", cluster.stateDir(2).resolveSibling("state-stranger").toString(),
                "--service-port", "5012", "--token", cluster.joinToken());
        assertThat(secure.exitCode()).isEqualTo(1);
        assertThat(secure.err()).contains("trama-daemon: node 'stranger' cannot join: the server listens but does"
                + " not answer node 'stranger': it does not prove the key of the join token");
        assertThat(cluster.etcdctl("get", "--prefix", "--keys-only", "/trama/v1/nodes/").out()).doesNotContain("stranger");
    }
}
