package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Faults injected for real (SIGKILL, a host's LAN port down past the grace, the server and etcd stopped), each
 * survived: after each, the cluster view, Docker and etcd agree (see {@link Consistency}). The server releases a
 * down node's containers after a short grace here; {@link TransientFaultsIT} shows blips within the default one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class FailuresIT {

    private static final int GRACE_SECONDS = 10;

    private TramaCluster cluster;
    private Containers containers;
    private Consistency consistency;

    @BeforeAll
    void startCluster() {
        // a grace short enough to wait for, long enough for a killed daemon to start again within it; a node
        // timeout long enough to publish a launch to a node whose daemon was just killed
        cluster = TramaCluster.start(3, List.of("--node-timeout", "8s", "--release-after", GRACE_SECONDS + "s"));
        containers = new Containers(cluster);
        consistency = new Consistency(cluster);
        for (int host = 1; host <= 3; host++) {
            assertThat(cluster.console(host, "configure", "10.46.0.0/16").exitCode()).isZero();
        }
        // every test leaves the cluster whole; this one is what they reach across the overlay
        run(1, "anchor");
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

    private void run(int node, String name) {
        Shell.Result run = cluster.console(1, "run", cluster.node(node), name);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private CompletableFuture<Shell.Result> runInBackground(int node, String name) {
        return CompletableFuture.supplyAsync(() -> cluster.console(1, "run", cluster.node(node), name));
    }

    private String status(int node) {
        return consistency.status(node);
    }

    /** Names of the containers in etcd (whole names: a short one could be found inside a task id). */
    private List<String> storedContainers() {
        return cluster.etcdctl("get", "--prefix", "--keys-only", "/trama/v1/containers/").out().lines()
                .filter(l -> !l.isBlank()).map(l -> l.substring("/trama/v1/containers/".length())).toList();
    }

    /** Each container's state as trama ps shows it, by name. */
    private java.util.Map<String, String> states() {
        java.util.Map<String, String> states = new java.util.HashMap<>();
        String json = cluster.console(1, "ps", "--json").check().out();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\"name\" : \"([^\"]+)\"[^}]*?\"state\" : \"([^\"]+)\"").matcher(json);
        while (m.find()) {
            states.put(m.group(1), m.group(2));
        }
        return states;
    }

    @Test
    void aRestartedDaemonKeepsItsContainersAndConvergesToTheCluster() {
        run(1, "a1");
        run(1, "a2");
        String a1 = containers.id(1, "a1");
        String clusterId = cluster.etcdctl("get", "--print-value-only", "/trama/v1/cluster/id").out().strip();

        cluster.killDaemon(1);
        Shell.check("docker", "rm", "-f", containers.id(1, "a2"));
        Shell.check("docker", "run", "-d", "--network", "none", "--label", "trama.cluster=" + clusterId,
                "--label", "trama.node=" + cluster.node(1), "--label", "trama.name=stray", "trama/base:latest");
        cluster.startDaemon(1);

        // the stray is none of the cluster's business: left running, and reported
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(containers.id(1, "a1")).as("a1 kept running through the restart").isEqualTo(a1);
            assertThat(containers.id(1, "a2")).as("a2 launched again").isNotEmpty();
            assertThat(containers.id(1, "stray")).as("the stray the cluster does not know").isNotEmpty();
            assertThat(cluster.console(1, "nodes").check().out())
                    .contains("warning: " + cluster.node(1) + ": container 'stray' runs on this node but the cluster does not know it");
        });
        assertThat(cluster.sinceLastStart("daemon-1")).contains("container stray (").contains("it is left running");
        Shell.check("docker", "rm", "-f", containers.id(1, "stray"));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> consistency.assertConsistent(3));
        assertThat(status(1)).isEqualTo("up");
    }

    @Test
    void aLaunchPublishedWhileItsDaemonWasAwayIsDeliveredAgain() {
        cluster.killDaemon(2);
        CompletableFuture<Shell.Result> run = runInBackground(2, "b1");
        await().atMost(30, TimeUnit.SECONDS).until(() -> storedContainers().contains("b1"));
        cluster.startDaemon(2);
        Shell.Result result = run.join();
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(containers.id(2, "b1")).isNotEmpty();
        consistency.assertConsistent(3);
    }

    @Test
    void aNodeDownPastItsGraceIsReleasedAndWhenBackRemovesExactlyWhatWasReleased() {
        run(3, "c3");
        run(3, "c4");
        String c3Address = addressOf(3, "c3");
        cluster.killDaemon(3);
        // shown down one node timeout later, its containers kept and shown as unknown
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(status(3)).isEqualTo("down");
            assertThat(states()).containsEntry("c3", "unknown").containsEntry("c4", "unknown");
        });
        assertThat(storedContainers()).contains("c3", "c4");
        Shell.Result refused = cluster.console(1, "run", cluster.node(3), "c5");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("node '" + cluster.node(3) + "' is down");
        // released after the grace: containers, their addresses and the bridge address are free again
        await().atMost(GRACE_SECONDS + 20, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(storedContainers()).doesNotContain("c3", "c4");
            assertThat(cluster.etcdctl("get", "--prefix", "/trama/v1/ips/").out()).doesNotContain(cluster.node(3));
        });
        assertThat(containers.id(3, "c3")).as("nothing is removed on the host while its node cannot be told").isNotEmpty();

        // it comes back: it takes a bridge address again and removes exactly what was released, saying why
        cluster.startDaemon(3);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(status(3)).isEqualTo("up");
            assertThat(containers.idsOfNode(3)).isEmpty();
            consistency.assertConsistent(3);
        });
        String log = cluster.sinceLastStart("daemon-3");
        String reason = "node '" + cluster.node(3) + "' was down for longer than " + GRACE_SECONDS + " s";
        assertThat(log).contains("removing container c3: " + reason).contains("removing container c4: " + reason);
        assertThat(cluster.etcdctl("get", "/trama/v1/ips/" + c3Address).out()).as("c3's address is free").isBlank();
        run(3, "c6");
        assertThat(containers.ping(3, "c6", addressOf(1, "anchor"))).isTrue();
    }

    @Test
    void aHostCutOffTheLanPastTheGraceIsReleasedAndConvergesWhenBack() {
        run(2, "d2");
        String d2 = containers.id(2, "d2");
        cluster.lan().switchPort(2, false);
        try {
            await().atMost(30, TimeUnit.SECONDS).until(() -> status(2).equals("down"));
            await().atMost(GRACE_SECONDS + 20, TimeUnit.SECONDS).until(() -> !storedContainers().contains("d2"));
            assertThat(containers.id(2, "d2")).isEqualTo(d2);
        } finally {
            cluster.lan().switchPort(2, true);
        }
        await().atMost(40, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(status(2)).isEqualTo("up");
            assertThat(containers.id(2, "d2")).isEmpty();
            consistency.assertConsistent(3);
        });
        assertThat(cluster.sinceLastStart("daemon-2")).contains("removing container d2: node '" + cluster.node(2)
                + "' was down for longer than " + GRACE_SECONDS + " s");
        run(2, "d3");
        assertThat(containers.ping(2, "d3", addressOf(1, "anchor"))).isTrue();
    }

    @Test
    void aServerRestartedWhileALaunchWaitsLosesNothing() {
        var before = consistency.assertConsistent(3);
        CompletableFuture<Shell.Result> run = runInBackground(1, "f1");
        await().atMost(30, TimeUnit.SECONDS).until(() -> storedContainers().contains("f1"));
        cluster.stopServer();
        cluster.startServerOnly();
        Shell.Result result = run.join();
        assertThat(result.exitCode()).as(result.err()).isZero();
        var after = consistency.assertConsistent(3);
        assertThat(after).containsAll(before).hasSize(before.size() + 1);
    }

    @Test
    void withEtcdAwayRequestsFailFastAndEverythingResumes() {
        var before = consistency.assertConsistent(3);
        cluster.stopEtcd();
        try {
            long start = System.nanoTime();
            Shell.Result ps = cluster.console(1, "ps");
            assertThat(ps.exitCode()).isEqualTo(1);
            assertThat(ps.err()).contains("cluster store unavailable");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
            Shell.Result run = cluster.console(1, "run", cluster.node(2), "g1");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("cluster store unavailable");
        } finally {
            cluster.startEtcd();
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.console(1, "ps").ok());
        assertThat(consistency.assertConsistent(3)).isEqualTo(before);
        for (int node = 1; node <= 3; node++) {
            assertThat(status(node)).isEqualTo("up");
        }
        run(2, "g1");
        assertThat(consistency.assertConsistent(3)).hasSize(before.size() + 1);
    }

    private String addressOf(int host, String name) {
        List<String> argv = new ArrayList<>(List.of("docker", "inspect", "-f", "{{index .Config.Labels \"trama.ip\"}}",
                containers.id(host, name)));
        return Shell.run(argv).check().out().strip().replaceAll("/.*", "");
    }
}
