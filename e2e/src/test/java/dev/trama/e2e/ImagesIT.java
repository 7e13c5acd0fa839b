package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.testkit.Registry;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Any image, from a real registry on this machine's loopback: a node pulls what it does not have, showing how
 * far on a terminal and nothing extra when piped; a pull the registry refuses fails the launch with the
 * registry's reason and leaves no address and no container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class ImagesIT {

    private static final String SEGMENT = "10.53.0.0/16";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TramaCluster cluster;
    private Registry registry;
    private Containers containers;
    private Preconditions preconditions;

    @BeforeAll
    void startClusterAndRegistry() {
        registry = Registry.start();
        cluster = TramaCluster.start(2);
        containers = new Containers(cluster);
        preconditions = new Preconditions(cluster);
    }

    @AfterAll
    void stopAll() {
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void configuredAndNoContainerIsLeft() {
        preconditions.everyProcessRunning().noContainers().configured(1, SEGMENT).configured(2, SEGMENT);
    }

    @Test
    void anImageTheNodeLacksIsPulledAndRunsQuietlyWhenPiped() {
        String image = registry.push("trama-test/app", "v1", 2);
        Shell.Result launched = cluster.console(1, "run", cluster.node(2), "app", "--image", image, "--", "sleep", "3600");
        assertThat(launched.exitCode()).as(launched.err()).isZero();
        assertThat(launched.out()).startsWith("app running on " + cluster.node(2));
        assertThat(launched.err()).as("piped: no progress, no pull summary").isEmpty();
        String imageId = Shell.check("docker", "image", "inspect", "-f", "{{.Id}}", image).out().strip();
        JsonNode shown = read(cluster.console(1, "inspect", "app", "--json").check().out());
        assertThat(shown.path("image").asText()).isEqualTo(image);
        assertThat(shown.path("imageId").asText()).isEqualTo(imageId);
        assertThat(containers.exec(2, "app", "ls", "-l", "/payload.bin").out()).contains("2097152");
    }

    @Test
    void onATerminalALaunchThatPullsEndsWithItsResult() {
        String image = registry.push("trama-test/shown", "v1", 4);
        try (Tmux console = Tmux.start("pull", 160, 20, List.of("ip", "netns", "exec", cluster.lan().host(1), "env",
                cluster.runDirVariable(), "java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                TramaCluster.consoleJar().toString(), "run", cluster.node(2), "shown", "--image", image, "--", "sleep", "3600"))) {
            assertThat(console.awaitExit()).isZero();
            assertThat(console.screen()).contains("shown running on " + cluster.node(2));
            assertThat(Shell.run("docker", "image", "inspect", image).ok()).as("pulled by the node").isTrue();
        }
    }

    @Test
    void anImageTheRegistryLacksFailsTheLaunchWithItsReasonAndLeavesNothing() {
        String missing = registry.host() + "/trama-test/nope:v1";
        Shell.Result launched = cluster.console(1, "run", cluster.node(2), "nope", "--image", missing);
        assertThat(launched.exitCode()).isEqualTo(1);
        assertThat(launched.err()).startsWith("trama: node '" + cluster.node(2) + "' could not launch 'nope': image '" + missing
                + "' cannot be pulled: ").contains("not found").hasLineCount(1);
        assertThat(containers.id(2, "nope")).isEmpty();
        assertThat(cluster.console(1, "ps", "--json").check().out()).doesNotContain("nope");
        assertThat(cluster.etcdctl("get", "--prefix", "--keys-only", "/trama/v1/containers/").check().out()).doesNotContain("nope");
        String allocations = cluster.etcdctl("get", "--prefix", "--print-value-only", "/trama/v1/ips/").check().out();
        assertThat(allocations).doesNotContain("\"nope\"");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
