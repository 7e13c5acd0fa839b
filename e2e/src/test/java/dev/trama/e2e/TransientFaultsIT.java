package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.CpuLoad;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Blips a real LAN has all the time, with the server's defaults (shown down after 2 s, released after 60 s):
 * a switch port down for 8 s, a daemon paused for 8 s, the cluster's etcd replaced by an empty one, and
 * both cores busy for five minutes. None may cost a container, and none but the first two may even show a
 * node down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class TransientFaultsIT {

    private static final Duration BLIP = Duration.ofSeconds(8);

    private TramaCluster cluster;
    private Containers containers;
    private Consistency consistency;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(3);
        containers = new Containers(cluster);
        consistency = new Consistency(cluster);
        for (int host = 1; host <= 3; host++) {
            assertThat(cluster.console(host, "configure", "10.47.0.0/16").exitCode()).isZero();
            Shell.Result run = cluster.console(1, "run", cluster.node(host), "keep" + host);
            assertThat(run.exitCode()).as(run.err()).isZero();
        }
    }

    @AfterEach
    void wholeAgain() {
        cluster.restoreAll();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String address(int host, String name) {
        return Shell.check("docker", "inspect", "-f", "{{index .Config.Labels \"trama.ip\"}}", containers.id(host, name))
                .out().strip().replaceAll("/.*", "");
    }

    /** The fault holds for {@link #BLIP}: the node is shown down all along, and keeps its containers meanwhile. */
    private void downForTheBlip(int host) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> consistency.status(host).equals("down"));
        // read from etcd, which answers at once, so that every poll of the blip is a quick one
        String alive = "/trama/v1/alive/" + cluster.node(host);
        await().during(BLIP).atMost(BLIP.plusSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(cluster.etcdctl("get", "--keys-only", alive).out()).as("the node's alive key").isBlank();
            assertThat(cluster.etcdctl("get", "--prefix", "--keys-only", "/trama/v1/containers/").out()).contains("keep" + host);
        });
    }

    /** Back up with the same containers (the same Docker containers, the same addresses), reachable from host 1. */
    private void backWithAllItHad(int host, Set<Consistency.Placement> before, String containerId) {
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(consistency.status(host)).isEqualTo("up");
            assertThat(consistency.assertConsistent(3)).isEqualTo(before);
        });
        assertThat(containers.id(host, "keep" + host)).isEqualTo(containerId);
        assertThat(containers.ping(1, "keep1", address(host, "keep" + host))).isTrue();
        assertThat(cluster.sinceLastStart("daemon-" + host)).doesNotContain("removing container");
    }

    @Test
    void aSwitchPortDownForEightSecondsCostsNothing() {
        Set<Consistency.Placement> before = consistency.assertConsistent(3);
        String keep2 = containers.id(2, "keep2");
        cluster.lan().switchPort(2, false);
        try {
            downForTheBlip(2);
        } finally {
            cluster.lan().switchPort(2, true);
        }
        backWithAllItHad(2, before, keep2);
    }

    @Test
    void aDaemonPausedForEightSecondsCostsNothing() {
        Set<Consistency.Placement> before = consistency.assertConsistent(3);
        String keep3 = containers.id(3, "keep3");
        cluster.pauseDaemon(3, true);
        try {
            downForTheBlip(3);
        } finally {
            cluster.pauseDaemon(3, false);
        }
        backWithAllItHad(3, before, keep3);
    }

    @Test
    void anEmptyEtcdIsNeverTakenForTheClusterAndTheOriginalRestoredCarriesOn() {
        Set<Consistency.Placement> before = consistency.assertConsistent(3);
        List<String> ids = new ArrayList<>();
        for (int host = 1; host <= 3; host++) {
            ids.addAll(containers.idsOfNode(host));
        }
        cluster.stopServer();
        cluster.stopEtcd();
        cluster.startEtcd("etcd-data-empty");
        cluster.startServerOnly();
        try {
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
                for (int host = 1; host <= 3; host++) {
                    assertThat(cluster.sinceLastStart("daemon-" + host))
                            .contains("every container and link of this host is kept as it is")
                            .contains("restore the cluster's etcd, or run 'trama leave'");
                }
            });
            Shell.Result ps = cluster.console(1, "ps");
            assertThat(ps.exitCode()).isEqualTo(1);
            assertThat(ps.err()).contains("is not in its cluster now");
            assertThat(cluster.etcdctl("get", "--prefix", "--keys-only", "/trama/v1/nodes/").out())
                    .as("no node joined the empty cluster").isBlank();
            List<String> still = new ArrayList<>();
            for (int host = 1; host <= 3; host++) {
                still.addAll(containers.idsOfNode(host));
            }
            assertThat(still).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(consistency.attached(3)).isEqualTo(before);
        } finally {
            cluster.stopServer();
            cluster.stopEtcd();
            cluster.startEtcd();
            cluster.startServerOnly();
        }
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            for (int host = 1; host <= 3; host++) {
                assertThat(consistency.status(host)).isEqualTo("up");
            }
            assertThat(consistency.assertConsistent(3)).isEqualTo(before);
        });
        List<String> after = new ArrayList<>();
        for (int host = 1; host <= 3; host++) {
            after.addAll(containers.idsOfNode(host));
        }
        assertThat(after).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void bothCoresBusyForFiveMinutesShowNoNodeDown() {
        Set<Consistency.Placement> before = consistency.assertConsistent(3);
        int serverLogBefore = cluster.sinceLastStart("server").length();
        List<Integer> daemonLogsBefore = new ArrayList<>();
        for (int host = 1; host <= 3; host++) {
            daemonLogsBefore.add(cluster.sinceLastStart("daemon-" + host).length());
        }
        try (CpuLoad load = CpuLoad.start()) {
            // the load lasts five minutes; meanwhile every node stays up, seen as a console sees it
            await().during(Duration.ofMinutes(5)).atMost(Duration.ofMinutes(7)).pollInterval(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        for (int host = 1; host <= 3; host++) {
                            assertThat(consistency.status(host)).as("node %d under load", host).isEqualTo("up");
                        }
                    });
        }
        assertThat(cluster.sinceLastStart("server").substring(serverLogBefore)).doesNotContain(" is down");
        for (int host = 1; host <= 3; host++) {
            assertThat(cluster.sinceLastStart("daemon-" + host).substring(daemonLogsBefore.get(host - 1)))
                    .doesNotContain("missed its heartbeats");
        }
        assertThat(consistency.assertConsistent(3)).isEqualTo(before);
    }
}
