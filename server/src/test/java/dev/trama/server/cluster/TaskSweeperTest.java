package dev.trama.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ContainerStatus;
import dev.trama.protocol.PullProgress;
import dev.trama.protocol.Replies;
import dev.trama.protocol.Replies.Assignments;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.GetAssignments;
import dev.trama.protocol.ServerRequest.GetTask;
import dev.trama.protocol.ServerRequest.Heartbeat;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.ServerRequest.RemoveContainer;
import dev.trama.protocol.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tasks are published again until acknowledged, and fail with their address released past their deadline. */
class TaskSweeperTest {

    private final ClusterFixture cluster = new ClusterFixture();

    @BeforeEach
    void aNode() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/24"));
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private void launch(String task, String name) {
        cluster.containers.launch(new LaunchContainer(task, "n1", name, "trama/base", null, Map.of(), List.of()));
    }

    private long published(Class<? extends Task> kind) {
        return cluster.published.stream().filter(p -> kind.isInstance(p.task())).count();
    }

    @Test
    void anUnacknowledgedLaunchIsPublishedAgainWithGrowingIntervals() {
        launch("t1", "web");
        assertThat(published(Task.Launch.class)).isEqualTo(1);
        cluster.clock.advance(Duration.ofMillis(500));
        cluster.sweeper.sweep();
        assertThat(published(Task.Launch.class)).isEqualTo(1);
        cluster.clock.advance(Duration.ofMillis(600));
        cluster.sweeper.sweep();
        assertThat(published(Task.Launch.class)).isEqualTo(2);
        cluster.clock.advance(Duration.ofMillis(1_100));
        cluster.sweeper.sweep();
        assertThat(published(Task.Launch.class)).as("the second wait is 2 s").isEqualTo(2);
        cluster.clock.advance(Duration.ofMillis(1_000));
        cluster.sweeper.sweep();
        assertThat(published(Task.Launch.class)).isEqualTo(3);
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n1", true, null));
        cluster.clock.advance(Duration.ofSeconds(10));
        cluster.sweeper.sweep();
        assertThat(published(Task.Launch.class)).as("acknowledged: never again").isEqualTo(3);
    }

    @Test
    void aLaunchPastItsDeadlineFailsAndGivesBackItsNameAndAddress() {
        launch("t1", "web");
        cluster.clock.advance(Duration.ofSeconds(46));
        cluster.sweeper.sweep();
        TaskStatus status = cluster.containers.task(new GetTask("t1"));
        assertThat(status.state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(status.message()).isEqualTo("node 'n1' did not confirm the launch of 'web' within 45 s");
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
        assertThat(cluster.keysUnder(cluster.keys.ips())).containsExactly("10.10.0.1");
        // a late success changes nothing: the tombstone of its launch has the node remove what it made
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n1", true, null));
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
        assertThat(cluster.containers.assignments(new GetAssignments("n1")).tombstones()).containsExactly(
                new Replies.Tombstone("web", "t1", "node 'n1' did not confirm the launch of 'web' within 45 s"));
    }

    @Test
    void aLaunchWhosePullMakesProgressIsNotFailedByItsDeadline() {
        launch("t1", "web");
        for (int layers = 1; layers <= 3; layers++) {
            cluster.clock.advance(Duration.ofSeconds(30));
            cluster.containers.progress(new Report.TaskProgress("t1", "n1", new PullProgress(layers, 4, layers * 1_000_000L, 0)));
            cluster.sweeper.sweep();
        }
        TaskStatus pulling = cluster.containers.task(new GetTask("t1"));
        assertThat(pulling.state()).as("90 s in, still pulling").isEqualTo(TaskStatus.State.PENDING);
        assertThat(pulling.progress()).isEqualTo(new PullProgress(3, 4, 3_000_000, 0));
        // another node's word on it counts for nothing
        cluster.clock.advance(Duration.ofSeconds(30));
        cluster.containers.progress(new Report.TaskProgress("t1", "n9", new PullProgress(4, 4, 4_000_000, 0)));
        cluster.clock.advance(Duration.ofSeconds(16));
        cluster.sweeper.sweep();
        TaskStatus stalled = cluster.containers.task(new GetTask("t1"));
        assertThat(stalled.state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(stalled.message()).isEqualTo("node 'n1' did not confirm the launch of 'web' within 45 s of its last"
                + " progress (3/4 layers, 3.0 MB)");
    }

    @Test
    void aLateConfirmationStillCompletesARemoval() {
        launch("t1", "web");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n1", true, null));
        cluster.containers.remove(new RemoveContainer("t2", "web"));
        cluster.clock.advance(Duration.ofSeconds(46));
        cluster.sweeper.sweep();
        assertThat(cluster.containers.task(new GetTask("t2")).state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactly("web");
        cluster.containers.outcome(new Report.TaskOutcome("t2", "n1", true, null));
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
        assertThat(cluster.keysUnder(cluster.keys.ips())).containsExactly("10.10.0.1");
    }

    @Test
    void finishedTasksAreForgottenAfterTheirRetention() {
        launch("t1", "web");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n1", true, null));
        cluster.clock.advance(Duration.ofMinutes(9));
        cluster.sweeper.sweep();
        assertThat(cluster.keysUnder(cluster.keys.tasks())).containsExactly("t1");
        cluster.clock.advance(Duration.ofMinutes(2));
        cluster.sweeper.sweep();
        assertThat(cluster.keysUnder(cluster.keys.tasks())).isEmpty();
        assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactly("web");
    }

    @Test
    void assignmentsListWhatShouldHoldOnANode() {
        launch("t1", "web");
        launch("t2", "db");
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n1", true, null));
        cluster.containers.remove(new RemoveContainer("t3", "db"));
        cluster.membership.heartbeat(new Heartbeat("n1", cluster.clusterId));
        Assignments assignments = cluster.containers.assignments(new GetAssignments("n1"));
        assertThat(assignments.launches()).extracting(Task.Launch::name, Task.Launch::taskId, Task.Launch::gateway)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", "t1", "10.10.0.1"));
        assertThat(assignments.destroys()).containsExactly(new Task.Destroy("t3", "n1", "db"));
        assertThat(cluster.containers.task(new GetTask("t1")).container().state()).isEqualTo(ContainerStatus.of(ContainerState.RUNNING));
    }
}
