package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code trama doctor} on a multicast-mode cluster: a LAN without an IGMP querier is a warning; all ok on a
 * healthy host once the switch queries; the overlay broken by a switch that drops IPv4 multicast, with multicast
 * delivery named as the cause; FORWARD at DROP without Trama's chain named as failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class DoctorIT {

    private static final String SEGMENT = "10.58.0.0/16";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DROP_MULTICAST = List.of("FORWARD", "-d", "01:00:5e:00:00:00/ff:ff:ff:80:00:00", "-j", "DROP");

    private TramaCluster cluster;
    private Containers containers;
    private String addressOf2;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(2);
        containers = new Containers(cluster);
        for (int host = 1; host <= 2; host++) {
            Shell.Result configured = cluster.console(host, "configure", SEGMENT);
            assertThat(configured.exitCode()).as(configured.err()).isZero();
            Shell.Result run = cluster.console(1, "run", cluster.node(host), "d" + host);
            assertThat(run.exitCode()).as(run.err()).isZero();
            if (host == 2) {
                addressOf2 = run.out().strip().replaceAll(".* at ", "").replaceAll("/16$", "");
            }
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aHealthyHostIsAllOkAndAMulticastLessSwitchIsNamedAsTheCause() {
        // no querier on this LAN yet: multicast arrives, and the missing querier is a warning only
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            Shell.Result doctor = cluster.console(1, "doctor", "--json");
            assertThat(statuses(doctor)).as(doctor.out()).containsEntry("multicast", "warning");
            assertThat(detail(doctor, "multicast")).contains("every other node's beacon is heard")
                    .contains("no IGMP query reached this host").contains("enable an IGMP querier");
            assertThat(doctor.exitCode()).isZero();
        });
        // the switch snoops IGMP and queries, as a managed switch with its querier on does
        String sw = cluster.lan().switchNamespace();
        Shell.check("ip", "-n", sw, "addr", "add", "192.0.2.250/24", "dev", "lan");
        Shell.check("ip", "-n", sw, "link", "set", "lan", "type", "bridge", "mcast_snooping", "1", "mcast_querier", "1",
                "mcast_query_use_ifaddr", "1", "mcast_query_interval", "500", "mcast_startup_query_interval", "100");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Shell.Result doctor = cluster.console(1, "doctor", "--json");
            assertThat(statuses(doctor)).as(doctor.out()).containsEntry("multicast", "ok").containsEntry("paths", "ok")
                    .containsEntry("firewall", "ok").containsEntry("server", "ok").containsEntry("docker", "ok")
                    .doesNotContainValue("failed");
            assertThat(doctor.exitCode()).isZero();
            assertThat(read(doctor.out()).path("ok").asBoolean()).isTrue();
            assertThat(detail(doctor, "multicast")).contains("IGMP querier 192.0.2.250 heard");
        });
        assertThat(containers.ping(1, "d1", addressOf2)).isTrue();

        // the switch stops carrying multicast (as IGMP snooping without a querier does): the overlay, which floods
        // ARP through the group, stops; the doctor says why
        Shell.run(Shell.in(cluster.lan().switchNamespace(), concat("ebtables", "-A", DROP_MULTICAST))).check();
        try {
            containers.inNetns(1, "d1", "ip", "neigh", "flush", "all");
            assertThat(containers.ping(1, "d1", addressOf2)).as("the overlay without multicast; neighbours "
                    + containers.inNetns(1, "d1", "ip", "neigh", "show").out()).isFalse();
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
                Shell.Result doctor = cluster.console(1, "doctor", "--json");
                assertThat(doctor.exitCode()).isEqualTo(1);
                assertThat(statuses(doctor)).containsEntry("multicast", "failed");
                assertThat(detail(doctor, "multicast")).contains("does not deliver multicast").contains("--vxlan unicast");
            });
            Shell.Result text = cluster.console(1, "doctor");
            assertThat(text.exitCode()).isEqualTo(1);
            assertThat(text.out()).contains("multicast").contains("failed").endsWith("a check failed\n");
        } finally {
            Shell.run(Shell.in(cluster.lan().switchNamespace(), concat("ebtables", "-D", DROP_MULTICAST))).check();
        }
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(cluster.console(1, "doctor").exitCode()).isZero());
        await().atMost(10, TimeUnit.SECONDS).until(() -> containers.ping(1, "d1", addressOf2));
    }

    @Test
    void forwardAtDropWithoutTramasChainIsFailed() {
        List<String> jump = List.of("FORWARD", "-m", "comment", "--comment", "trama", "-j", "TRAMA-FORWARD");
        assertThat(cluster.onHost(2, "iptables", "-S", "FORWARD").check().out()).contains("-P FORWARD DROP");
        cluster.onHost(2, concat("iptables", "-D", jump)).check();
        try {
            Shell.Result doctor = cluster.console(2, "doctor", "--json");
            assertThat(doctor.exitCode()).isEqualTo(1);
            assertThat(statuses(doctor)).containsEntry("firewall", "failed");
            assertThat(detail(doctor, "firewall")).contains("the FORWARD policy is DROP").contains("TRAMA-FORWARD");
        } finally {
            if (!cluster.onHost(2, concat("iptables", "-C", jump)).ok()) {
                cluster.onHost(2, concat("iptables", "-I", jump)).check();
            }
        }
        assertThat(statuses(cluster.console(2, "doctor", "--json"))).containsEntry("firewall", "ok");
    }

    private static String[] concat(String command, String verb, List<String> rule) {
        List<String> argv = new java.util.ArrayList<>(List.of(command));
        if (command.equals("iptables")) {
            argv.add("-w");
        }
        argv.add(verb);
        argv.addAll(rule);
        return argv.toArray(String[]::new);
    }

    private static Map<String, String> statuses(Shell.Result doctor) {
        Map<String, String> statuses = new HashMap<>();
        for (JsonNode check : read(doctor.out()).path("checks")) {
            statuses.put(check.path("name").asText(), check.path("status").asText());
        }
        return statuses;
    }

    private static String detail(Shell.Result doctor, String name) {
        for (JsonNode check : read(doctor.out()).path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check.path("detail").asText();
            }
        }
        throw new AssertionError("no check " + name + " in " + doctor.out());
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
