package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The interactive menu as a person meets it: the real console on a real pseudo-terminal (tmux) inside
 * a host of a simulated LAN, each answer typed only once its prompt is on the screen (JLine may drop
 * input typed ahead of it). For the first start, host 2 is configured and host 1 has never been, so host
 * 1 is offered the cluster's segment; host 2 leaves through its menu.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class MenuIT {

    private static final String SEGMENT = "10.46.0.0/16";
    private static final String CHOOSE = "Choose [1-5]:";
    private static final Pattern CLOCK = Pattern.compile("System information at (\\d\\d:\\d\\d:\\d\\d)");

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

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Tmux openMenu(int host) {
        return Tmux.start("menu", 120, 40, List.of("ip", "netns", "exec", cluster.lan().host(host), "env",
                cluster.runDirVariable(), "java", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", TramaCluster.consoleJar().toString()));
    }

    @Test
    void firstRunThenLaunchDestroyWatchAndClose() {
        preconditions.configured(2, SEGMENT).neverConfigured(1);
        try (Tmux menu = openMenu(1)) {
            firstRunThenLaunchDestroyWatchAndClose(menu);
        }
    }

    private void firstRunThenLaunchDestroyWatchAndClose(Tmux menu) {
        String n1 = cluster.node(1);
        String n2 = cluster.node(2);

        String segmentPrompt = "Overlay segment (e.g. 10.10.0.0/16) [" + SEGMENT + "]:";
        assertThat(menu.awaitPrompt(segmentPrompt))
                .contains("Node " + n1 + " is not configured yet.").contains("The cluster's overlay segment is " + SEGMENT);
        menu.answer("banana");
        menu.awaitText("error: 'banana' is not in CIDR form");
        menu.awaitPrompt(segmentPrompt);
        menu.answer("10.99.0.0/16");
        menu.awaitText("error: the cluster's segment is " + SEGMENT + ", not 10.99.0.0/16");
        menu.awaitPrompt(segmentPrompt);
        menu.answer("");
        assertThat(menu.awaitPrompt(CHOOSE))
                .contains("node " + n1 + " configured: segment " + SEGMENT + ", bridge 10.46.")
                .contains("1. Launch container").contains("5. Close console");
        assertThat(cluster.onHost(1, "ip", "-br", "addr", "show", "dev", "trama0").check().out()).contains("10.46.");

        menu.answer("1");
        String launch = menu.awaitPrompt("Node [" + n1 + "]:");
        assertThat(launch).contains("NODES").contains(n2).contains("192.0.2.12");
        menu.answer(n2);
        menu.awaitPrompt("Container name:");
        menu.answer("menuweb");
        menu.awaitPrompt("Image (optional):");
        menu.answer("");
        menu.awaitPrompt("Published ports, e.g. 8080:80 (optional):");
        menu.answer("8080");
        menu.awaitText("error: port mapping '8080' is not HOST_PORT:CONTAINER_PORT");
        menu.awaitPrompt("Published ports, e.g. 8080:80 (optional):");
        menu.answer("8080:80");
        assertThat(menu.awaitPrompt(CHOOSE)).contains("menuweb running on " + n2 + " at 10.46.");
        assertThat(containers.id(2, "menuweb")).as("the container runs on node 2").isNotEmpty();
        assertThat(Shell.check("docker", "inspect", "-f", "{{.State.Running}}", containers.id(2, "menuweb")).out().strip())
                .isEqualTo("true");
        assertThat(cluster.console(1, "ps").check().out()).contains("8080->80/tcp");

        menu.answer("1");
        menu.awaitPrompt("Node [" + n1 + "]:");
        menu.press("C-c");
        menu.awaitPrompt(CHOOSE);

        menu.answer("2");
        assertThat(menu.awaitPrompt("Container name:")).contains("menuweb").contains("running");
        menu.type("menu").press("Tab");
        menu.await("the name completed", screen -> Tmux.lastLine(screen).equals("Container name: menuweb"));
        menu.press("Enter");
        assertThat(menu.awaitPrompt(CHOOSE)).contains("menuweb removed from " + n2);
        assertThat(containers.id(2, "menuweb")).as("the container is gone").isEmpty();

        menu.answer("3");
        String first = menu.awaitText("press any key to return to the menu");
        String refreshed = menu.await("a redraw with a later time and both nodes up",
                screen -> !clock(screen).equals(clock(first)) && screen.contains(n1) && screen.contains(n2));
        assertThat(refreshed).contains("NODES").contains("CPU").contains("FREE RAM").contains("192.0.2.11").contains("up")
                .doesNotContain(CHOOSE);
        menu.type("q");
        assertThat(menu.awaitPrompt(CHOOSE)).doesNotContain("press any key");

        menu.answer("5");
        assertThat(menu.awaitExit()).isZero();
        assertThat(cluster.onHost(1, "ip", "link", "show", "dev", "trama0").ok()).as("the node is untouched").isTrue();
        Shell.Result nodes = cluster.console(1, "nodes");
        assertThat(nodes.out()).contains(n1).contains(n2);
    }

    @Test
    void theMenuCanBeDrivenByPipedInput() {
        preconditions.configured(1, SEGMENT);
        String n1 = cluster.node(1);
        String script = String.join("\\n", "1", n1, "piped", "", "", "3", "2", "pip", "piped", "5");
        Shell.Result piped = Shell.run(Shell.in(cluster.lan().host(1), "sh", "-c", "printf '" + script + "\\n' | " + cluster.runDirVariable() + " java -jar "
                + TramaCluster.consoleJar()), 120);
        assertThat(piped.exitCode()).as(piped.err()).isZero();
        assertThat(piped.err()).as("no warning about the dumb terminal").isEmpty();
        assertThat(piped.out()).containsSubsequence(
                "Choose [1-5]: 1", "Node [" + n1 + "]: " + n1, "Container name: piped", "piped running on " + n1 + " at 10.46.",
                "Choose [1-5]: 3", "System information at", "piped", "NODES", cluster.node(2),
                "Choose [1-5]: 2", "Container name: pip\n", "error: there is no container 'pip' in the cluster",
                "Container name: piped", "piped removed from " + n1,
                "Choose [1-5]: 5");
        assertThat(containers.id(1, "piped")).isEmpty();
    }

    @Test
    void leavingFromTheMenuTakesTheNodeOutAndCloses() {
        preconditions.configured(2, SEGMENT);
        String n2 = cluster.node(2);
        Shell.Result run = cluster.console(1, "run", n2, "leftover");
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (Tmux menu = openMenu(2)) {
            assertThat(menu.awaitPrompt(CHOOSE)).contains("Trama console of node " + n2 + " (segment " + SEGMENT);
            menu.answer("4");
            assertThat(menu.awaitPrompt("Take node " + n2 + " out of the cluster? [y/N]:"))
                    .contains("Leaving removes this node's containers and its network set-up.");
            menu.answer("y");
            assertThat(menu.awaitExit()).isZero();
            assertThat(menu.screen()).contains("node " + n2 + " left the cluster: 1 container(s) removed");
        }
        assertThat(containers.idsOfNode(2)).isEmpty();
        assertThat(cluster.onHost(2, "ip", "link", "show", "dev", "trama0").ok()).isFalse();
        assertThat(cluster.console(1, "nodes").out()).contains(cluster.node(1)).doesNotContain(n2);
        // its daemon ends once the node is out; the next test's preconditions start it again
        await().atMost(15, TimeUnit.SECONDS).until(() -> !cluster.daemonRunning(2));
    }

    private static String clock(String screen) {
        Matcher m = CLOCK.matcher(screen);
        return m.find() ? m.group(1) : "";
    }
}
