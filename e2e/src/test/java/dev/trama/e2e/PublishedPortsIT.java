package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.testkit.Reaper;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ports published with {@code trama run -p}, on three hosts whose FORWARD policy is DROP: an HTTP server in a
 * container of host 2 answers on host 2's LAN address from host 1, from host 2 itself and from a container of
 * host 3; UDP goes through too. A port taken is refused before anything is made. The rules go with the container
 * (rm, leave, release), and a restarted daemon rebuilds exactly them. Every test uses ports of its own; they run
 * in order, since the last ones take host 3's containers away (release, then leave).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class PublishedPortsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GRACE_SECONDS = 10;
    private static final String PAGE = "published-ok";

    /** A UDP server answering each datagram with "echo " and the datagram. */
    private static final String UDP_ECHO = """
            import java.net.DatagramPacket;
            import java.net.DatagramSocket;
            import java.nio.charset.StandardCharsets;

            public class UdpEcho {
                public static void main(String[] args) throws Exception {
                    try (DatagramSocket socket = new DatagramSocket(Integer.parseInt(args[0]))) {
                        byte[] buffer = new byte[1500];
                        while (true) {
                            DatagramPacket received = new DatagramPacket(buffer, buffer.length);
                            socket.receive(received);
                            byte[] answer = ("echo " + new String(buffer, 0, received.getLength(), StandardCharsets.UTF_8))
                                    .getBytes(StandardCharsets.UTF_8);
                            socket.send(new DatagramPacket(answer, answer.length, received.getSocketAddress()));
                        }
                    }
                }
            }
            """;

    private TramaCluster cluster;
    private Containers containers;
    private Consistency consistency;

    @BeforeAll
    void startCluster() {
        // as FailuresIT: a killed daemon starts again within the node timeout, a released node is waited for
        cluster = TramaCluster.start(3, List.of("--node-timeout", "8s", "--release-after", GRACE_SECONDS + "s"));
        containers = new Containers(cluster);
        consistency = new Consistency(cluster);
        for (int host = 1; host <= 3; host++) {
            assertThat(cluster.console(host, "configure", "10.48.0.0/16").exitCode()).isZero();
        }
        run(3, "client3");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void run(int host, String name, String... more) {
        List<String> argv = new ArrayList<>(List.of("run", cluster.node(host), name));
        argv.addAll(List.of(more));
        Shell.Result run = cluster.console(1, argv.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    /** A container on the host serving {@link #PAGE} over HTTP on its port 80, published as the given host port. */
    private void runWebServer(int host, String name, int hostPort) {
        run(host, name, "-p", hostPort + ":80", "--", "sh", "-c",
                "mkdir -p /www && echo " + PAGE + " > /www/index.html && exec httpd -f -p 80 -h /www");
    }

    /** An HTTP GET to address:port (busybox's static wget crashes on this platform: HTTP through nc). */
    private static String get(String address, int port) {
        return "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + address + " " + port;
    }

    private Shell.Result getFromHost(int from, int to, int port) {
        return cluster.onHost(from, "sh", "-c", get(cluster.lan().hostAddress(to), port));
    }

    private void awaitAnswersFromHost(int from, int to, int port) {
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(getFromHost(from, to, port).out()).as("from host %d to %d:%d", from, to, port).contains(PAGE));
    }

    private void awaitAnswersFromContainer(int host, String name, int to, int port) {
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(containers.exec(host, name, "sh", "-c", get(cluster.lan().hostAddress(to), port)).out())
                        .as("from container %s of host %d to host %d:%d", name, host, to, port).contains(PAGE));
    }

    private void assertClosed(int from, int to, int port) {
        Shell.Result refused = getFromHost(from, to, port);
        assertThat(refused.out()).doesNotContain(PAGE);
        assertThat(refused.exitCode()).isNotZero();
    }

    /** The rules of a host, as iptables-save prints them. */
    private List<String> rules(int host) {
        return Arrays.stream(cluster.onHost(host, "iptables-save").check().out().split("\n"))
                .filter(line -> line.startsWith("-A ")).toList();
    }

    private List<String> rulesFor(int host, int port) {
        return rules(host).stream().filter(line -> line.matches(".*\\b" + port + "\\b.*")).toList();
    }

    private JsonNode psEntry(String name) {
        try {
            for (JsonNode container : JSON.readTree(cluster.console(1, "ps", "--json").check().out())) {
                if (container.path("name").asText().equals(name)) {
                    return container;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("trama ps shows no container " + name);
    }

    private String address(int host, String name) {
        return Shell.check("docker", "inspect", "-f", "{{index .Config.Labels \"trama.ip\"}}", containers.id(host, name))
                .out().strip().replaceAll("/.*", "");
    }

    private List<String> etcdKeys(String prefix) {
        return cluster.etcdctl("get", "--prefix", "--keys-only", "/trama/v1/" + prefix).out().lines()
                .filter(line -> !line.isBlank()).toList();
    }

    @Test
    @Order(1)
    void aPublishedPortAnswersFromOtherHostsTheNodeItselfAndContainersOfTheOverlay() throws IOException {
        runWebServer(2, "web", 8080);

        awaitAnswersFromHost(1, 2, 8080);
        awaitAnswersFromHost(2, 2, 8080);
        awaitAnswersFromContainer(3, "client3", 2, 8080);
        // hairpin: another container of host 2
        run(2, "client2");
        awaitAnswersFromContainer(2, "client2", 2, 8080);
        assertThat(cluster.onHost(2, "iptables", "-S", "FORWARD").check().out()).contains("-P FORWARD DROP");

        assertThat(psEntry("web").path("ports")).isEqualTo(JSON.readTree("[{\"host\":8080,\"container\":80,\"protocol\":\"tcp\"}]"));
        assertThat(cluster.console(1, "ps").check().out()).contains("8080->80/tcp");
        assertThat(rulesFor(2, 8080)).containsExactly("-A TRAMA-PORTS -p tcp -m tcp --dport 8080 -m comment --comment trama"
                + " -j DNAT --to-destination " + address(2, "web") + ":80");
    }

    @Test
    @Order(2)
    void aPublishedUdpPortReachesTheContainerAndItsAnswersComeBack(@TempDir Path dir) throws Exception {
        run(2, "udp", "-p", "5353:53/udp");
        // busybox has no UDP server: a small one of this machine's JDK answers in the container's network namespace
        Path echo = dir.resolve("UdpEcho.java");
        Files.writeString(echo, UDP_ECHO);
        Process server = new ProcessBuilder("nsenter", "-t", Long.toString(containers.pid(2, "udp")), "-n",
                "java", "-XX:TieredStopAtLevel=1", echo.toString(), "53").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Reaper.track(server);
        try {
            // bash's /dev/udp: a datagram to host 2's port 5353, and the one that comes back
            String exchange = "exec 3<>/dev/udp/" + cluster.lan().hostAddress(2) + "/5353; printf ping-over-udp >&3;"
                    + " timeout 2 dd bs=1500 count=1 <&3 2>/dev/null";
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(cluster.onHost(1, "bash", "-c", exchange).out().strip()).isEqualTo("echo ping-over-udp"));
        } finally {
            Reaper.stop(server, true);
        }
        assertThat(psEntry("udp").path("ports")).isEqualTo(JSON.readTree("[{\"host\":5353,\"container\":53,\"protocol\":\"udp\"}]"));
    }

    @Test
    @Order(3)
    void aPortAlreadyPublishedOrListenedOnIsRefusedBeforeAnythingIsMade() throws Exception {
        runWebServer(2, "holder", 8181);
        List<String> addresses = etcdKeys("ips/");

        Shell.Result published = cluster.console(1, "run", cluster.node(2), "second", "-p", "8181:80");
        assertThat(published.exitCode()).isEqualTo(1);
        assertThat(published.err().strip()).isEqualTo("trama: host port 8181/tcp of node '" + cluster.node(2)
                + "' is already published by container 'holder'");

        Process listener = new ProcessBuilder(Shell.in(cluster.lan().host(2), "busybox", "nc", "-l", "-p", "8282")).start();
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() ->
                    cluster.onHost(2, "ss", "-H", "-l", "-t", "-n", "sport = :8282").out().contains(":8282"));
            Shell.Result listened = cluster.console(1, "run", cluster.node(2), "third", "-p", "8282:80");
            assertThat(listened.exitCode()).isEqualTo(1);
            assertThat(listened.err().strip()).isEqualTo("trama: node '" + cluster.node(2)
                    + "' could not launch 'third': host port 8282/tcp is already in use by a process of the host");
        } finally {
            listener.destroyForcibly().waitFor();
        }

        for (String name : List.of("second", "third")) {
            assertThat(containers.id(2, name)).as("docker container %s", name).isEmpty();
            assertThat(etcdKeys("containers/" + name)).as("etcd record of %s", name).isEmpty();
        }
        assertThat(etcdKeys("ips/")).as("allocated addresses").isEqualTo(addresses);
        assertThat(etcdKeys("ports/" + cluster.node(2) + "/")).contains("/trama/v1/ports/" + cluster.node(2) + "/tcp/8181")
                .doesNotContain("/trama/v1/ports/" + cluster.node(2) + "/tcp/8282");
        assertThat(rulesFor(2, 8282)).isEmpty();
    }

    @Test
    @Order(4)
    void afterRmThePortIsClosedAndNoRuleIsLeft() {
        runWebServer(2, "gone", 8383);
        awaitAnswersFromHost(1, 2, 8383);
        assertThat(rulesFor(2, 8383)).hasSize(1);

        assertThat(cluster.console(1, "rm", "gone").exitCode()).isZero();
        assertClosed(1, 2, 8383);
        assertThat(rulesFor(2, 8383)).isEmpty();
        assertThat(etcdKeys("ports/" + cluster.node(2) + "/tcp/8383")).isEmpty();
        // the port is free again
        runWebServer(2, "again", 8383);
        awaitAnswersFromHost(1, 2, 8383);
        consistency.assertConsistent(3);
    }

    @Test
    @Order(5)
    void aRestartedDaemonRebuildsExactlyTheRulesOfItsContainers() {
        runWebServer(1, "kept", 8686);
        awaitAnswersFromHost(2, 1, 8686);
        List<String> before = rulesFor(1, 8686);
        assertThat(before).hasSize(1);

        cluster.killDaemon(1);
        try {
            // while it was away its rule was lost and a stale one appeared
            cluster.onHost(1, "iptables", "-w", "-t", "nat", "-F", "TRAMA-PORTS").check();
            cluster.onHost(1, "iptables", "-w", "-t", "nat", "-A", "TRAMA-PORTS", "-p", "tcp", "-m", "tcp", "--dport", "8687",
                    "-m", "comment", "--comment", "trama", "-j", "DNAT", "--to-destination", "10.48.255.254:80").check();
        } finally {
            cluster.startDaemon(1);
        }
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(rulesFor(1, 8686)).isEqualTo(before);
            assertThat(rulesFor(1, 8687)).isEmpty();
        });
        awaitAnswersFromHost(2, 1, 8686);

        // and once more without any change: nothing is added twice
        cluster.killDaemon(1);
        cluster.startDaemon(1);
        awaitAnswersFromHost(2, 1, 8686);
        assertThat(rules(1).stream().filter(line -> line.startsWith("-A TRAMA-PORTS "))).containsExactlyElementsOf(before);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> consistency.assertConsistent(3));
    }

    @Test
    @Order(6)
    void aReleasedContainersRulesGoWhenItsNodeComesBackAndNotBefore() {
        runWebServer(3, "released", 8484);
        awaitAnswersFromHost(1, 3, 8484);

        cluster.killDaemon(3);
        try {
            await().atMost(GRACE_SECONDS + 30, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(etcdKeys("containers/released")).isEmpty());
            // shown down, then released: nothing on the host changes while its daemon is away
            assertThat(etcdKeys("ports/" + cluster.node(3) + "/")).isEmpty();
            assertThat(getFromHost(1, 3, 8484).out()).contains(PAGE);
        } finally {
            cluster.startDaemon(3);
        }
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(containers.id(3, "released")).isEmpty();
            assertThat(rulesFor(3, 8484)).isEmpty();
        });
        assertClosed(1, 3, 8484);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> consistency.assertConsistent(3));
    }

    @Test
    @Order(7)
    void leaveRemovesEveryRuleOfTheNodesPorts() {
        runWebServer(3, "leaving", 8585);
        awaitAnswersFromHost(1, 3, 8585);

        Shell.Result left = cluster.console(3, "leave");
        assertThat(left.exitCode()).as(left.err()).isZero();
        assertClosed(1, 3, 8585);
        assertThat(rules(3)).noneMatch(line -> line.contains("trama") || line.contains("TRAMA") || line.matches(".*\\b8585\\b.*"));
        assertThat(etcdKeys("ports/" + cluster.node(3) + "/")).isEmpty();
    }
}
