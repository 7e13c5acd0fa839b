package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.Shell;
import dev.trama.testkit.SimulatedLan;
import dev.trama.testkit.TramaCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Containers find each other by name: every container resolves every other one's name, short ({@code web2}) and
 * in the cluster's domain ({@code web2.trama}), on any host, as soon as {@code trama run} returns, and no longer
 * once it is removed; other names resolve through the hosts' own nameserver (a stub on the simulated internet).
 * The resolver listens on each bridge's address only, and is gone with {@code leave}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class NamesIT {

    private static final String SEGMENT = "10.43.0.0/16";
    private static final String OUTSIDE = "outside.example";
    /** A name's coming and going reaches every node within a second; the rest is the time docker exec takes. */
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1).plusSeconds(3);
    private static final Pattern ANSWER = Pattern.compile("Name:\\s*\\S+\\s+Address:\\s*([0-9.]+)");

    private TramaCluster cluster;
    private Containers containers;
    private Process stubDns;
    /** The container on each host that asks. */
    private final Map<Integer, String> askers = Map.of(1, "web1", 2, "probe2", 3, "web3");
    private final Map<String, String> address = new HashMap<>();

    @BeforeAll
    void startCluster() throws IOException {
        cluster = TramaCluster.start(3);
        try {
            stubDns = startStubDns(cluster.lan());
            containers = new Containers(cluster);
            for (int host = 1; host <= 3; host++) {
                Shell.Result configured = cluster.console(host, "configure", SEGMENT);
                assertThat(configured.exitCode()).as(configured.err()).isZero();
            }
            run(1, "web1");
            run(2, "web2");
            run(2, "probe2");
            run(3, "web3");
        } catch (IOException | RuntimeException | Error e) {
            stopCluster();
            throw e;
        }
    }

    /**
     * dnsmasq on the simulated internet's address, as the hosts' nameserver ({@code lib/lan} names it in their
     * resolv.conf): it knows {@value #OUTSIDE}, says no other name under example exists, and asks no one.
     */
    private static Process startStubDns(SimulatedLan lan) throws IOException {
        Process process = new ProcessBuilder(Shell.in(lan.internet(), "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=" + SimulatedLan.INTERNET_ADDRESS,
                "--address=/" + OUTSIDE + "/" + SimulatedLan.INTERNET_ADDRESS, "--address=/example/", "--user=root", "--pid-file",
                "--log-facility=-", "--log-queries"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            await("dnsmasq to listen").atMost(Duration.ofSeconds(20)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("dnsmasq exited (" + process.exitValue() + "): is dnsmasq-base installed?"
                            + " (scripts/test installs it)");
                }
                return lan.exec(lan.internet(), "ss", "-H", "-l", "-u", "-n", "sport = :53").out().contains(":53");
            });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        return process;
    }

    private void run(int host, String name) {
        Shell.Result run = cluster.console(1, "run", cluster.node(host), name);
        assertThat(run.exitCode()).as(run.err()).isZero();
        address.put(name, run.out().strip().replaceAll(".* at ", "").replaceAll("/16$", ""));
    }

    @AfterAll
    void stopCluster() {
        if (stubDns != null) {
            stubDns.destroy();
            try {
                stubDns.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What a container's resolver says a name is: its address, or empty when it does not resolve. */
    private Optional<String> lookup(int host, String container, String name) {
        Shell.Result result = containers.exec(host, container, "nslookup", "-type=a", name);
        Matcher answer = ANSWER.matcher(result.out());
        return answer.find() ? Optional.of(answer.group(1)) : Optional.empty();
    }

    private String bridgeAddress(int host) {
        return cluster.onHost(host, "ip", "-4", "-o", "addr", "show", "dev", "trama0").check().out()
                .replaceAll(".*inet ([0-9.]+)/.*\\s*", "$1").strip();
    }

    @Test
    @Order(1)
    void aContainersOneNameserverIsItsNodesResolverWithTheClustersDomain() {
        for (int host = 1; host <= 3; host++) {
            String conf = containers.exec(host, askers.get(host), "cat", "/etc/resolv.conf").check().out();
            assertThat(conf.lines().filter(l -> l.startsWith("nameserver")).toList())
                    .as("resolv.conf of %s", askers.get(host)).containsExactly("nameserver " + bridgeAddress(host));
            assertThat(conf).containsPattern("(?m)^search trama$");
        }
    }

    @Test
    @Order(2)
    void theResolverListensOnTheBridgesAddressOnly() {
        for (int host = 1; host <= 3; host++) {
            for (String protocol : List.of("-u", "-t")) {
                List<String> sockets = cluster.onHost(host, "ss", "-H", "-l", "-n", protocol, "sport = :53").check().out()
                        .lines().filter(l -> !l.isBlank()).map(l -> l.trim().split("\\s+")[3])
                        // Java's sockets are IPv6 ones holding an IPv4-mapped address: the same one address
                        .map(a -> a.replaceAll("^\\[::ffff:([0-9.]+)]", "$1")).toList();
                assertThat(sockets).as("%s sockets on port 53 of host %d", protocol, host)
                        .containsExactly(bridgeAddress(host) + ":53");
            }
        }
    }

    @Test
    @Order(3)
    void everyContainerPingsAndConnectsToAnotherByName() {
        assertThat(containers.exec(2, "web2", "sh", "-c", "mkdir -p /www && echo names-ok > /www/index.html"
                + " && httpd -p 8080 -h /www").exitCode()).isZero();
        for (int host = 1; host <= 3; host++) {
            int from = host;
            String asker = askers.get(host);
            Shell.Result ping = containers.exec(host, asker, "ping", "-c", "1", "-W", "3", "web2");
            assertThat(ping.exitCode()).as("ping web2 from %s: %s%s", asker, ping.out(), ping.err()).isZero();
            assertThat(ping.out()).contains(address.get("web2"));
            String get = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 web2.trama 8080";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(containers.exec(from, asker, "sh", "-c", get).out()).as("from %s", asker).contains("names-ok"));
            assertThat(lookup(host, asker, "WEB2.trama")).as("in any case").contains(address.get("web2"));
        }
    }

    @Test
    @Order(4)
    void aNewContainerIsResolvableEverywhereAtOnceAndResolvesTheOthers() {
        run(3, "late");
        for (int host = 1; host <= 3; host++) {
            int from = host;
            await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(lookup(from, askers.get(from), "late.trama")).contains(address.get("late")));
        }
        run(1, "later");
        assertThat(lookup(1, "later", "late.trama")).contains(address.get("late"));
        assertThat(lookup(1, "later", "web2")).contains(address.get("web2"));
    }

    @Test
    @Order(5)
    void aRemovedContainersNameStopsResolving() {
        run(2, "gone");
        await().atMost(WITHIN_A_SECOND).until(() -> lookup(1, "web1", "gone.trama").isPresent());
        Shell.Result removed = cluster.console(3, "rm", "gone");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        for (int host = 1; host <= 3; host++) {
            int from = host;
            await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(100)).until(() ->
                    containers.exec(from, askers.get(from), "nslookup", "-type=a", "gone.trama").out().contains("NXDOMAIN"));
        }
    }

    @Test
    @Order(6)
    void everyNodesResolverAgreesWithTheClusterView() {
        Consistency consistency = new Consistency(cluster);
        Set<Consistency.Placement> viewed = consistency.assertConsistent(3);
        assertThat(consistency.resolved(3, viewed)).isEqualTo(viewed);
    }

    @Test
    @Order(7)
    void namesOutsideTheClusterResolveThroughTheHostsNameserver() {
        for (int host = 1; host <= 3; host++) {
            assertThat(lookup(host, askers.get(host), OUTSIDE)).as("from host %d", host).contains(SimulatedLan.INTERNET_ADDRESS);
        }
        Shell.Result ping = containers.exec(1, "web1", "ping", "-c", "1", "-W", "3", OUTSIDE);
        assertThat(ping.exitCode()).as(ping.out() + ping.err()).isZero();
        assertThat(lookup(1, "web1", "nowhere.example")).isEmpty();
    }

    @Test
    @Order(8)
    void aNodeThatLeftServesNoNames() {
        Shell.Result left = cluster.console(3, "leave");
        assertThat(left.exitCode()).as(left.err()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                cluster.onHost(3, "ss", "-H", "-l", "-n", "-u", "-t", "sport = :53").out().isBlank());
        await().atMost(WITHIN_A_SECOND).until(() -> lookup(1, "web1", "web3.trama").isEmpty());
    }
}
