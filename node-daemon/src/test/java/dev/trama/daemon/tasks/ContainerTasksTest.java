package dev.trama.daemon.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.daemon.network.Publication;
import dev.trama.daemon.runtime.MemoryRuntime;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.net.Ipv4;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.Replies.Tombstone;
import dev.trama.protocol.Task;
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
    void aStoppedContainerIsReplacedAndItsLaunchStaysValid() {
        Task.Launch web = launch("web");
        tasks.launch(CLUSTER, web);
        engine.stopAll();
        tasks.launch(CLUSTER, web);
        assertThat(engine.containers.values()).singleElement().extracting(RuntimeContainer::running).isEqualTo(true);
        engine.containers.clear();
        tasks.launch(CLUSTER, web);
        assertThat(engine.containers).hasSize(1);
        assertThat(engine.started).isEqualTo(3);
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
