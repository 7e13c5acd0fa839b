package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.Shell;
import dev.trama.testkit.SimulatedLan;
import dev.trama.testkit.TramaCluster;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Three hosts with their FORWARD policy at DROP, a container on each: the overlay carries ICMP and TCP
 * between them, to their hosts, and to the internet through NAT, full-size frames included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class OverlayIT {

    private static final String SEGMENT = "10.42.0.0/16";

    private TramaCluster cluster;
    private Containers containers;
    private final Map<Integer, String> address = new HashMap<>();

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(3);
        containers = new Containers(cluster);
        for (int host = 1; host <= 3; host++) {
            Shell.Result configured = cluster.console(host, "configure", SEGMENT);
            assertThat(configured.exitCode()).as(configured.err()).isZero();
        }
        for (int host = 1; host <= 3; host++) {
            Shell.Result run = cluster.console(1, "run", cluster.node(host), "c" + host);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("c" + host + " running on " + cluster.node(host) + " at 10.42.");
            address.put(host, run.out().strip().replaceAll(".* at ", "").replaceAll("/16$", ""));
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyHostDropsForwardedTrafficByPolicy() {
        for (int host = 1; host <= 3; host++) {
            assertThat(cluster.onHost(host, "iptables", "-S", "FORWARD").check().out()).contains("-P FORWARD DROP");
        }
    }

    @Test
    void containersOnDifferentHostsPingEachOther() {
        for (int from = 1; from <= 3; from++) {
            for (int to = 1; to <= 3; to++) {
                if (from != to) {
                    assertThat(containers.ping(from, "c" + from, address.get(to))).as("c%d -> c%d", from, to).isTrue();
                }
            }
        }
    }

    @Test
    void aTcpConnectionCrossesTheOverlay() {
        assertThat(containers.exec(2, "c2", "sh", "-c", "mkdir -p /www && echo overlay-ok > /www/index.html"
                + " && httpd -p 8080 -h /www").exitCode()).isZero();
        // busybox's static wget crashes on this platform: speak HTTP through nc
        String get = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + address.get(2) + " 8080";
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(containers.exec(1, "c1", "sh", "-c", get).out()).contains("overlay-ok"));
        assertThat(containers.exec(3, "c3", "sh", "-c", get).out()).contains("overlay-ok");
    }

    @Test
    void containersReachTheirHostOtherHostsAndTheInternet() {
        String bridgeOfHost1 = cluster.onHost(1, "ip", "-4", "-o", "addr", "show", "dev", "trama0").check().out()
                .replaceAll(".*inet ([0-9.]+)/.*\\s*", "$1").strip();
        assertThat(containers.ping(1, "c1", bridgeOfHost1)).as("own bridge").isTrue();
        assertThat(containers.ping(1, "c1", cluster.lan().hostAddress(1))).as("own host on the LAN").isTrue();
        assertThat(containers.ping(1, "c1", cluster.lan().hostAddress(2))).as("another host").isTrue();
        assertThat(containers.ping(3, "c3", SimulatedLan.INTERNET_ADDRESS)).as("the internet, through NAT").isTrue();
    }

    @Test
    void aTcpConnectionReachesTheInternetThroughNat() throws Exception {
        Process listener = new ProcessBuilder(Shell.in(cluster.lan().internet(), "busybox", "nc", "-l", "-p", "7777", "-e",
                "busybox", "echo", "from-the-internet")).start();
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.lan().exec(cluster.lan().internet(),
                    "ss", "-H", "-l", "-t", "-n", "sport = :7777").out().contains(":7777"));
            Shell.Result reply = containers.exec(2, "c2", "sh", "-c", "nc -w 5 " + SimulatedLan.INTERNET_ADDRESS + " 7777 </dev/null");
            assertThat(reply.out().strip()).as(reply.err()).isEqualTo("from-the-internet");
        } finally {
            listener.destroyForcibly().waitFor();
        }
    }

    @Test
    void fullSizeFramesCrossBetweenHosts() {
        int lanMtu = Integer.parseInt(cluster.onHost(1, "cat", "/sys/class/net/eth0/mtu").check().out().strip());
        int payload = lanMtu - 50 - 28;
        Shell.Result full = containers.inNetns(1, "c1", "ping", "-M", "do", "-s", Integer.toString(payload), "-c", "2", "-W", "3",
                address.get(3));
        assertThat(full.exitCode()).as(full.out() + full.err()).isZero();
        Shell.Result tooBig = containers.inNetns(1, "c1", "ping", "-M", "do", "-s", Integer.toString(payload + 1), "-c", "1",
                "-W", "2", address.get(3));
        assertThat(tooBig.exitCode()).isNotZero();
        assertThat(containers.inNetns(2, "c2", "ip", "-o", "link", "show", "dev", "eth0").out())
                .contains(" mtu " + (lanMtu - 50) + " ");
    }
}
