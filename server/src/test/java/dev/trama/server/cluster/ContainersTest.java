package dev.trama.server.cluster;

import static dev.trama.server.cluster.MembershipTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.protocol.Check;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ContainerStatus;
import dev.trama.protocol.ContainerOptions;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.Replies.ContainerDetails;
import dev.trama.protocol.RestartPolicy;
import dev.trama.protocol.Replies.TaskAccepted;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.GetContainer;
import dev.trama.protocol.ServerRequest.GetTask;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.ServerRequest.RemoveContainer;
import dev.trama.protocol.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainersTest {

    private final ClusterFixture cluster = new ClusterFixture();

    @BeforeEach
    void twoNodes() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12"));
        cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/24"));
        cluster.segment.configure(new ConfigureNode("n2", "10.10.0.0/24"));
        cluster.published.clear(); // the members, told to all as nodes joined
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private TaskAccepted launch(String task, String node, String name) {
        return cluster.containers.launch(new LaunchContainer(task, node, name, "trama/base", null, Map.of("A", "1"), List.of("sleep", "9")));
    }

    @Test
    void aLaunchIsRecordedWithItsAddressAndPublishedToItsNodeOnly() {
        TaskAccepted accepted = launch("t1", "n2", "web");
        assertThat(accepted.container().ip()).isEqualTo("10.10.0.3/24");
        assertThat(accepted.container().state()).isEqualTo(ContainerStatus.of(ContainerState.PENDING));
        assertThat(cluster.published).hasSize(1);
        assertThat(cluster.published.get(0).topic()).isEqualTo("n2");
        Task.Launch task = (Task.Launch) cluster.published.get(0).task();
        assertThat(task.ip()).isEqualTo("10.10.0.3/24");
        assertThat(task.gateway()).isEqualTo("10.10.0.2");
        assertThat(task.env()).containsEntry("A", "1");
        assertThat(task.command()).containsExactly("sleep", "9");
        assertThat(cluster.containers.task(new GetTask("t1")).state()).isEqualTo(TaskStatus.State.PENDING);
    }

    @Test
    void aRepeatedLaunchIsAnsweredAsBeforeAndAllocatesNothing() {
        TaskAccepted first = launch("t1", "n2", "web");
        TaskAccepted again = launch("t1", "n2", "web");
        assertThat(again).isEqualTo(first);
        assertThat(cluster.keysUnder(cluster.keys.ips())).hasSize(3);
    }

    @Test
    void namesAreUniqueInTheCluster() {
        launch("t1", "n2", "web");
        assertCode(() -> launch("t2", "n1", "web"), ErrorCode.ALREADY_EXISTS, "container 'web' already exists on node 'n2'");
        assertThat(cluster.keysUnder(cluster.keys.ips())).hasSize(3);
    }

    @Test
    void unknownAndUnconfiguredNodesAreRefused() {
        assertCode(() -> launch("t1", "n9", "web"), ErrorCode.NOT_FOUND, "node 'n9' is not in the cluster");
        cluster.membership.register(new RegisterNode("n3", "192.0.2.13"));
        assertCode(() -> launch("t2", "n3", "web"), ErrorCode.NOT_CONFIGURED, "node 'n3' is not configured yet");
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
    }

    @Test
    void aFullSegmentIsSaidAndLeavesNothingBehind() {
        for (int i = 0; i < 252; i++) {
            launch("t" + i, "n1", "c" + i);
        }
        assertCode(() -> launch("t-last", "n1", "last"), ErrorCode.SEGMENT_FULL,
                "segment 10.10.0.0/24 is full: all 254 addresses are in use");
        assertThat(cluster.store.get(cluster.keys.container("last"))).isEmpty();
        assertThat(cluster.store.get(cluster.keys.task("t-last"))).isEmpty();
    }

    @Test
    void aSuccessfulLaunchMakesTheContainerRunning() {
        launch("t1", "n2", "web");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        TaskStatus status = cluster.containers.task(new GetTask("t1"));
        assertThat(status.state()).isEqualTo(TaskStatus.State.DONE);
        assertThat(status.container().state()).isEqualTo(ContainerStatus.of(ContainerState.RUNNING));
        ClusterView view = cluster.reader.view();
        assertThat(view.containers()).extracting(ContainerInfo::name, ContainerInfo::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("web", ContainerStatus.of(ContainerState.RUNNING)));
        assertThat(view.nodes()).extracting(n -> n.containers()).containsExactly(0, 1);
    }

    @Test
    void aFailedLaunchReleasesNameAndAddressAndKeepsTheNodesError() {
        launch("t1", "n2", "web");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", false, "image 'nope' is not available on node 'n2'"));
        TaskStatus status = cluster.containers.task(new GetTask("t1"));
        assertThat(status.state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(status.message()).isEqualTo("image 'nope' is not available on node 'n2'");
        assertThat(status.container()).isNull();
        assertThat(cluster.keysUnder(cluster.keys.ips())).containsExactlyInAnyOrder("10.10.0.1", "10.10.0.2");
        // a late success report for the same task changes nothing
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
    }

    @Test
    void removalPublishesADestroyAndItsSuccessFreesTheAddress() {
        launch("t1", "n2", "web");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        TaskAccepted removing = cluster.containers.remove(new RemoveContainer("t2", "web"));
        assertThat(removing.container().state()).isEqualTo(ContainerStatus.of(ContainerState.REMOVING));
        assertThat(cluster.published.get(1).task()).isEqualTo(new Task.Destroy("t2", "n2", "web"));
        assertThat(cluster.containers.remove(new RemoveContainer("t2", "web"))).isEqualTo(removing);
        cluster.containers.outcome(new Report.TaskOutcome("t2", "n2", true, null));
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
        assertThat(cluster.keysUnder(cluster.keys.ips())).containsExactlyInAnyOrder("10.10.0.1", "10.10.0.2");
        assertCode(() -> cluster.containers.remove(new RemoveContainer("t3", "web")), ErrorCode.NOT_FOUND,
                "container 'web' is not in the cluster");
    }

    @Test
    void aFailedRemovalKeepsTheContainerAndTheError() {
        launch("t1", "n2", "web");
        cluster.containers.remove(new RemoveContainer("t2", "web"));
        cluster.containers.outcome(new Report.TaskOutcome("t2", "n2", false, "docker engine unreachable"));
        TaskStatus status = cluster.containers.task(new GetTask("t2"));
        assertThat(status.state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(status.container().state()).isEqualTo(ContainerStatus.of(ContainerState.REMOVING));
        assertThat(cluster.keysUnder(cluster.keys.ips())).contains("10.10.0.3");
    }

    @Test
    void aRemovalOnADownNodeIsRecordedAndSaidAtOnceButNothingIsRemovedWithoutTheNode() {
        launch("t1", "n2", "web");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        cluster.store.commit(dev.trama.server.store.Txn.create().delete(cluster.keys.alive("n2"))); // its lease lapsed
        int published = cluster.published.size();

        cluster.containers.remove(new RemoveContainer("t2", "web"));
        TaskStatus status = cluster.containers.task(new GetTask("t2"));
        assertThat(status.state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(status.message()).isEqualTo("node 'n2' is down: 'web' is removed when the node comes back, or when it is released");
        assertThat(cluster.published).hasSize(published);
        assertThat(cluster.keysUnder(cluster.keys.ips())).contains("10.10.0.3");

        // back: the removal is among its assignments, and its late confirmation completes it
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12", cluster.clusterId));
        assertThat(cluster.containers.assignments(new dev.trama.protocol.ServerRequest.GetAssignments("n2")).destroys())
                .containsExactly(new Task.Destroy("t2", "n2", "web"));
        cluster.containers.outcome(new Report.TaskOutcome("t2", "n2", true, null));
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
    }

    private TaskAccepted launch(String task, String node, String name, String... ports) {
        return cluster.containers.launch(new LaunchContainer(task, node, name, "trama/base",
                Arrays.stream(ports).map(PortMapping::parse).toList(), null, null));
    }

    @Test
    void publishedPortsTravelWithTheLaunchAndShowInTheView() {
        launch("t1", "n2", "web", "8080:80", "5353:53/udp");
        Task.Launch task = (Task.Launch) cluster.published.get(0).task();
        assertThat(task.ports()).containsExactly(new PortMapping(8080, 80, "tcp"), new PortMapping(5353, 53, "udp"));
        assertThat(cluster.reader.view().containers().get(0).ports()).isEqualTo(task.ports());
        assertThat(cluster.keysUnder(cluster.keys.ports("n2"))).containsExactlyInAnyOrder("tcp/8080", "udp/5353");
    }

    @Test
    void aHostPortPublishedOnTheNodeIsRefusedBeforeAnythingIsMade() {
        launch("t1", "n2", "web", "8080:80");
        int published = cluster.published.size();
        assertCode(() -> launch("t2", "n2", "web2", "9090:90", "8080:8080"), ErrorCode.ALREADY_EXISTS,
                "host port 8080/tcp of node 'n2' is already published by container 'web'");
        assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactly("web");
        assertThat(cluster.keysUnder(cluster.keys.ips())).hasSize(3);
        assertThat(cluster.keysUnder(cluster.keys.ports("n2"))).containsExactly("tcp/8080");
        assertThat(cluster.store.get(cluster.keys.task("t2"))).isEmpty();
        assertThat(cluster.published).hasSize(published);
        // the same port on another node, or for the other protocol, is free
        launch("t3", "n1", "web3", "8080:80");
        launch("t4", "n2", "web4", "8080:80/udp");
    }

    @Test
    void aHostPortIsFreeAgainOnceItsContainerIsGone() {
        launch("t1", "n2", "web", "8080:80");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        cluster.containers.remove(new RemoveContainer("t2", "web"));
        cluster.containers.outcome(new Report.TaskOutcome("t2", "n2", true, null));
        assertThat(cluster.keysUnder(cluster.keys.ports("n2"))).isEmpty();

        launch("t3", "n2", "again", "8080:80");
        cluster.containers.outcome(new Report.TaskOutcome("t3", "n2", false, "host port 8080/tcp is already in use"));
        assertThat(cluster.keysUnder(cluster.keys.ports("n2"))).as("a failed launch gives its ports back").isEmpty();
    }

    @Test
    void releasingOrRemovingANodesContainersFreesTheirPortsWhateverTheirNumber() {
        // each container as many ports as it may have: one container per etcd transaction when released
        for (int i = 0; i < 3; i++) {
            List<String> ports = new ArrayList<>();
            for (int port = 0; port < Check.MAX_PORTS; port++) {
                ports.add((1000 + 100 * i + port) + ":80");
            }
            launch("t" + i, "n2", "c" + i, ports.toArray(String[]::new));
        }
        launch("t9", "n1", "other", "8080:80");
        cluster.store.commit(dev.trama.server.store.Txn.create().delete(cluster.keys.alive("n2"))); // its lease lapsed
        List<String> released = new ArrayList<>();
        assertThat(cluster.containers.releaseAllOf("n2", "node 'n2' was down", released)).containsExactlyInAnyOrder("c0", "c1", "c2");
        assertThat(cluster.keysUnder(cluster.keys.ports("n2"))).isEmpty();
        assertThat(cluster.keysUnder(cluster.keys.ports("n1"))).containsExactly("tcp/8080");

        cluster.membership.register(new RegisterNode("n2", "192.0.2.12", cluster.clusterId)); // back
        launch("t10", "n2", "c10", "8080:80");
        assertThat(cluster.containers.removeAllOf("n2", new ArrayList<>())).containsExactly("c10");
        assertThat(cluster.keysUnder(cluster.keys.ports("n2"))).isEmpty();
    }

    @Test
    void aNodeReportingOnAnotherNodesTaskChangesNothing() {
        launch("t1", "n2", "web");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n1", false, "forged"));
        assertThat(cluster.containers.task(new GetTask("t1")).state()).isEqualTo(TaskStatus.State.PENDING);
        assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactly("web");
    }

    private static Report.ContainerObserved observed(String node, String task, ContainerStatus status, int restarts) {
        return new Report.ContainerObserved(node, "web", task, status, restarts, "sha256:" + "ab".repeat(32),
                "02:7a:0a:0a:00:03", "2026-12-01T10:00:00Z", "2026-12-01T10:00:01Z");
    }

    @Test
    void aLaunchedContainerShowsWhatItsNodesEngineSaysOfIt() {
        launch("t1", "n2", "web");
        cluster.containers.observed(observed("n2", "t1", ContainerStatus.exited(3), 0));
        // until its launch is done, the record's state stands
        assertThat(cluster.reader.view().containers()).extracting(ContainerInfo::state)
                .containsExactly(ContainerStatus.of(ContainerState.PENDING));
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        assertThat(cluster.reader.view().containers()).extracting(ContainerInfo::state).containsExactly(ContainerStatus.exited(3));
        cluster.containers.observed(observed("n2", "t1", ContainerStatus.of(ContainerState.RUNNING), 1));
        assertThat(cluster.containers.task(new GetTask("t1")).container().state()).isEqualTo(ContainerStatus.of(ContainerState.RUNNING));
        assertThat(cluster.containers.details(new GetContainer("web", false)).restarts()).isEqualTo(1);
    }

    @Test
    void reportsOfAnotherNodeOrAnotherLaunchChangeNothing() {
        launch("t1", "n2", "web");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        cluster.containers.observed(observed("n1", "t1", ContainerStatus.exited(9), 0));
        cluster.containers.observed(observed("n2", "t0", ContainerStatus.exited(9), 0));
        cluster.containers.remove(new RemoveContainer("t2", "web"));
        cluster.containers.observed(observed("n2", "t1", ContainerStatus.exited(9), 0));
        ContainerDetails details = cluster.containers.details(new GetContainer("web", false));
        assertThat(details.state()).isEqualTo(ContainerStatus.of(ContainerState.REMOVING));
        assertThat(details.imageId()).isNull();
        assertThat(details.started()).isNull();
    }

    @Test
    void inspectShowsEverythingAndTheEnvironmentOnlyWhenAsked() {
        cluster.containers.launch(new LaunchContainer("t1", "n2", "web", "trama/base", null, Map.of("PASSWORD", "s3cret", "A", "1"),
                List.of("sleep", "9"), new ContainerOptions(RestartPolicy.parse("always"), 64L << 20, 0)));
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        cluster.containers.observed(observed("n2", "t1", ContainerStatus.of(ContainerState.RUNNING), 0));
        ContainerDetails masked = cluster.containers.details(new GetContainer("web", false));
        assertThat(masked.env()).containsOnly(Map.entry("A", "***"), Map.entry("PASSWORD", "***"));
        assertThat(masked.ip()).isEqualTo("10.10.0.3/24");
        assertThat(masked.mac()).isEqualTo("02:7a:0a:0a:00:03");
        assertThat(masked.command()).containsExactly("sleep", "9");
        assertThat(masked.options().restart()).isEqualTo(RestartPolicy.parse("always"));
        assertThat(masked.options().memoryBytes()).isEqualTo(64L << 20);
        assertThat(masked.started()).isEqualTo("2026-12-01T10:00:01Z");
        assertThat(masked.exitCode()).isNull();
        assertThat(cluster.containers.details(new GetContainer("web", true)).env()).containsEntry("PASSWORD", "s3cret");
        assertCode(() -> cluster.containers.details(new GetContainer("nope", false)), ErrorCode.NOT_FOUND,
                "container 'nope' is not in the cluster");
    }

    @Test
    void unknownTasksAreSaidAndReportsOnThemIgnored() {
        assertCode(() -> cluster.containers.task(new GetTask("nope")), ErrorCode.NOT_FOUND, "task nope is unknown");
        cluster.containers.outcome(new Report.TaskOutcome("nope", "n2", true, null));
        assertThat(cluster.keysUnder(cluster.keys.tasks())).isEmpty();
    }

    @Test
    void metricsShowInTheViewOnlyForKnownNodes() {
        cluster.reader.record(new Report.Metrics("n1", 12.34, 812, 2048));
        cluster.reader.record(new Report.Metrics("ghost", 1, 1, 1));
        ClusterView view = cluster.reader.view();
        assertThat(view.subnet()).isEqualTo("10.10.0.0/24");
        assertThat(view.nodes().get(0).cpuPercent()).isEqualTo(12.3);
        assertThat(view.nodes().get(0).freeMemMb()).isEqualTo(812);
        assertThat(view.nodes().get(1).cpuPercent()).isNull();
        assertThat(cluster.keysUnder(cluster.keys.metrics())).containsExactly("n1");
    }
}
