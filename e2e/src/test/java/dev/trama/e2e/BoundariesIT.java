package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The edges of the system: bad input at the console and at the daemon changes nothing, each failure
 * has its exit code and sentence, and daemons ride out a server that goes away and comes back. Each
 * test starts with both nodes configured, the server and both daemons running, and no container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class BoundariesIT {

    private static final String SEGMENT = "10.44.0.0/16";

    private TramaCluster cluster;
    private HostState state;
    private Containers containers;
    private Preconditions preconditions;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(2);
        state = new HostState(cluster);
        containers = new Containers(cluster);
        preconditions = new Preconditions(cluster);
        assertThat(cluster.console(1, "configure", SEGMENT).exitCode()).isZero();
        assertThat(cluster.console(2, "configure", SEGMENT).exitCode()).isZero();
    }

    @BeforeEach
    void everythingRunsConfiguredAndNoContainerIsLeft() {
        preconditions.everyProcessRunning().noContainers().configured(1, SEGMENT).configured(2, SEGMENT);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void assertUsage(String expectedMessage, String... args) {
        Shell.Result result = cluster.console(1, args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isEqualTo(2);
        assertThat(result.err()).contains(expectedMessage);
    }

    private void assertFails(String expectedMessage, String... args) {
        Shell.Result result = cluster.console(1, args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isEqualTo(1);
        assertThat(result.err()).startsWith("trama: ").contains(expectedMessage);
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void badInputIsRefusedAtTheConsoleAndChangesNothing() {
        List<String> before = state.snapshot(1);
        assertUsage("container name 'a;reboot' is invalid", "run", cluster.node(1), "a;reboot");
        assertUsage("container name 'web x' is invalid", "run", cluster.node(1), "web x");
        assertUsage("container name '$(reboot)' is invalid", "rm", "$(reboot)");
        assertUsage("is longer than 63 characters", "run", cluster.node(1), "a".repeat(64));
        assertUsage("node name 'n 1' is invalid", "run", "n 1", "web");
        assertUsage("image 'Bad Image!' is not a valid image reference", "run", cluster.node(1), "web", "--image", "Bad Image!");
        assertUsage("environment variable name '1BAD' is invalid", "run", cluster.node(1), "web", "-e", "1BAD=x");
        assertUsage("has host bits set; the network is 10.44.0.0/16", "configure", "10.44.0.1/16");
        assertUsage("must have a prefix length between /8 and /28", "configure", "10.44.0.0/30");
        assertUsage("is not in CIDR form", "configure", "banana");
        assertThat(state.snapshot(1)).isEqualTo(before);
        assertThat(containers.idsOfNode(1)).isEmpty();
    }

    @Test
    void badInputSentStraightToTheDaemonIsRefusedThere() {
        List<String> before = state.snapshot(1);
        Shell.Result reply = raw(1, "console.run", "{\"v\":1,\"node\":\"" + cluster.node(1) + "\",\"name\":\"x;id\"}");
        assertThat(reply.out()).startsWith("error").contains("INVALID_ARGUMENT").contains("container name 'x;id' is invalid");
        Shell.Result configure = raw(1, "console.configure", "{\"v\":1,\"subnet\":\"10.0.0.0/8; reboot\"}");
        assertThat(configure.out()).startsWith("error").contains("INVALID_ARGUMENT");
        assertThat(raw(1, "console.shutdown", "{\"v\":1}").out()).contains("UNKNOWN_METHOD");
        assertThat(state.snapshot(1)).isEqualTo(before);
        assertThat(containers.idsOfNode(1)).isEmpty();
        assertThat(cluster.daemonRunning(1)).isTrue();
    }

    @Test
    void failuresHaveExitCodeOneAndASentence() {
        assertFails("node 'nowhere' is not in the cluster", "run", "nowhere", "web");
        assertThat(cluster.console(1, "run", cluster.node(2), "web").exitCode()).isZero();
        assertFails("container 'web' already exists on node '" + cluster.node(2) + "'", "run", cluster.node(1), "web");
        assertFails("container 'ghost' is not in the cluster", "rm", "ghost");
        assertFails("the cluster's segment is 10.44.0.0/16, not 10.45.0.0/16", "configure", "10.45.0.0/16");
        assertFails("could not launch 'img': image '127.0.0.1:1/no/such-image:1' cannot be pulled: ",
                // a registry on loopback that refuses: no traffic leaves the machine
                "run", cluster.node(1), "img", "--image", "127.0.0.1:1/no/such-image:1");
        assertThat(containers.idsOfNode(1)).isEmpty();
        Shell.Result noDaemon = cluster.console(1, "--port", "5999", "ps");
        assertThat(noDaemon.exitCode()).isEqualTo(1);
        assertThat(noDaemon.err()).isEqualTo("trama: no Trama daemon is running on this host (nothing listens on 127.0.0.1:5999);"
                + " start one with trama-daemon NODE_NAME SERVER_HOST\n");
        assertThat(cluster.console(1, "rm", "web").exitCode()).isZero();
        assertThat(containers.idsOfNode(2)).isEmpty();
    }

    @Test
    void daemonsRideOutAServerThatGoesAwayAndComesBack() {
        cluster.stopServer();
        Shell.Result down = cluster.console(1, "ps");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.err()).contains("the server did not answer");
        // a daemon that starts while no server answers waits for one
        cluster.stopDaemon(2);
        cluster.spawnDaemon(2);
        await().during(3, TimeUnit.SECONDS).atMost(10, TimeUnit.SECONDS).until(() -> cluster.daemonRunning(2));
        cluster.startServerOnly();
        cluster.awaitDaemonReady(2);
        await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.console(1, "ps").ok());
        Shell.Result run = cluster.console(1, "run", cluster.node(2), "after");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(containers.ping(2, "after", state.addresses(1, "trama0").get(0).replaceAll(".*inet ([0-9.]+)/.*", "$1")))
                .isTrue();
        assertThat(cluster.console(1, "rm", "after").exitCode()).isZero();
    }

    private Shell.Result raw(int host, String method, String body) {
        List<String> argv = new ArrayList<>(Shell.in(cluster.lan().host(host), "env", cluster.runDirVariable(), "java", "-cp",
                testClasses() + ":" + TramaCluster.consoleJar(),
                RawRequest.class.getName(), "tcp://127.0.0.1:5002", method, body));
        return Shell.run(argv, 60);
    }

    private static Path testClasses() {
        try {
            return Path.of(RawRequest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + RawRequest.class.getName(), e);
        }
    }
}
