package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.testkit.Shell;
import dev.trama.testkit.SimulatedLan;
import dev.trama.testkit.TramaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Unicast VXLAN on a switch that drops every IPv4 multicast frame (broadcasts, and with them ARP, still pass):
 * the overlay's journey works, and every host's VXLAN device holds exactly the entries the cluster implies,
 * following containers and nodes as they come and go (run, rm, release and return, leave), and rebuilt the same by
 * a restarted daemon; the overlay's
 * MTU follows the smallest LAN MTU of the cluster. A second cluster, on namespaces of its own, is untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class UnicastIT {

    private static final String SEGMENT = "10.57.0.0/16";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TramaCluster cluster;
    private Containers containers;
    /** A second cluster, on namespaces of its own, that nothing done to the first may touch. */
    private TramaCluster other;
    private List<String> otherBefore;

    @BeforeAll
    void startClusterOnASwitchWithoutMulticast() {
        // a short grace, so that a node's release is seen within the test
        cluster = TramaCluster.start(3, List.of("--release-after", "12s"));
        containers = new Containers(cluster);
        // IPv4 multicast MACs only: "-d Multicast" would drop broadcasts too, and ARP with them
        Shell.run(Shell.in(cluster.lan().switchNamespace(), "ebtables", "-A", "FORWARD", "-d",
                "01:00:5e:00:00:00/ff:ff:ff:80:00:00", "-j", "DROP")).check();
        Shell.Result first = cluster.console(1, "configure", SEGMENT, "--vxlan", "unicast");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).endsWith(", unicast VXLAN\n");
        for (int host = 2; host <= 3; host++) {
            // a later node takes the cluster's mode without being told
            Shell.Result configured = cluster.console(host, "configure", SEGMENT);
            assertThat(configured.exitCode()).as(configured.err()).isZero();
            assertThat(configured.out()).endsWith(", unicast VXLAN\n");
        }
        other = TramaCluster.start(2);
        for (int host = 1; host <= 2; host++) {
            other.console(host, "configure", SEGMENT, "--vxlan", "unicast").check();
        }
        other.console(1, "run", other.node(2), "o2").check();
        await().atMost(30, TimeUnit.SECONDS).until(() -> fdb(other, 1).size() == 3);
        otherBefore = snapshot(other);
    }

    @AfterAll
    void stopCluster() {
        if (other != null) {
            other.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theJourneyWorksWithoutMulticastAndEveryHostHoldsExactlyTheClustersEntries() {
        assertThat(read(cluster.console(1, "info", "--json").check().out()).path("vxlan").asText()).isEqualTo("unicast");
        Shell.Result refused = cluster.console(2, "configure", SEGMENT, "--vxlan", "multicast");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("the cluster's VXLAN mode is unicast, not multicast");

        Map<Integer, String> address = new HashMap<>();
        for (int host = 1; host <= 3; host++) {
            Shell.Result run = cluster.console(1, "run", cluster.node(host), "u" + host);
            assertThat(run.exitCode()).as(run.err()).isZero();
            address.put(host, run.out().strip().replaceAll(".* at ", "").replaceAll("/16$", ""));
        }
        awaitEntriesMatchTheCluster();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            Shell.Result doctor = cluster.console(1, "doctor", "--json");
            assertThat(doctor.exitCode()).as(doctor.out()).isZero();
            assertThat(doctor.out()).contains("\"paths\"").doesNotContain("\"multicast\"").doesNotContain("\"failed\"");
        });

        // ICMP both ways, TCP, the outside through NAT, and full-size frames, with no multicast on the LAN
        for (int from = 1; from <= 3; from++) {
            for (int to = 1; to <= 3; to++) {
                if (from != to) {
                    assertThat(containers.ping(from, "u" + from, address.get(to))).as("u%d -> u%d", from, to).isTrue();
                }
            }
        }
        assertThat(containers.exec(2, "u2", "sh", "-c", "mkdir -p /www && echo unicast-ok > /www/index.html"
                + " && httpd -p 8080 -h /www").exitCode()).isZero();
        String get = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + address.get(2) + " 8080";
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(containers.exec(1, "u1", "sh", "-c", get).out()).contains("unicast-ok"));
        assertThat(containers.ping(3, "u3", SimulatedLan.INTERNET_ADDRESS)).as("the internet, through NAT").isTrue();
        int lanMtu = Integer.parseInt(cluster.onHost(1, "cat", "/sys/class/net/eth0/mtu").check().out().strip());
        Shell.Result full = containers.inNetns(1, "u1", "ping", "-M", "do", "-s", Integer.toString(lanMtu - 50 - 28), "-c", "2",
                "-W", "3", address.get(3));
        assertThat(full.exitCode()).as(full.out() + full.err()).isZero();

        // a container goes: its entries go everywhere, the others stay
        assertThat(cluster.console(1, "rm", "u3").exitCode()).isZero();
        awaitEntriesMatchTheCluster();
        assertThat(fdb(1)).noneMatch(entry -> entry.startsWith(mac(address.get(3))));

        // a host's LAN link gets a smaller MTU: the overlay's follows on every host, running containers included,
        // and full-size frames still cross
        await().atMost(30, TimeUnit.SECONDS).until(() -> lanMtus().equals(Map.of(1, lanMtu, 2, lanMtu, 3, lanMtu)));
        int smaller = lanMtu - 100;
        Shell.check("ip", "-n", cluster.lan().switchNamespace(), "link", "set", "h2", "mtu", Integer.toString(smaller));
        cluster.onHost(2, "ip", "link", "set", "eth0", "mtu", Integer.toString(smaller)).check();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(lanMtus()).containsEntry(2, smaller);
            for (int host = 1; host <= 2; host++) {
                assertThat(linkMtu(containers.inNetns(host, "u" + host, "ip", "-o", "link", "show", "dev", "eth0").out()))
                        .as("eth0 of u%d", host).isEqualTo(smaller - 50);
                assertThat(linkMtu(cluster.onHost(host, "ip", "-o", "link", "show", "dev", "trama0").check().out()))
                        .as("trama0 of host %d", host).isEqualTo(smaller - 50);
            }
        });
        Shell.Result fullNow = containers.inNetns(1, "u1", "ping", "-M", "do", "-s", Integer.toString(smaller - 50 - 28), "-c",
                "2", "-W", "3", address.get(2));
        assertThat(fullNow.exitCode()).as(fullNow.out() + fullNow.err()).isZero();

        // the overlay's paths, as host 1 probes them: working; cut on purpose (host 3 sends no VXLAN): broken, and
        // working again once mended; a switch port that drops full-size frames: small probes pass, full ones do not
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(paths()).containsEntry(2, "ok mtu-ok")
                .containsEntry(3, "ok mtu-ok"));
        List<String> cut = List.of("OUTPUT", "-p", "udp", "--dport", "4789", "-j", "DROP");
        cluster.onHost(3, concat("iptables", "-I", cut)).check();
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(paths()).containsEntry(3, "broken")
                .containsEntry(2, "ok mtu-ok"));
        assertThat(cluster.console(1, "nodes").check().out()).contains("up, no path");
        cluster.onHost(3, concat("iptables", "-D", cut)).check();
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(paths()).containsEntry(3, "ok mtu-ok"));
        // host 1's switch port takes less than the overlay's frames once encapsulated (no host is told)
        Shell.check("ip", "-n", cluster.lan().switchNamespace(), "link", "set", "h1", "mtu", Integer.toString(smaller - 10));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(paths()).containsEntry(2, "ok mtu-broken")
                .containsEntry(3, "ok mtu-broken"));
        assertThat(cluster.console(1, "nodes").check().out()).contains("up, path MTU");
        Shell.check("ip", "-n", cluster.lan().switchNamespace(), "link", "set", "h1", "mtu", Integer.toString(lanMtu));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(paths()).containsEntry(2, "ok mtu-ok")
                .containsEntry(3, "ok mtu-ok"));

        // a restarted daemon rebuilds exactly the same entries
        Set<String> before = fdb(2);
        Set<String> neighboursBefore = neighbours(2);
        cluster.killDaemon(2);
        cluster.startDaemon(2);
        awaitEntriesMatchTheCluster();
        assertThat(fdb(2)).isEqualTo(before);
        assertThat(neighbours(2)).isEqualTo(neighboursBefore);
        assertThat(containers.ping(1, "u1", address.get(2))).as("after the restart").isTrue();

        // a node released (down past its grace, not merely down): its entries go everywhere; back, they return
        cluster.killDaemon(3);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            for (int host = 1; host <= 2; host++) {
                assertThat(fdb(host)).as("host %d", host).noneMatch(entry -> entry.endsWith(" " + cluster.lan().hostAddress(3)));
            }
        });
        awaitEntriesMatchTheCluster();
        cluster.startDaemon(3);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(fdb(1))
                .contains("00:00:00:00:00:00 " + cluster.lan().hostAddress(3)));
        awaitEntriesMatchTheCluster();

        // a node leaves: nothing of it stays on the others
        assertThat(cluster.console(3, "leave").exitCode()).isZero();
        awaitEntriesMatchTheCluster();
        for (int host = 1; host <= 2; host++) {
            assertThat(fdb(host)).as("host %d", host).noneMatch(entry -> entry.endsWith(" " + cluster.lan().hostAddress(3)));
        }
        assertThat(cluster.console(1, "rm", "u1").exitCode()).isZero();
        assertThat(cluster.console(1, "rm", "u2").exitCode()).isZero();
        assertThat(snapshot(this.other)).as("the other cluster's entries and rules").isEqualTo(otherBefore);
    }

    /** A cluster's VXLAN entries and Trama's rules on each of its hosts, as text to compare. */
    private List<String> snapshot(TramaCluster of) {
        List<String> state = new java.util.ArrayList<>();
        for (int host = 1; host <= of.lan().hosts(); host++) {
            state.add("host " + host + " fdb " + fdb(of, host));
            state.add("host " + host + " neigh " + neighbours(of, host));
            for (String table : List.of("filter", "nat")) {
                state.add("host " + host + " " + table + " " + of.onHost(host, "iptables", "-w", "-t", table, "-S").check().out());
            }
        }
        return state;
    }

    /** Every configured host's entries are those the cluster implies, soon. */
    private void awaitEntriesMatchTheCluster() {
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            JsonNode nodes = read(cluster.console(1, "nodes", "--json").check().out());
            JsonNode ps = read(cluster.console(1, "ps", "--json").check().out());
            for (JsonNode node : nodes) {
                int host = hostOf(node.path("name").asText());
                if (node.path("bridgeIp").isNull() || node.path("bridgeIp").isMissingNode()) {
                    continue;
                }
                Set<String> fdb = new TreeSet<>();
                Set<String> neighbours = new TreeSet<>();
                for (JsonNode other : nodes) {
                    if (other.path("name").equals(node.path("name")) || other.path("bridgeIp").isNull()) {
                        continue;
                    }
                    String lan = other.path("address").asText();
                    String bridgeMac = bridgeMac(hostOf(other.path("name").asText()));
                    fdb.add("00:00:00:00:00:00 " + lan);
                    fdb.add(bridgeMac + " " + lan);
                    neighbours.add(other.path("bridgeIp").asText().replaceAll("/.*", "") + " " + bridgeMac);
                }
                for (JsonNode container : ps) {
                    String on = container.path("node").asText();
                    if (on.equals(node.path("name").asText())) {
                        continue;
                    }
                    String ip = container.path("ip").asText().replaceAll("/.*", "");
                    String lan = cluster.lan().hostAddress(hostOf(on));
                    fdb.add(mac(ip) + " " + lan);
                    neighbours.add(ip + " " + mac(ip));
                }
                assertThat(fdb(host)).as("forwarding entries of host %d", host).isEqualTo(fdb);
                assertThat(neighbours(host)).as("neighbour entries of host %d", host).isEqualTo(neighbours);
            }
        });
    }

    /** The overlay path from host 1 to each other host, as its console shows it: "ok mtu-ok", "broken", ... */
    private Map<Integer, String> paths() {
        Map<Integer, String> paths = new HashMap<>();
        for (JsonNode node : read(cluster.console(1, "nodes", "--json").check().out())) {
            JsonNode path = node.path("path");
            if (path.isObject()) {
                paths.put(hostOf(node.path("name").asText()), !path.path("ok").asBoolean() ? "broken"
                        : path.path("mtuOk").asBoolean() ? "ok mtu-ok" : "ok mtu-broken");
            }
        }
        return paths;
    }

    private static String[] concat(String command, String verb, List<String> rule) {
        List<String> argv = new java.util.ArrayList<>(List.of(command, "-w", verb));
        argv.addAll(rule);
        return argv.toArray(String[]::new);
    }

    /** The LAN MTU of each host's node, as the cluster shows it. */
    private Map<Integer, Integer> lanMtus() {
        Map<Integer, Integer> mtus = new HashMap<>();
        for (JsonNode node : read(cluster.console(1, "nodes", "--json").check().out())) {
            if (node.path("lanMtu").isInt()) {
                mtus.put(hostOf(node.path("name").asText()), node.path("lanMtu").asInt());
            }
        }
        return mtus;
    }

    private static int linkMtu(String ipOneLine) {
        return Integer.parseInt(ipOneLine.replaceAll("(?s).* mtu ([0-9]+) .*", "$1"));
    }

    private int hostOf(String node) {
        for (int host = 1; host <= cluster.lan().hosts(); host++) {
            if (cluster.node(host).equals(node)) {
                return host;
            }
        }
        throw new AssertionError("no host runs node " + node);
    }

    /** The MAC Trama gives the container holding an overlay address. */
    private static String mac(String ip) {
        String[] bytes = ip.split("\\.");
        StringBuilder mac = new StringBuilder("02:7a");
        for (String b : bytes) {
            mac.append(String.format(":%02x", Integer.parseInt(b)));
        }
        return mac.toString();
    }

    private String bridgeMac(int host) {
        return read(cluster.onHost(host, "ip", "-json", "link", "show", "dev", "trama0").check().out()).get(0)
                .path("address").asText();
    }

    private Set<String> fdb(int host) {
        return fdb(cluster, host);
    }

    /** The VXLAN device's own permanent entries, "MAC DESTINATION". */
    private static Set<String> fdb(TramaCluster of, int host) {
        Set<String> entries = new TreeSet<>();
        for (JsonNode entry : read(of.onHost(host, "bridge", "-json", "fdb", "show", "dev", "trama-vx").check().out())) {
            boolean self = false;
            for (JsonNode flag : entry.path("flags")) {
                self |= flag.asText().equals("self");
            }
            if (self && entry.hasNonNull("dst")) {
                entries.add(entry.path("mac").asText() + " " + entry.path("dst").asText());
            }
        }
        return entries;
    }

    private Set<String> neighbours(int host) {
        return neighbours(cluster, host);
    }

    /** The VXLAN device's neighbour entries, "ADDRESS MAC". */
    private static Set<String> neighbours(TramaCluster of, int host) {
        Set<String> entries = new TreeSet<>();
        for (JsonNode entry : read(of.onHost(host, "ip", "-json", "-4", "neigh", "show", "dev", "trama-vx").check().out())) {
            entries.add(entry.path("dst").asText() + " " + entry.path("lladdr").asText());
        }
        return entries;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json.isBlank() ? "[]" : json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
