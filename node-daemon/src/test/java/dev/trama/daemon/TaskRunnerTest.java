package dev.trama.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.daemon.runtime.MemoryRuntime;
import dev.trama.daemon.tasks.BuiltNode;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Report;
import dev.trama.protocol.Task;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tasks carried out and reported, only while the node is in its cluster. */
class TaskRunnerTest {

    private final MemoryRuntime engine = new MemoryRuntime();
    private final Membership membership = new Membership("n1");
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final List<Task.Members> members = new CopyOnWriteArrayList<>();
    private final List<Task.Names> names = new CopyOnWriteArrayList<>();
    private final TaskRunner runner = new TaskRunner("n1", membership, BuiltNode.tasks("n1", engine), reports::add,
            () -> new HostMetrics.Sample(12.5, 800, 2048), members::add, names::add, new KeyedExecutor(2, "task"));

    @AfterEach
    void close() {
        runner.close();
    }

    private static Task.Launch launch(String taskId, String node, String name, String image) {
        return new Task.Launch(taskId, node, name, "10.0.0.2/24", "10.0.0.1", image, List.of(), Map.of(), List.of());
    }

    private void join() {
        membership.joined(new NodeRegistered("c0ffee00", "n1", "10.0.0.0/24", "10.0.0.1/24", 500));
    }

    @Test
    void aLaunchForThisNodeRunsAndItsOutcomeIsReported() {
        join();
        runner.run(launch("t1", "n1", "web", "trama/base"));
        runner.run(launch("t2", "n2", "elsewhere", "trama/base"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !reports.isEmpty());
        assertThat(reports).containsExactly(new Report.TaskOutcome("t1", "n1", true, null));
        assertThat(engine.containers.values()).singleElement().extracting(c -> c.label("trama.name")).isEqualTo("web");
    }

    @Test
    void aTaskThatFailsIsReportedWithItsSentence() {
        join();
        engine.missingImages.add("nope");
        runner.run(launch("t1", "n1", "web", "nope"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !reports.isEmpty());
        assertThat(reports).singleElement().isInstanceOfSatisfying(Report.TaskOutcome.class, outcome -> {
            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.message()).isEqualTo("image 'nope' is not available");
        });
    }

    @Test
    void nothingRunsWhileTheNodeIsOutOfItsClusterOrLeaving() {
        runner.run(launch("t1", "n1", "web", "trama/base"));
        runner.run(new Task.CollectMetrics());
        join();
        membership.leaving(true);
        runner.run(launch("t2", "n1", "db", "trama/base"));
        assertThat(engine.started).isZero();
        assertThat(reports).isEmpty();
    }

    @Test
    void theClustersNamesArePassedOnWhileTheNodeIsInItsCluster() {
        Task.Names before = new Task.Names(3, Map.of("web", "10.0.0.2"));
        runner.run(before);
        join();
        Task.Names after = new Task.Names(4, Map.of("web", "10.0.0.2", "db", "10.0.0.3"));
        runner.run(after);
        assertThat(names).containsExactly(after);
    }

    @Test
    void metricsCarryTheStraysTheLastConvergenceFound() {
        join();
        runner.strays(List.of("stray"));
        runner.run(new Task.CollectMetrics());
        assertThat(reports).containsExactly(new Report.Metrics("n1", 12.5, 800, 2048, List.of("stray")));
    }
}
