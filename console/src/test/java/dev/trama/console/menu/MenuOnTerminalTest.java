package dev.trama.console.menu;

import java.util.List;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The menu as a person at a terminal meets it: Ctrl-C, tab completion, progress, the live view. */
@Timeout(60)
class MenuOnTerminalTest {

    private static final String CTRL_C = "\u0003";
    private static final String CTRL_D = "\u0004";

    private final FakeDaemon daemon = new FakeDaemon("10.10.0.0/16", true);

    @Test
    void ctrlCAtAQuestionReturnsToTheMenuAndCtrlDCloses() throws Exception {
        try (TerminalDriver menu = new TerminalDriver().start(daemon)) {
            menu.await("Choose [1-5]: ").type("1\r").await("Node [n1]: ").type("n2").type(CTRL_C);
            menu.await("1. Launch container").await("Choose [1-5]: ").type(CTRL_D);
            assertThat(menu.exitCode()).isZero();
        }
        assertThat(daemon.calls).containsExactly("status", "cluster");
    }

    @Test
    void tabCompletesTheNamesTheQuestionExpects() throws Exception {
        daemon.containers.add(new ContainerInfo("webserver", "n2", "10.10.0.9/16", "trama/base:latest",
                dev.trama.protocol.ContainerState.RUNNING, java.util.List.of()));
        try (TerminalDriver menu = new TerminalDriver().start(daemon)) {
            menu.await("Choose [1-5]: ").type("2\r").await("Container name: ").type("web\t");
            menu.await("webserver").type("\r").await("webserver removed from n2");
            menu.await("Choose [1-5]: ").type("5\r");
            assertThat(menu.exitCode()).isZero();
        }
        assertThat(daemon.calls).contains("remove webserver");
    }

    @Test
    void aLongStepShowsProgressAndCtrlCStopsOnlyTheWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeDaemon slow = new FakeDaemon("10.10.0.0/16", true) {
            @Override
            public ContainerInfo run(ConsoleRequest.Run request) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.run(request);
            }
        };
        try (TerminalDriver menu = new TerminalDriver().start(slow)) {
            menu.await("Choose [1-5]: ").type("1\r").await("Node [n1]: ").type("n2\r")
                    .await("Container name: ").type("web\r").await("Image (optional): ").type("\r")
                    .await("(optional): ").type("\r");
            menu.await("launching web on n2... 0s").await("launching web on n2... 1s").type(CTRL_C);
            menu.await("stopped waiting; the node goes on with it").await("Choose [1-5]: ");
            release.countDown();
            menu.type("5\r");
            assertThat(menu.exitCode()).isZero();
        }
    }

    @Test
    void theLiveViewRedrawsUntilAKeyIsPressed() throws Exception {
        try (TerminalDriver menu = new TerminalDriver().start(daemon)) {
            menu.await("Choose [1-5]: ").type("3\r").await("press any key to return to the menu").await("192.0.2.12");
            int before = daemon.calls.size();
            await().atMost(10, TimeUnit.SECONDS).until(() -> daemon.calls.size() >= before + 2);
            menu.type("q").await("Choose [1-5]: ");
            // the menu is back, so the view's loop has ended: what it asked for is all it will ask for
            int left = daemon.calls.size();
            menu.type("5\r");
            assertThat(menu.exitCode()).isZero();
            assertThat(daemon.calls.subList(before, left)).as("the view asked for the cluster again and again")
                    .hasSizeGreaterThanOrEqualTo(2).containsOnly("cluster");
            assertThat(daemon.calls.subList(left, daemon.calls.size())).as("and stopped once a key was pressed")
                    .doesNotContain("cluster");
        }
    }

    @Test
    void ctrlCInTheLiveViewIsJustAKey() throws Exception {
        try (TerminalDriver menu = new TerminalDriver().start(daemon)) {
            menu.await("Choose [1-5]: ").type("3\r").await("press any key to return to the menu");
            menu.type(CTRL_C).await("Choose [1-5]: ").type("5\r");
            assertThat(menu.exitCode()).isZero();
        }
    }
}
