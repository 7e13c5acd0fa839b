package dev.trama.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.daemon.runtime.MemoryRuntime;
import dev.trama.daemon.tasks.BuiltNode;
import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.net.Ipv4;
import dev.trama.protocol.Replies.Assignments;
import dev.trama.protocol.Replies.Done;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Replies.Tombstone;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node made to match its cluster: what was released goes, what is unknown stays and is reported. */
class ConvergenceTest {

    private static final List<Task.Member> MEMBERS = List.of(new Task.Member("n1", "192.0.2.11", "10.10.0.1/16"),
            new Task.Member("n2", "192.0.2.12", null));

    private static final String CLUSTER = "c0ffee00";

    private final MemoryRuntime engine = new MemoryRuntime();
    private final ContainerTasks containers = BuiltNode.tasks("n1", engine);
    private final Membership membership = new Membership("n1");
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final List<Task.Members> members = new CopyOnWriteArrayList<>();
    private final List<Task.Names> names = new CopyOnWriteArrayList<>();
    private final List<Ipv4> resolverOn = new CopyOnWriteArrayList<>();
    private final TaskRunner tasks = new TaskRunner("n1", membership, containers, reports::add,
            () -> new HostMetrics.Sample(1, 1, 1), members::add, names::add, new KeyedExecutor(2, "task"));
    private final FakeServer server = new FakeServer();
    private final Convergence convergence = new Convergence("n1", server, membership, null, containers, tasks,
            resolverOn::add);

    private Task.Launch web;
    private Task.Launch stray;

    @BeforeEach
    void aNodeWithTwoContainers() {
        membership.joined(new NodeRegistered(CLUSTER, "n1", "10.0.0.0/24", "10.0.0.1/24", 500));
        web = launch("t-web", "web");
        stray = launch("t-stray", "stray");
        containers.launch(CLUSTER, web);
        containers.launch(CLUSTER, stray);
    }

    @AfterEach
    void close() {
        tasks.close();
    }

    private static Task.Launch launch(String taskId, String name) {
        return new Task.Launch(taskId, "n1", name, "10.0.0.2/24", "10.0.0.1", "trama/base", List.of(), Map.of(), List.of());
    }

    private List<String> running() {
        return engine.containers.values().stream().map(c -> c.label("trama.name")).sorted().toList();
    }

    @Test
    void aReleasedContainerGoesAnUnknownOneStaysAndIsReported() {
        Task.Launch db = launch("t-db", "db");
        server.answering(request -> request instanceof ServerRequest.GetAssignments
                ? new Assignments(CLUSTER, List.of(db), List.of(), List.of(new Tombstone("web", "t-web", "node 'n1' was down for longer than 60 s")), MEMBERS,
                        new Task.Names(9, java.util.Map.of("db", "10.10.0.9")))
                : new Done());
        convergence.reconcile();

        await().atMost(10, TimeUnit.SECONDS).until(() -> running().equals(List.of("db", "stray")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> members.contains(new Task.Members(MEMBERS)));
        assertThat(names).containsExactly(new Task.Names(9, java.util.Map.of("db", "10.10.0.9")));
        assertThat(resolverOn).containsExactly(Ipv4.parse("10.0.0.1"));
        assertThat(server.requests(ServerRequest.ForgetTombstones.class))
                .containsExactly(new ServerRequest.ForgetTombstones("n1", List.of("t-web")));
        tasks.run(new Task.CollectMetrics());
        assertThat(reports).filteredOn(Report.Metrics.class::isInstance)
                .singleElement().extracting(r -> ((Report.Metrics) r).strays()).isEqualTo(List.of("stray"));
    }

    @Test
    void assignmentsOfAnotherClusterChangeNothing() {
        server.answering(request -> new Assignments("0ther000", List.of(), List.of(),
                List.of(new Tombstone("web", "t-web", "a wiped cluster")), List.of(), null));
        convergence.reconcile();
        assertThat(running()).containsExactly("stray", "web");
        assertThat(membership.facingOtherCluster()).isTrue();
        assertThat(server.requests(ServerRequest.ForgetTombstones.class)).isEmpty();
    }

    @Test
    void outOfItsClusterTheNodeAsksNothingAndRemovesNothing() {
        membership.lostToOtherCluster("this server serves cluster 0ther000");
        convergence.reconcile();
        assertThat(server.calls).isEmpty();
        assertThat(running()).containsExactly("stray", "web");
    }
}
