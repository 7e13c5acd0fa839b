package dev.trama.daemon.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.daemon.host.RecordingRunner;
import dev.trama.daemon.network.Publication;
import dev.trama.daemon.runtime.MemoryRuntime;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ContainerStatus;
import dev.trama.protocol.LogLine;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.Replies.Tombstone;
import dev.trama.protocol.Report;
import dev.trama.protocol.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which launches may start a container again, and which never do. */
class ContainerTasksTest {

    private static final String CLUSTER = BuiltNode.CLUSTER;
    private static final String NODE = "n1";

    private final MemoryRuntime engine = new MemoryRuntime();
    private final ContainerTasks tasks = BuiltNode.tasks(NODE, engine);

    private static Task.Launch launch(String name) {
        return new Task.Launch(UUID.randomUUID().toString(), NODE, name, "10.0.0.2/24", "10.0.0.1", "trama/base:latest",
                List.of(), Map.of(), List.of());
    }

    private static Task.Launch launch(String name, String ip, String... ports) {
        return new Task.Launch(UUID.randomUUID().toString(), NODE, name, ip, "10.0.0.1", "trama/base:latest",
                Arrays.stream(ports).map(PortMapping::parse).toList(), Map.of(), List.of());
    }

    private static Task.Destroy destroy(String name) {
        return new Task.Destroy(UUID.randomUUID().toString(), NODE, name);
    }

    @Test
    void aLaunchArrivingAfterItsContainerWasRemovedStartsNothing() {
        Task.Launch web = launch("web");
        tasks.launch(CLUSTER, web);
        tasks.destroy(CLUSTER, destroy("web"));
        tasks.launch(CLUSTER, web);
        assertThat(engine.containers).isEmpty();
        assertThat(engine.started).isEqualTo(1);
    }

    @Test
    void aContainerTheClusterReleasedIsRemovedForGood() {
        Task.Launch web = launch("web");
        tasks.launch(CLUSTER, web);
        List<String> strays = tasks.settle(tasks.local(CLUSTER), Set.of(),
                List.of(new Tombstone("web", web.taskId(), "node 'n1' was down for longer than 60 s")));
        assertThat(strays).isEmpty();
        assertThat(engine.containers).isEmpty();
        tasks.launch(CLUSTER, web);
        assertThat(engine.containers).isEmpty();
    }

    @Test
    void aContainerTheClusterNeverHeardOfIsLeftRunningAndReported() {
        Task.Launch web = launch("web");
        tasks.launch(CLUSTER, web);
        Task.Launch db = launch("db");
        tasks.launch(CLUSTER, db);
        // a tombstone of another launch of the same name does not make this one removable
        List<String> strays = tasks.settle(tasks.local(CLUSTER), Set.of("db"),
                List.of(new Tombstone("web", UUID.randomUUID().toString(), "an older launch")));
        assertThat(strays).containsExactly("web");
        assertThat(engine.containers).hasSize(2);
    }

    @Test
    void aContainerRemovedByOtherMeansIsLaunchedAgain() {
        Task.Launch web = launch("web");
        tasks.launch(CLUSTER, web);
        engine.containers.clear();
        tasks.launch(CLUSTER, web);
        assertThat(engine.containers).hasSize(1);
        assertThat(engine.started).isEqualTo(2);
    }

    @Test
    void anExitedContainerIsKeptAsItEndedAndItsLaunchStaysValid() {
        Task.Launch web = launch("web");
        tasks.launch(CLUSTER, web);
        engine.exitAll(3);
        tasks.launch(CLUSTER, web);
        assertThat(engine.containers.values()).singleElement().extracting(RuntimeContainer::status)
                .isEqualTo(ContainerStatus.exited(3));
        assertThat(engine.started).isEqualTo(1);
        engine.containers.clear();
        tasks.launch(CLUSTER, web);
        assertThat(engine.containers).hasSize(1);
        assertThat(engine.started).isEqualTo(2);
    }

    @Test
    void theClusterIsToldOfEachChangeOnceAndOfEverythingAgainWhenItMayHaveMissedIt() {
        List<Report.ContainerObserved> told = new ArrayList<>();
        ContainerTasks observed = BuiltNode.tasks(NODE, engine, report -> told.add((Report.ContainerObserved) report),
                BuiltNode.host());
        Task.Launch web = launch("web");
        observed.launch(CLUSTER, web);
        assertThat(told).singleElement().satisfies(report -> {
            assertThat(report.name()).isEqualTo("web");
            assertThat(report.taskId()).isEqualTo(web.taskId());
            assertThat(report.status()).isEqualTo(ContainerStatus.of(ContainerState.RUNNING));
            assertThat(report.mac()).isEqualTo("02:7a:0a:00:00:02");
        });
        observed.observeChanged(observed.local(CLUSTER));
        assertThat(told).hasSize(1);
        engine.exitAll(3);
        observed.observeChanged(observed.local(CLUSTER));
        assertThat(told).hasSize(2).last().extracting(Report.ContainerObserved::status).isEqualTo(ContainerStatus.exited(3));
        observed.forgetObserved();
        observed.observeChanged(observed.local(CLUSTER));
        assertThat(told).hasSize(3).last().isEqualTo(told.get(1));
    }

    @Test
    void aContainerTheEngineRestartedIsAttachedAgainAndTheClusterTold() {
        List<Report.ContainerObserved> told = new ArrayList<>();
        RecordingRunner host = BuiltNode.host();
        ContainerTasks observed = BuiltNode.tasks(NODE, engine, report -> told.add((Report.ContainerObserved) report), host);
        observed.launch(CLUSTER, launch("web"));
        String id = engine.containers.keySet().iterator().next();
        engine.exitAll(1);
        observed.follow(CLUSTER, id);
        RuntimeContainer again = engine.restart(id);
        observed.follow(CLUSTER, id);
        assertThat(told).extracting(Report.ContainerObserved::status).containsExactly(ContainerStatus.of(ContainerState.RUNNING),
                ContainerStatus.exited(1), ContainerStatus.of(ContainerState.RUNNING));
        assertThat(told.get(2).restarts()).isEqualTo(1);
        assertThat(host.commands).anySatisfy(command -> assertThat(command)
                .containsSubsequence("ip", "link", "add", "eth0", "address", "02:7a:0a:00:00:02", "netns",
                        Long.toString(again.pid())));
    }

    @Test
    void logsAreReadOnTheNodeAndOnlyThoseAfterTheLastOneShown() {
        List<Report> told = new ArrayList<>();
        ContainerTasks reading = BuiltNode.tasks(NODE, engine, told::add, BuiltNode.host());
        reading.launch(CLUSTER, launch("web"));
        String id = engine.containers.keySet().iterator().next();
        engine.output.put(id, List.of(new LogLine("2026-12-01T10:00:01.100Z", "stdout", "one"),
                new LogLine("2026-12-01T10:00:01.200Z", "stderr", "two"), new LogLine("2026-12-01T10:00:02Z", "stdout", "three")));
        told.clear();
        reading.logs(CLUSTER, new Task.FetchLogs("r-1", NODE, "web", 2, null));
        reading.logs(CLUSTER, new Task.FetchLogs("r-2", NODE, "web", -1, "2026-12-01T10:00:01.100Z"));
        assertThat(told).extracting(r -> ((Report.Logs) r).lines().stream().map(LogLine::text).toList())
                .containsExactly(List.of("two", "three"), List.of("two", "three"));
        assertThat(told).extracting(r -> ((Report.Logs) r).running()).containsExactly(true, true);
    }

    @Test
    void aNewLaunchOfARemovedNameStarts() {
        tasks.launch(CLUSTER, launch("web"));
        tasks.destroy(CLUSTER, destroy("web"));
        Task.Launch again = launch("web");
        tasks.launch(CLUSTER, again);
        assertThat(engine.containers.values()).singleElement()
                .extracting(c -> c.label(Labels.TASK)).isEqualTo(again.taskId());
    }

    @Test
    void aContainersPortsAreInItsLabelsAndPublishedToItsAddress() {
        tasks.launch(CLUSTER, launch("web", "10.0.0.5/24", "8080:80", "5353:53/udp"));
        tasks.launch(CLUSTER, launch("db", "10.0.0.6/24"));
        assertThat(engine.containers.values()).extracting(c -> c.label(Labels.PORTS)).containsExactly("8080:80/tcp,5353:53/udp", "");
        assertThat(tasks.publications(CLUSTER)).containsExactly(new Publication("web", Ipv4.parse("10.0.0.5"),
                List.of(new PortMapping(8080, 80, "tcp"), new PortMapping(5353, 53, "udp"))));
        tasks.destroy(CLUSTER, destroy("web"));
        assertThat(tasks.publications(CLUSTER)).isEmpty();
    }

    @Test
    void aPortAnotherContainerOfTheNodePublishesIsRefusedBeforeAnythingStarts() {
        tasks.launch(CLUSTER, launch("web", "10.0.0.5/24", "8080:80"));
        assertThatThrownBy(() -> tasks.launch(CLUSTER, launch("web2", "10.0.0.6/24", "8080:8080")))
                .hasMessage("host port 8080/tcp is already published by container 'web'");
        assertThat(engine.containers).hasSize(1);
        assertThat(engine.started).isEqualTo(1);
    }
}
