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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Containers as Docker runs them, on two hosts: the state ps shows is the engine's (an exited container keeps
 * its name and address until rm), restart policies restart a container attached again to the overlay with the
 * same address and MAC, limits reach the engine, and inspect shows everything, the environment masked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class WorkloadsIT {

    private static final String SEGMENT = "10.52.0.0/16";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TramaCluster cluster;
    private Containers containers;
    private Preconditions preconditions;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(2);
        containers = new Containers(cluster);
        preconditions = new Preconditions(cluster);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void bothConfiguredAndNoContainerIsLeft() {
        preconditions.everyProcessRunning().noContainers().configured(1, SEGMENT).configured(2, SEGMENT);
    }

    private Shell.Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of("run"));
        argv.addAll(List.of(args));
        return cluster.console(1, argv.toArray(String[]::new));
    }

    private JsonNode inspect(String name, String... options) {
        List<String> argv = new ArrayList<>(List.of("inspect", name, "--json"));
        argv.addAll(List.of(options));
        return read(cluster.console(1, argv.toArray(String[]::new)).check().out());
    }

    private String state(String name) {
        for (JsonNode c : read(cluster.console(1, "ps", "--json").check().out())) {
            if (c.path("name").asText().equals(name)) {
                return c.path("state").asText();
            }
        }
        return "";
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anExitedContainerShowsItsCodeAndKeepsItsAddressUntilRm() {
        Shell.Result launched = run(cluster.node(2), "job", "--", "sh", "-c", "sleep 1; exit 3");
        assertThat(launched.exitCode()).as(launched.err()).isZero();
        String ip = inspect("job").path("ip").asText();
        await().atMost(20, TimeUnit.SECONDS).until(() -> state("job").equals("exited (3)"));
        JsonNode exited = inspect("job");
        assertThat(exited.path("exitCode").asInt()).isEqualTo(3);
        assertThat(exited.path("ip").asText()).isEqualTo(ip);
        assertThat(containers.id(2, "job")).as("the engine keeps the exited container").isNotEmpty();
        assertThat(cluster.etcdctl("get", "--print-value-only", "/trama/v1/ips/" + ip.replaceAll("/16$", "")).check().out())
                .as("its address stays allocated").contains("\"name\":\"job\"");
        // a daemon's convergence leaves it exited: it is never started again behind the user's back
        cluster.stopDaemon(2);
        cluster.startDaemon(2);
        assertThat(state("job")).isEqualTo("exited (3)");
        assertThat(Shell.check("docker", "inspect", "-f", "{{.RestartCount}} {{.State.Status}}", containers.id(2, "job"))
                .out().strip()).isEqualTo("0 exited");
        assertThat(cluster.console(1, "rm", "job").exitCode()).isZero();
        assertThat(containers.id(2, "job")).isEmpty();
    }

    @Test
    void onFailureRestartsAContainerAttachedAgainWithTheSameAddressAndMac() {
        assertThat(run(cluster.node(1), "probe").exitCode()).isZero();
        // each run prints the MAC its eth0 gets once attached, then fails after a while
        Shell.Result launched = run(cluster.node(2), "flaky", "--restart", "on-failure:2", "--", "sh", "-c",
                "while [ ! -e /sys/class/net/eth0 ]; do sleep 0.1; done; cat /sys/class/net/eth0/address; sleep 10; exit 1");
        assertThat(launched.exitCode()).as(launched.err()).isZero();
        JsonNode first = inspect("flaky");
        String address = first.path("ip").asText().replaceAll("/16$", "");
        String mac = first.path("mac").asText();
        assertThat(mac).matches("02:7a(:[0-9a-f]{2}){4}");
        for (int restarts = 1; restarts <= 2; restarts++) {
            int expected = restarts;
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                JsonNode now = inspect("flaky");
                return now.path("restarts").asInt() == expected && now.path("state").asText().equals("running");
            });
            await().atMost(8, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(containers.ping(1, "probe", address)).as("reachable after restart %d", expected).isTrue());
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> state("flaky").equals("exited (1)"));
        assertThat(inspect("flaky").path("restarts").asInt()).isEqualTo(2);
        // read from host 1 while the container ran on host 2: every run had the same MAC
        assertThat(cluster.console(1, "logs", "flaky").check().out()).isEqualTo((mac + "\n").repeat(3));
    }

    @Test
    void logsOfAContainerOnAnotherNodeWithTailAndFollow() {
        assertThat(run(cluster.node(2), "talker", "--", "sh", "-c",
                "for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2; sleep 3600").exitCode()).isZero();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            Shell.Result all = cluster.console(1, "logs", "talker");
            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(all.out()).isEqualTo("line1\nline2\nline3\nline4\nline5\n");
            assertThat(all.err()).isEqualTo("oops\n");
        });
        // --tail means what it means to docker logs
        Shell.Result tail = cluster.console(1, "logs", "talker", "--tail", "2");
        Shell.Result docker = Shell.check("docker", "logs", "--tail", "2", containers.id(2, "talker"));
        assertThat(tail.out()).isEqualTo(docker.out()).doesNotContain("line3").endsWith("line5\n");
        assertThat(tail.err()).isEqualTo(docker.err());

        assertThat(run(cluster.node(2), "ticker", "--", "sh", "-c", "echo start; sleep 3; echo end").exitCode()).isZero();
        Shell.Result followed = cluster.console(1, "logs", "-f", "ticker");
        assertThat(followed.exitCode()).as(followed.err()).isZero();
        assertThat(followed.out()).as("followed until the container stopped").isEqualTo("start\nend\n");
        await().atMost(10, TimeUnit.SECONDS).until(() -> state("ticker").equals("exited (0)"));

        Shell.Result unknown = cluster.console(1, "logs", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("trama: container 'nope' is not in the cluster\n");
    }

    @Test
    void limitsReachTheEngineAndInspectShowsEverythingWithTheEnvironmentMasked() {
        String value = "a b \"q\" 'x' $HOME ü\u00e9";
        Shell.Result launched = run(cluster.node(2), "limited", "--memory", "64m", "--cpus", "0.5", "-e", "SECRET=" + value,
                "--", "sh", "-c", "sleep 3600");
        assertThat(launched.exitCode()).as(launched.err()).isZero();
        assertThat(launched.out()).startsWith("limited running on " + cluster.node(2) + " at 10.52.");
        String id = containers.id(2, "limited");
        assertThat(Shell.check("docker", "inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", id).out().strip())
                .isEqualTo("67108864 500000000");
        assertThat(containers.exec(2, "limited", "sh", "-c", "printf '%s\\n' \"$SECRET\"").out()).isEqualTo(value + "\n");

        JsonNode shown = inspect("limited");
        assertThat(shown.path("name").asText()).isEqualTo("limited");
        assertThat(shown.path("node").asText()).isEqualTo(cluster.node(2));
        assertThat(shown.path("image").asText()).isEqualTo("trama/base:latest");
        assertThat(shown.path("imageId").asText()).isEqualTo(
                Shell.check("docker", "inspect", "-f", "{{.Image}}", id).out().strip());
        assertThat(shown.path("ip").asText()).matches("10\\.52\\.\\d+\\.\\d+/16");
        assertThat(shown.path("mac").asText()).isEqualTo(
                containers.exec(2, "limited", "cat", "/sys/class/net/eth0/address").out().strip());
        assertThat(shown.path("ports").isArray()).isTrue();
        assertThat(shown.path("command").toString()).isEqualTo("[\"sh\",\"-c\",\"sleep 3600\"]");
        assertThat(shown.path("env").toString()).isEqualTo("{\"SECRET\":\"***\"}");
        assertThat(shown.path("state").asText()).isEqualTo("running");
        assertThat(shown.path("exitCode").isNull()).isTrue();
        assertThat(shown.path("restarts").asInt()).isZero();
        assertThat(shown.path("created").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        assertThat(shown.path("started").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        assertThat(inspect("limited", "--show-env").path("env").path("SECRET").asText()).isEqualTo(value);

        Shell.Result text = cluster.console(1, "inspect", "limited");
        assertThat(text.out()).contains("Memory limit:").contains("64m").contains("SECRET=***").doesNotContain(value);
        Shell.Result unknown = cluster.console(1, "inspect", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("trama: container 'nope' is not in the cluster\n");
    }
}
