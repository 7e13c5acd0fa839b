package dev.trama.console.menu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.NodeStatus;
import dev.trama.protocol.TramaException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MenuFlowTest {

    private static final String SEGMENT = "10.10.0.0/16";

    private final FakeDaemon configured = new FakeDaemon(SEGMENT, true);

    @Test
    void theFirstNodeIsAskedForASegmentUntilOneIsValid() {
        FakeDaemon daemon = new FakeDaemon(null, false);
        MenuSession session = MenuSession.run(daemon, "banana\n10.10.0.1/16\n10.10.0.0/30\n\n10.10.0.0/16\nbroadcast\nunicast\n5\n");
        assertThat(session.exitCode).isZero();
        assertThat(session.transcript).containsSubsequence(
                "Node n1 is not configured yet.\nIt is the first node of the cluster",
                "Overlay segment (e.g. 10.10.0.0/16): banana", "error: 'banana' is not in CIDR form",
                "error: 10.10.0.1/16 has host bits set; the network is 10.10.0.0/16",
                "error: segment 10.10.0.0/30 must have a prefix length between /8 and /28",
                "error: an overlay segment in CIDR form (e.g. 10.10.0.0/16) is required",
                "VXLAN mode (multicast, or unicast where the LAN carries no multicast) [multicast]: broadcast",
                "error: VXLAN mode 'broadcast' is not one of multicast, unicast",
                "node n1 configured: segment 10.10.0.0/16, bridge 10.10.0.1/16, unicast VXLAN",
                "Trama console of node n1 (segment 10.10.0.0/16, bridge 10.10.0.1/16)",
                "1. Launch container", "5. Close console", "Choose [1-5]: 5");
        assertThat(daemon.calls).containsExactly("status", "configure 10.10.0.0/16 unicast", "status");
    }

    @Test
    void aLaterNodeIsOfferedTheClusterSegmentAndShownTheDaemonsRefusal() {
        FakeDaemon daemon = new FakeDaemon(SEGMENT, false);
        MenuSession session = MenuSession.run(daemon, "10.20.0.0/16\n\n5\n");
        assertThat(session.transcript).containsSubsequence(
                "The cluster's overlay segment is 10.10.0.0/16 (multicast VXLAN): press Enter to join it.",
                "Overlay segment (e.g. 10.10.0.0/16) [10.10.0.0/16]: 10.20.0.0/16",
                "error: the cluster's segment is 10.10.0.0/16, not 10.20.0.0/16",
                "Overlay segment (e.g. 10.10.0.0/16) [10.10.0.0/16]: \n",
                "node n1 configured: segment 10.10.0.0/16");
        assertThat(daemon.calls).containsExactly("status", "configure 10.20.0.0/16", "configure 10.10.0.0/16", "status");
    }

    @Test
    void closingAtTheSegmentQuestionLeavesTheNodeUnconfigured() {
        FakeDaemon daemon = new FakeDaemon(null, false);
        MenuSession session = MenuSession.run(daemon, "");
        assertThat(session.exitCode).isZero();
        assertThat(session.transcript).contains("Closed; run trama again to configure node n1.");
        assertThat(daemon.calls).containsExactly("status");
    }

    @Test
    void launchingAsksNodeNameImageAndPortsAndShowsWhereItRuns() {
        MenuSession session = MenuSession.run(configured,
                "1\nn9\nn2\nbad name\nweb\nBad Image!\n\nabc\n8080:80 8080:81\n8080:80, 5353:53/udp\n5\n");
        assertThat(session.exitCode).isZero();
        assertThat(session.transcript).containsSubsequence(
                "Segment: 10.10.0.0/16", "NODES", "n2",
                "Node [n1]: n9", "error: node 'n9' is not in the cluster (nodes: n1, n2)",
                "Node [n1]: n2",
                "Container name: bad name", "error: container name 'bad name' is invalid",
                "Container name: web",
                "Image (optional): Bad Image!", "error: image 'Bad Image!' is not a valid image reference",
                "Published ports, e.g. 8080:80 (optional): abc", "error: port mapping 'abc' is not HOST_PORT:CONTAINER_PORT",
                "Published ports, e.g. 8080:80 (optional): 8080:80 8080:81", "error: host port 8080/tcp is published twice",
                "Published ports, e.g. 8080:80 (optional): 8080:80, 5353:53/udp",
                "web running on n2 at 10.10.0.5/16",
                "Choose [1-5]: 5");
        assertThat(configured.calls).containsExactly("status", "cluster", "run n2 web null [8080:80/tcp, 5353:53/udp]");
    }

    @Test
    void launchingOffersThisNodeAndRefusesANameInUse() {
        configured.containers.add(container("web", "n2"));
        MenuSession session = MenuSession.run(configured, "1\n\nweb\nweb2\nnginx:1.25\n\n5\n");
        assertThat(session.transcript).containsSubsequence(
                "error: container 'web' already exists on node 'n2'",
                "web2 running on n1 at 10.10.0.6/16");
        assertThat(configured.calls).contains("run n1 web2 nginx:1.25");
    }

    @Test
    void aLaunchTheNodeRefusesShowsItsSentenceAndTheMenuComesBack() {
        configured.failNextRun = "web";
        MenuSession session = MenuSession.run(configured, "1\nn2\nweb\n\n\n5\n");
        assertThat(session.exitCode).isZero();
        assertThat(session.transcript).containsSubsequence(
                "error: node 'n2' could not launch 'web': image not found", "1. Launch container", "Choose [1-5]: 5");
        assertThat(session.transcript).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void destroyingShowsTheContainersAndAsksUntilTheNameIsOne() {
        configured.containers.add(container("web", "n2"));
        configured.containers.add(container("db", "n1"));
        MenuSession session = MenuSession.run(configured, "2\nnope\nweb\n5\n");
        assertThat(session.transcript).containsSubsequence(
                "NAME", "IMAGE", "web", "db",
                "Container name: nope", "error: there is no container 'nope' in the cluster",
                "Container name: web", "web removed from n2");
        assertThat(configured.calls).containsExactly("status", "cluster", "remove web");
        assertThat(configured.containers).extracting(ContainerInfo::name).containsExactly("db");
    }

    @Test
    void destroyingWithNoContainersSaysSo() {
        MenuSession session = MenuSession.run(configured, "2\n5\n");
        assertThat(session.transcript).contains("There are no containers in the cluster.");
        assertThat(configured.calls).doesNotContain("remove");
    }

    @Test
    void systemInformationWithoutATerminalIsPrintedOnce() {
        configured.containers.add(container("web", "n2"));
        MenuSession session = MenuSession.run(configured, "3\n5\n");
        assertThat(session.transcript).containsSubsequence(
                "System information at", "Segment: 10.10.0.0/16",
                "CONTAINERS", "web", "n2", "10.10.0.9/16", "running",
                "NODES", "NAME", "ADDRESS", "STATUS", "CPU", "FREE RAM",
                "n1", "192.0.2.11", "up", "2.5%", "900 MB",
                "n2", "192.0.2.12", "up", "-", "-",
                "Choose [1-5]: 5");
        assertThat(configured.calls).containsExactly("status", "cluster");
    }

    @Test
    void leavingAsksFirstAndClosesOnlyOnYes() {
        configured.containers.add(container("db", "n1"));
        MenuSession session = MenuSession.run(configured, "4\nmaybe\n\n4\ny\n");
        assertThat(session.exitCode).isZero();
        assertThat(session.transcript).containsSubsequence(
                "Take node n1 out of the cluster? [y/N]: maybe", "error: answer y or n",
                "Node n1 stays in the cluster.", "Choose [1-5]: 4",
                "Take node n1 out of the cluster? [y/N]: y",
                "node n1 left the cluster: 1 container(s) removed, 1 address(es) released");
        assertThat(session.transcript).doesNotContainPattern("left the cluster[\\s\\S]*Choose");
        assertThat(configured.calls).containsExactly("status", "leave");
    }

    @Test
    void aWrongChoiceIsRefused() {
        MenuSession session = MenuSession.run(configured, "9\nx\n\n5\n");
        assertThat(session.transcript).containsSubsequence(
                "Choose [1-5]: 9", "error: choose a number from 1 to 5",
                "Choose [1-5]: x", "error: choose a number from 1 to 5",
                "Choose [1-5]: 5");
    }

    @Test
    void theEndOfInputClosesTheConsoleAnywhere() {
        assertThat(MenuSession.run(configured, "").exitCode).isZero();
        assertThat(MenuSession.run(configured, "1\nn2\n").exitCode).isZero();
        assertThat(configured.calls).doesNotContain("run");
    }

    @Test
    void aLastLineWithoutNewlineIsStillAnAnswer() {
        configured.containers.add(container("web", "n2"));
        MenuSession session = MenuSession.run(configured, "2\nweb");
        assertThat(session.exitCode).isZero();
        assertThat(session.transcript).contains("web removed from n2");
        assertThat(configured.calls).containsExactly("status", "cluster", "remove web");
    }

    @Test
    void aFailureInsideAnOptionIsOneSentenceAndTheMenuComesBack() {
        Daemon unreachable = new FakeDaemon(SEGMENT, true) {
            @Override
            public ClusterView cluster() {
                throw new TramaException(ErrorCode.UNAVAILABLE, "the server did not answer within 5.0 s");
            }
        };
        MenuSession session = MenuSession.run(unreachable, "1\n2\n5\n");
        assertThat(session.transcript).containsSubsequence(
                "error: the server did not answer within 5.0 s", "Choose [1-5]: 2",
                "error: the server did not answer within 5.0 s", "Choose [1-5]: 5");
    }

    @Test
    void aDaemonThatCannotBeReachedStopsTheMenuAtOnce() {
        Daemon absent = new FakeDaemon(SEGMENT, true) {
            @Override
            public NodeStatus status() {
                throw new TramaException(ErrorCode.UNAVAILABLE, "no Trama daemon is running on this host");
            }
        };
        assertThatThrownBy(() -> MenuSession.run(absent, "5\n"))
                .isInstanceOf(TramaException.class).hasMessage("no Trama daemon is running on this host");
    }

    private static ContainerInfo container(String name, String node) {
        return new ContainerInfo(name, node, "10.10.0.9/16", "trama/base:latest", dev.trama.protocol.ContainerState.RUNNING, List.of());
    }
}
