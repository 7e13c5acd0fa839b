package dev.trama.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.GetAssignments;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.ServerRequest.RemoveContainer;
import dev.trama.protocol.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryTest {

    private final ClusterFixture cluster = new ClusterFixture();
    private Directory directory;

    @BeforeEach
    void twoNodesAndTheDirectory() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12"));
        cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/24"));
        cluster.segment.configure(new ConfigureNode("n2", "10.10.0.0/24"));
        directory = Directory.withOwnThread(cluster.store, cluster.keys, cluster.dispatch);
        directory.follow();
    }

    @AfterEach
    void close() {
        directory.close();
        cluster.close();
    }

    private void launch(String task, String node, String name) {
        cluster.containers.launch(new LaunchContainer(task, node, name, "trama/base", null, Map.of(), List.of()));
    }

    /** The last table published to all nodes. */
    private Optional<Task.Names> lastPublished() {
        return cluster.published.stream().filter(p -> p.topic().equals("*") && p.task() instanceof Task.Names)
                .map(p -> (Task.Names) p.task()).reduce((first, second) -> second);
    }

    private void awaitPublished(Map<String, String> addresses) {
        await().atMost(Duration.ofSeconds(5)).until(() -> lastPublished().map(Task.Names::addresses).orElse(Map.of()),
                addresses::equals);
    }

    @Test
    void everyNameComingOrGoingIsPublishedToAllWithItsRevision() {
        launch("t1", "n1", "web");
        awaitPublished(Map.of("web", "10.10.0.3"));
        long first = lastPublished().orElseThrow().revision();
        launch("t2", "n2", "db");
        awaitPublished(Map.of("web", "10.10.0.3", "db", "10.10.0.4"));
        assertThat(lastPublished().orElseThrow().revision()).isGreaterThan(first);
        assertThat(lastPublished().orElseThrow().nodes()).as("where each is").isEqualTo(Map.of("web", "n1", "db", "n2"));

        // a removal asked for takes the name away at once, before the node confirms it
        cluster.containers.remove(new RemoveContainer("t3", "web"));
        awaitPublished(Map.of("db", "10.10.0.4"));
        cluster.containers.outcome(new Report.TaskOutcome("t3", "n1", true, null));
        assertThat(directory.current().addresses()).containsOnlyKeys("db");
        assertThat(directory.current().nodes()).isEqualTo(Map.of("db", "n2"));
    }

    @Test
    void aNodesAssignmentsCarryTheWholeTable() {
        launch("t1", "n1", "web");
        launch("t2", "n2", "db");
        Task.Names names = cluster.containers.assignments(new GetAssignments("n1")).names();
        assertThat(names.addresses()).isEqualTo(Map.of("web", "10.10.0.3", "db", "10.10.0.4"));
        assertThat(names.nodes()).isEqualTo(Map.of("web", "n1", "db", "n2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.current().revision() >= names.revision());
        assertThat(directory.current().addresses()).isEqualTo(names.addresses());
    }

    @Test
    void aRepublicationSendsTheSameTableAgain() {
        launch("t1", "n1", "web");
        awaitPublished(Map.of("web", "10.10.0.3"));
        cluster.published.clear();
        directory.republish();
        awaitPublished(Map.of("web", "10.10.0.3"));
    }
}
