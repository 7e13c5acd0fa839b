package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The scriptable console on two hosts, as the CLI contract states it: each subcommand's output, exit
 * status and JSON shape, help for each, and no progress line where no terminal is watching. Each test
 * starts with both nodes registered and no container, and configures or launches what it looks at.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class ConsoleCommandsIT {

    private static final String SEGMENT = "10.48.0.0/16";
    private static final String OVERLAY_ADDRESS = "10\\.48\\.\\d{1,3}\\.\\d{1,3}/16";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CONTAINER_FIELDS = Set.of("name", "node", "ip", "image", "state");
    private static final Set<String> NODE_FIELDS = Set.of("name", "address", "status", "cpuPercent", "freeMemMb", "containers",
            "lanMtu", "path");

    private TramaCluster cluster;
    private Containers containers;
    private Preconditions preconditions;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(2);
        containers = new Containers(cluster);
        preconditions = new Preconditions(cluster);
    }

    @BeforeEach
    void bothNodesRunAndNoContainerIsLeft() {
        preconditions.everyProcessRunning().noContainers();
    }

    private void bothConfigured() {
        preconditions.configured(1, SEGMENT).configured(2, SEGMENT);
    }

    /** web1 on node 1 and web2 on node 2, each launched from its own host. */
    private void webOnEachHost() {
        for (int host = 1; host <= 2; host++) {
            ok(host, "run", cluster.node(host), "web" + host);
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A console command that must succeed; no terminal here, so stderr must stay empty (no progress line). */
    private String ok(int host, String... args) {
        Shell.Result result = cluster.console(host, args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
        assertThat(result.err()).as(String.join(" ", args) + " on stderr").isEmpty();
        return result.out();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> fields(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everySubcommandHasHelpAndBashCompletionIsGenerated() {
        assertThat(ok(1, "--help")).startsWith("Usage: trama").contains("opens the menu");
        for (String command : List.of("configure", "run", "rm", "ps", "nodes", "info", "leave", "generate-completion")) {
            assertThat(ok(1, command, "--help")).as(command).startsWith("Usage: trama " + command);
        }
        String completion = ok(1, "generate-completion");
        assertThat(completion).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_trama");
        Shell.Result loaded = Shell.run("bash", "-c", "source /dev/stdin <<'EOF'\n" + completion + "\nEOF\ncomplete -p trama");
        assertThat(loaded.exitCode()).as(loaded.err()).isZero();
        assertThat(loaded.out()).contains("_complete_trama");
    }

    @Test
    void configureSetsEachNodeUp() {
        for (int host = 1; host <= 2; host++) {
            assertThat(ok(host, "configure", SEGMENT)).matches("node " + cluster.node(host) + " configured: segment "
                    + SEGMENT.replace(".", "\\.") + ", bridge " + OVERLAY_ADDRESS + ", multicast VXLAN\n");
        }
    }

    @Test
    void runStartsAContainerOnEachHost() {
        bothConfigured();
        for (int host = 1; host <= 2; host++) {
            String name = "web" + host;
            assertThat(ok(host, "run", cluster.node(host), name))
                    .matches(name + " running on " + cluster.node(host) + " at " + OVERLAY_ADDRESS + "\n");
            assertThat(containers.id(host, name)).as(name + " in Docker").isNotEmpty();
        }
    }

    @Test
    void onATerminalALongStepShowsProgressOnStderrThenErasesIt() {
        bothConfigured();
        String console = String.join(" ", Shell.in(cluster.lan().host(1), "env", cluster.runDirVariable(), "java", "-jar",
                TramaCluster.consoleJar().toString()));
        Shell.Result onTerminal = Shell.run(List.of("script", "-qefc",
                console + " run " + cluster.node(2) + " web3 >/dev/null; " + console + " rm web3", "/dev/null"), 120);
        assertThat(onTerminal.exitCode()).as(onTerminal.out()).isZero();
        assertThat(onTerminal.out()).contains("launching web3 on " + cluster.node(2) + "... 0s")
                .contains("removing web3... 0s").contains("\r\033[2Kweb3");
    }

    @Test
    void psListsTheContainersInTextAndJson() {
        bothConfigured();
        webOnEachHost();
        List<String> text = ok(1, "ps").lines().toList();
        assertThat(text.get(0)).matches("NAME +NODE +IP +IMAGE +STATE");
        assertThat(text).hasSize(3).allMatch(line -> line.length() <= 80);
        assertThat(text.get(1) + text.get(2)).contains("web1").contains("web2").contains("running");

        JsonNode ps = json(ok(2, "ps", "--json"));
        assertThat(ps.isArray()).isTrue();
        assertThat(ps).hasSize(2);
        List<String> names = new ArrayList<>();
        for (JsonNode container : ps) {
            assertContainerShape(container);
            names.add(container.get("name").asText());
            assertThat(container.get("node").asText()).isEqualTo(cluster.node(container.get("name").asText().equals("web1") ? 1 : 2));
        }
        assertThat(names).containsExactlyInAnyOrder("web1", "web2");
    }

    private static void assertContainerShape(JsonNode container) {
        assertThat(fields(container)).containsAll(CONTAINER_FIELDS);
        for (String field : CONTAINER_FIELDS) {
            assertThat(container.get(field).isTextual()).as(field + " is a string").isTrue();
        }
        assertThat(container.get("ip").asText()).matches(OVERLAY_ADDRESS);
        assertThat(container.get("image").asText()).isEqualTo("trama/base:latest");
        assertThat(container.get("state").asText()).isEqualTo("running");
    }

    @Test
    void nodesShowStatusAndMetricsInTextAndJson() {
        bothConfigured();
        webOnEachHost();
        int lanMtu = Integer.parseInt(cluster.onHost(1, "cat", "/sys/class/net/eth0/mtu").check().out().strip());
        JsonNode nodes = await().atMost(15, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                .until(() -> json(ok(1, "nodes", "--json")), ConsoleCommandsIT::allReported);
        assertThat(nodes.isArray()).isTrue();
        assertThat(nodes).hasSize(2);
        for (int host = 1; host <= 2; host++) {
            JsonNode node = nodes.get(host - 1).get("name").asText().equals(cluster.node(host)) ? nodes.get(host - 1) : nodes.get(2 - host);
            assertThat(fields(node)).containsAll(NODE_FIELDS);
            assertThat(node.get("name").asText()).isEqualTo(cluster.node(host));
            assertThat(node.get("address").asText()).isEqualTo(cluster.lan().hostAddress(host));
            assertThat(node.get("status").asText()).isEqualTo("up");
            assertThat(node.get("cpuPercent").isNumber()).isTrue();
            assertThat(node.get("cpuPercent").asDouble()).isBetween(0.0, 100.0);
            assertThat(node.get("freeMemMb").isIntegralNumber()).isTrue();
            assertThat(node.get("freeMemMb").asLong()).isPositive();
            assertThat(node.get("containers").isIntegralNumber()).isTrue();
            assertThat(node.get("containers").asInt()).isEqualTo(1);
            assertThat(node.get("lanMtu").asInt()).isEqualTo(lanMtu);
            // the overlay's path to the other node, as host 1 (where the console runs) measures it
            if (host == 2) {
                assertThat(node.get("path").path("ok").isBoolean()).as(node.toString()).isTrue();
                assertThat(node.get("path").path("mtuOk").isBoolean()).isTrue();
            } else {
                assertThat(node.get("path").isNull()).as("none to itself").isTrue();
            }
        }

        List<String> text = ok(2, "nodes").lines().toList();
        assertThat(text.get(0)).matches("NAME +ADDRESS +STATUS +CPU +FREE RAM +CONTAINERS +MTU");
        assertThat(text).hasSize(3).allMatch(line -> line.length() <= 80);
        assertThat(text.get(1)).startsWith(cluster.node(1)).contains("192.0.2.11").contains(" up ").contains("%").contains(" MB");
    }

    private static boolean allReported(JsonNode nodes) {
        for (JsonNode node : nodes) {
            if (!node.path("cpuPercent").isNumber() || !node.path("freeMemMb").isNumber() || !node.path("lanMtu").isInt()) {
                return false;
            }
        }
        return nodes.size() == 2;
    }

    @Test
    void infoShowsSegmentContainersAndNodesInTextAndJson() {
        bothConfigured();
        webOnEachHost();
        JsonNode info = json(ok(1, "info", "--json"));
        assertThat(info.isObject()).isTrue();
        assertThat(fields(info)).containsAll(Set.of("containers", "nodes", "subnet"));
        assertThat(info.get("subnet").asText()).isEqualTo(SEGMENT);
        assertThat(info.get("containers")).hasSize(2);
        info.get("containers").forEach(ConsoleCommandsIT::assertContainerShape);
        assertThat(info.get("nodes")).hasSize(2);
        info.get("nodes").forEach(node -> assertThat(fields(node)).containsAll(NODE_FIELDS));

        String text = ok(2, "info");
        assertThat(text).startsWith("Segment: " + SEGMENT + "\n").contains("CONTAINERS\nNAME").contains("NODES\nNAME")
                .contains("web1").contains("web2").contains(cluster.node(1)).contains(cluster.node(2));
        assertThat(text.lines()).allMatch(line -> line.length() <= 80);
    }

    @Test
    void failuresAreOneSentenceWithTheirExitStatus() {
        bothConfigured();
        Shell.Result unknownNode = cluster.console(1, "run", cluster.lan().prefix() + "n9", "stray");
        assertThat(unknownNode.exitCode()).isEqualTo(1);
        assertThat(unknownNode.err()).startsWith("trama: ").contains(cluster.lan().prefix() + "n9");
        assertThat(unknownNode.err().strip().lines()).hasSize(1);

        Shell.Result unknownContainer = cluster.console(1, "rm", "nothing-here");
        assertThat(unknownContainer.exitCode()).isEqualTo(1);
        assertThat(unknownContainer.err()).startsWith("trama: ").contains("nothing-here").doesNotContain("Exception");

        Shell.Result ports = cluster.console(1, "run", cluster.node(1), "published", "-p", "8080");
        assertThat(ports.exitCode()).isEqualTo(2);
        assertThat(ports.err()).contains("port mapping '8080' is not HOST_PORT:CONTAINER_PORT[/tcp|/udp]");
        assertThat(containers.id(1, "stray")).isEmpty();
        assertThat(containers.id(1, "published")).isEmpty();
    }

    @Test
    void rmRemovesTheContainerFromAnyHost() {
        bothConfigured();
        webOnEachHost();
        assertThat(ok(2, "rm", "web1")).isEqualTo("web1\n");
        assertThat(containers.id(1, "web1")).isEmpty();
        JsonNode ps = json(ok(1, "ps", "--json"));
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).get("name").asText()).isEqualTo("web2");
    }

    @Test
    void leaveTakesTheNodeOutWithItsContainers() {
        bothConfigured();
        ok(2, "run", cluster.node(2), "web2");
        assertThat(ok(2, "leave")).isEqualTo("node " + cluster.node(2) + " left the cluster: 1 container(s) removed, "
                + "2 address(es) released\n");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !cluster.daemonRunning(2));
        assertThat(containers.idsOfNode(2)).isEmpty();
        JsonNode nodes = json(ok(1, "nodes", "--json"));
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).get("name").asText()).isEqualTo(cluster.node(1));
        assertThat(json(ok(1, "ps", "--json"))).isEmpty();
    }
}
