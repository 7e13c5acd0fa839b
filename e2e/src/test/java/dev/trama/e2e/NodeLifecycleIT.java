package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A node's set-up from configure to leave on real hosts: idempotent, convergent after a crash, exact in
 * what it removes, blind to what is not Trama's. Host 2 holds things of its own that Trama must leave
 * alone; a test that needs a host new to Trama makes its node leave and join again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class NodeLifecycleIT {

    private static final String SEGMENT = "10.43.0.0/24";

    private TramaCluster cluster;
    private Containers containers;
    private HostState state;
    private Preconditions preconditions;
    private List<String> foreignFilter;
    private List<String> foreignNat;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(2);
        containers = new Containers(cluster);
        state = new HostState(cluster);
        preconditions = new Preconditions(cluster);
        // host 2 already has a br0, rules and a container of its own, and forwarding off
        cluster.onHost(2, "ip", "link", "add", "br0", "type", "bridge").check();
        cluster.onHost(2, "iptables", "-w", "-A", "FORWARD", "-s", "198.51.100.0/24", "-j", "DROP").check();
        cluster.onHost(2, "iptables", "-w", "-N", "OTHER").check();
        cluster.onHost(2, "iptables", "-w", "-A", "OTHER", "-p", "tcp", "--dport", "22", "-j", "ACCEPT").check();
        cluster.onHost(2, "iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-s", "198.51.100.0/24", "-j", "MASQUERADE").check();
        cluster.onHost(2, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0").check();
        foreignFilter = state.foreignRules(2, "filter");
        foreignNat = state.foreignRules(2, "nat");
    }

    @BeforeEach
    void everyDaemonRunsAndNoContainerIsLeft() {
        preconditions.everyProcessRunning().noContainers();
    }

    /** Host 2 as new to Trama: its node registered, never configured, with forwarding off. */
    private void host2NewToTrama() {
        preconditions.neverConfigured(2);
        cluster.onHost(2, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0").check();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Shell.Result console(int host, String... args) {
        return cluster.console(host, args);
    }

    @Test
    void aSecondNodeWithATakenNameIsRefusedAndSaysWhy() {
        // another host, with a key of its own and the cluster's token: a name is never handed to another key
        Shell.Result second = Shell.run(Shell.in(cluster.lan().host(2), "env", cluster.runDirVariable(), "java", "-jar",
                TramaCluster.daemonJar().toString(),
                cluster.node(1), cluster.lan().serverAddress(), "--iface", "eth0", "--service-port", "5099",
                "--state-dir", cluster.stateDir(2).resolveSibling("state-impostor").toString(),
                "--token", cluster.joinToken()), 60);
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.err()).contains("node '" + cluster.node(1) + "' cannot join: node name '" + cluster.node(1)
                + "' belongs to another node; 'trama leave' on that node frees it");
    }

    @Test
    void configuringTwiceGivesTheSameState() {
        // no node configured and a server that has given out no address yet: host 1's bridge gets the first
        preconditions.neverConfigured(1).neverConfigured(2).serverStartedAnew();
        assertThat(console(1, "configure", SEGMENT).exitCode()).isZero();
        List<String> first = state.snapshot(1);
        assertThat(first).anyMatch(l -> l.contains("\"ifname\":\"trama0\"")).anyMatch(l -> l.contains("\"ifname\":\"trama-vx\""));
        assertThat(state.addresses(1, "trama0")).singleElement().asString().contains("10.43.0.1/24");
        assertThat(console(1, "configure", SEGMENT).exitCode()).isZero();
        assertThat(state.snapshot(1)).isEqualTo(first);
    }

    @Test
    void aSetUpLeftHalfMadeByACrashConverges() {
        preconditions.configured(1, SEGMENT);
        List<String> reference = state.snapshot(1);
        cluster.killDaemon(1);
        cluster.onHost(1, "ip", "link", "del", "trama-vx").check();
        cluster.onHost(1, "iptables", "-w", "-t", "nat", "-F", "TRAMA-POSTROUTING").check();
        cluster.onHost(1, "iptables", "-w", "-D", "FORWARD", "-m", "comment", "--comment", "trama", "-j", "TRAMA-FORWARD").check();
        cluster.onHost(1, "ip", "addr", "flush", "dev", "trama0").check();
        assertThat(state.snapshot(1)).isNotEqualTo(reference);

        cluster.startDaemon(1);
        assertThat(state.snapshot(1)).isEqualTo(reference);
        assertThat(console(1, "configure", SEGMENT).exitCode()).isZero();
        assertThat(state.snapshot(1)).isEqualTo(reference);
    }

    @Test
    void aDaemonKilledWhileConfiguringConvergesWhenConfiguredAgain() throws Exception {
        host2NewToTrama();
        Process configuring = new ProcessBuilder(Shell.in(cluster.lan().host(2), "env", cluster.runDirVariable(), "java",
                "-jar", TramaCluster.consoleJar().toString(), "configure", SEGMENT))
                .redirectErrorStream(true).start();
        await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.onHost(2, "ip", "link", "show", "dev", "trama0").ok());
        cluster.killDaemon(2);
        configuring.destroyForcibly().waitFor();
        cluster.startDaemon(2);
        Shell.Result configured = console(2, "configure", SEGMENT);
        assertThat(configured.exitCode()).as(configured.err()).isZero();
        List<String> afterCrash = state.snapshot(2);
        assertThat(console(2, "configure", SEGMENT).exitCode()).isZero();
        assertThat(state.snapshot(2)).isEqualTo(afterCrash);
        assertThat(state.tramaLinks(2)).hasSize(2);
        assertThat(state.sysctl(2, "net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void whatIsNotTramasIsLeftAlone() {
        preconditions.configured(1, SEGMENT).configured(2, SEGMENT);
        assertThat(console(1, "run", cluster.node(2), "web").exitCode()).isZero();
        assertThat(console(1, "run", cluster.node(1), "db").exitCode()).isZero();
        assertThat(state.foreignRules(2, "filter")).isEqualTo(foreignFilter);
        assertThat(state.foreignRules(2, "nat")).isEqualTo(foreignNat);
        assertThat(cluster.onHost(2, "ip", "link", "show", "dev", "br0").ok()).isTrue();
    }

    @Test
    void leaveRemovesEverythingOfTheNodeAndNothingElse() {
        host2NewToTrama();
        preconditions.configured(1, SEGMENT).configured(2, SEGMENT);
        assertThat(console(1, "run", cluster.node(2), "web").exitCode()).isZero();
        assertThat(console(1, "run", cluster.node(1), "db").exitCode()).isZero();

        Shell.Result left = console(2, "leave");
        assertThat(left.exitCode()).as(left.err()).isZero();
        assertThat(left.out()).contains("1 container(s) removed").contains("2 address(es) released");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !cluster.daemonRunning(2));

        assertThat(state.tramaLinks(2)).isEmpty();
        assertThat(state.tramaRules(2, "filter")).isEmpty();
        assertThat(state.tramaRules(2, "nat")).isEmpty();
        assertThat(state.foreignRules(2, "filter")).isEqualTo(foreignFilter);
        assertThat(state.foreignRules(2, "nat")).isEqualTo(foreignNat);
        assertThat(state.sysctl(2, "net.ipv4.ip_forward")).as("forwarding restored").isEqualTo("0");
        assertThat(cluster.onHost(2, "ip", "link", "show", "dev", "br0").ok()).isTrue();
        // the daemon names no network namespace (other test beds may run beside this one)
        assertThat(Shell.check("ip", "netns", "list").out().lines()
                .filter(l -> !l.matches("^(tt[0-9a-f]{4}-|ttsim-|tsim-).*"))).isEmpty();
        assertThat(containers.idsOfNode(2)).isEmpty();
        assertThat(cluster.etcdctl("get", "--prefix", "--keys-only", "/trama/v1/").out())
                .doesNotContain(cluster.node(2))
                .contains("/trama/v1/nodes/" + cluster.node(1));

        // the other node's container still runs, reachable from its host
        assertThat(containers.idsOfNode(1)).hasSize(1);
        String db = Shell.check("docker", "inspect", "-f", "{{index .Config.Labels \"trama.ip\"}}", containers.id(1, "db"))
                .out().strip().replaceAll("/.*", "");
        assertThat(cluster.onHost(1, "ping", "-c", "1", "-W", "3", db).exitCode()).isZero();
        Shell.Result ps = console(1, "ps");
        assertThat(ps.out()).contains("db").doesNotContain("web");
    }
}
