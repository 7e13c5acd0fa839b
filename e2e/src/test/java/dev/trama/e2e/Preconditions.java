package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a test of a shared cluster sets up before it starts, whatever the tests before it did or left:
 * the server and every daemon running, no container anywhere, a node configured or one that has never
 * been. Each step does nothing when its state already holds, so a test pays only for what it changes.
 */
final class Preconditions {

    private final TramaCluster cluster;
    private final int hosts;

    Preconditions(TramaCluster cluster) {
        this.cluster = cluster;
        this.hosts = cluster.lan().hosts();
    }

    /** The server and a daemon on every host run, and the console reaches the cluster through them. */
    Preconditions everyProcessRunning() {
        boolean serverWasDown = !cluster.serverRunning();
        if (serverWasDown) {
            cluster.startServerOnly();
        }
        for (int host = 1; host <= hosts; host++) {
            if (!cluster.daemonRunning(host)) {
                cluster.startDaemon(host);
            }
        }
        if (serverWasDown) {
            // daemons that ran on find the new server in their own time
            await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.console(1, "ps").ok());
        }
        return this;
    }

    /** No Trama container on any node: each one there is removed through the console. */
    Preconditions noContainers() {
        for (int host = 1; host <= hosts; host++) {
            for (String name : containerNames(host)) {
                Shell.Result removed = cluster.console(1, "rm", name);
                assertThat(removed.exitCode()).as("rm %s: %s", name, removed.err()).isZero();
            }
        }
        return this;
    }

    /** The host's node is configured in the segment (its bridge is up); configured now if it was not. */
    Preconditions configured(int host, String segment) {
        if (!hasBridge(host)) {
            Shell.Result configured = cluster.console(host, "configure", segment);
            assertThat(configured.exitCode()).as("configure on host %d: %s", host, configured.err()).isZero();
        }
        return this;
    }

    /**
     * The host's node is registered and has never been configured: a configured one leaves the cluster
     * and its daemon starts again, as on a host new to Trama.
     */
    Preconditions neverConfigured(int host) {
        if (hasBridge(host)) {
            Shell.Result left = cluster.console(host, "leave");
            assertThat(left.exitCode()).as("leave on host %d: %s", host, left.err()).isZero();
            await().atMost(10, TimeUnit.SECONDS).until(() -> !cluster.daemonRunning(host));
            cluster.startDaemon(host);
        }
        return this;
    }

    /**
     * The server started anew, so nothing it keeps in memory comes from earlier tests: e.g. its address
     * allocation goes on after the last address it gave, and starts at the segment's first again.
     */
    Preconditions serverStartedAnew() {
        cluster.stopServer();
        cluster.startServerOnly();
        await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.console(1, "ps").ok());
        return this;
    }

    private boolean hasBridge(int host) {
        return cluster.onHost(host, "ip", "link", "show", "dev", "trama0").ok();
    }

    private List<String> containerNames(int host) {
        String out = Shell.check("docker", "ps", "-a", "--filter", "label=trama.node=" + cluster.node(host), "--format",
                "{{.Label \"trama.name\"}}").out().strip();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }
}
