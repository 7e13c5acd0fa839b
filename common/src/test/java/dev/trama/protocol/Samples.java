package dev.trama.protocol;

import java.util.List;
import java.util.Map;

/** One filled-in instance of every message kind, for round-trip tests. */
final class Samples {

    private Samples() {
    }

    static final List<PortMapping> PORTS = List.of(new PortMapping(8080, 80, "tcp"), new PortMapping(5353, 53, "udp"));
    static final ContainerInfo CONTAINER = new ContainerInfo("web", "n2", "10.10.0.5/16", "trama/base", ContainerState.RUNNING, PORTS);
    static final ContainerInfo EXITED = new ContainerInfo("job", "n1", "10.10.0.6/16", "trama/base", ContainerStatus.exited(3),
            List.of());
    static final ContainerOptions OPTIONS = new ContainerOptions(RestartPolicy.parse("on-failure:2"), 64L << 20, 500_000_000L);
    static final LogLine LINE = new LogLine("2026-12-01T10:00:01.5Z", "stdout", "GET / 200\t1 ms");
    static final NodeInfo NODE = new NodeInfo("n2", "192.0.2.12", NodeInfo.Status.UP, 3.5, 812L, 1, "10.10.0.2/16", null, List.of());

    static List<Object> serverRequests() {
        return List.of(
                new ServerRequest.RegisterNode("n1", "192.0.2.11"),
                new ServerRequest.RegisterNode("n1", "192.0.2.11", "c0ffee00"),
                new ServerRequest.Heartbeat("n1", "c0ffee00"),
                new ServerRequest.GetAssignments("n1"),
                new ServerRequest.ConfigureNode("n1", "10.10.0.0/16"),
                new ServerRequest.ConfigureNode("n1", "10.10.0.0/16", VxlanMode.UNICAST),
                new ServerRequest.LaunchContainer("t-1", "n2", "web", "trama/base:latest", PORTS, Map.of("A", "b=c"),
                        List.of("sh", "-c", "echo hi; sleep 1")),
                new ServerRequest.RemoveContainer("t-2", "web"),
                new ServerRequest.ForgetTombstones("n1", List.of("t-1", "t-2")),
                new ServerRequest.LeaveNode("n1"),
                new ServerRequest.GetTask("t-1"),
                new ServerRequest.GetCluster(),
                new ServerRequest.LaunchContainer("t-3", "n2", "job", "trama/base", List.of(), Map.of(), List.of("false"), OPTIONS),
                new ServerRequest.GetContainer("web", false),
                new ServerRequest.GetLogs("web", 100, null),
                new ServerRequest.GetLogs("web", -1, "2026-12-01T10:00:00.123456789Z"));
    }

    static List<Object> consoleRequests() {
        return List.of(
                new ConsoleRequest.GetStatus(),
                new ConsoleRequest.Configure("10.10.0.0/16"),
                new ConsoleRequest.Configure("10.10.0.0/16", VxlanMode.UNICAST),
                new ConsoleRequest.Diagnose(),
                new ConsoleRequest.Run("n2", "web", null, List.of(), Map.of(), List.of()),
                new ConsoleRequest.Run("n2", "web", "nginx:1.25", PORTS, Map.of("K", "v"), List.of("nginx", "-g", "daemon off;")),
                new ConsoleRequest.Remove("web"),
                new ConsoleRequest.Leave(),
                new ServerRequest.GetCluster(),
                new ConsoleRequest.Run("n2", "job", null, List.of(), Map.of(), List.of("false"), OPTIONS, "t-9"),
                new ServerRequest.GetTask("t-9"),
                new ServerRequest.GetContainer("web", true),
                new ServerRequest.GetLogs("web", -1, null));
    }

    static List<Object> tasks() {
        return List.of(
                new Task.Launch("t-1", "n2", "web", "10.10.0.5/16", "10.10.0.2", "trama/base", PORTS, Map.of(), List.of()),
                new Task.Destroy("t-2", "n2", "web"),
                new Task.Members(List.of(new Task.Member("n1", "192.0.2.11", "10.10.0.1/16"), new Task.Member("n2", "192.0.2.12", null))),
                new Task.Names(42, Map.of("web", "10.10.0.5", "db.main", "10.10.0.6")),
                new Task.Names(43, Map.of("web", "10.10.0.5", "db.main", "10.10.0.6"), Map.of("web", "n2", "db.main", "n1")),
                new Task.CollectMetrics(),
                new Task.FetchLogs("r-1", "n2", "web", 10, null),
                new Task.Launch("t-3", "n2", "job", "10.10.0.6/16", "10.10.0.2", "trama/base", List.of(), Map.of(), List.of(),
                        OPTIONS));
    }

    static List<Object> reports() {
        return List.of(
                new Report.Metrics("n2", 12.5, 812, 2048),
                new Report.Metrics("n2", 12.5, 812, 2048, List.of("stray")),
                new Report.TaskOutcome("t-1", "n2", true, null),
                new Report.TaskOutcome("t-2", "n2", false, "image 'x' not found"),
                new Report.Logs("r-1", "n2", "web", List.of(LINE), true, false),
                new Report.TaskProgress("t-3", "n2", new PullProgress(2, 5, 12_400_000, 40_100_000)),
                new Report.ContainerObserved("n2", "job", "t-3", ContainerStatus.exited(3), 2, "sha256:" + "ab".repeat(32),
                        "02:7a:0a:0a:00:06", "2026-12-01T10:00:00.123456789Z", "2026-12-01T10:00:01Z"),
                new Report.ContainerObserved("n2", "web", "t-1", ContainerStatus.of(ContainerState.RESTARTING), 0, null, null,
                        null, null));
    }

    static List<Object> results() {
        return List.of(
                new Replies.NodeRegistered("c0ffee00", "n1", "10.10.0.0/16", "10.10.0.1/16", 1_000),
                new Replies.NodeRegistered("c0ffee00", "n1", null, null, 250),
                new Replies.Assignments("c0ffee00", List.of((Task.Launch) tasks().get(0)), List.of((Task.Destroy) tasks().get(1)),
                        List.of(new Replies.Tombstone("old", "t-0", "node 'n1' was down for longer than 60 s")),
                        List.of(new Task.Member("n1", "192.0.2.11", "10.10.0.1/16"), new Task.Member("n2", "192.0.2.12", null)), new Task.Names(7, Map.of("web", "10.10.0.5"))),
                new Replies.NodeConfigured("c0ffee00", "n1", "10.10.0.0/16", "10.10.0.1/16"),
                new Replies.NodeConfigured("c0ffee00", "n1", "10.10.0.0/16", "10.10.0.1/16", VxlanMode.UNICAST),
                new Replies.NodeRegistered("c0ffee00", "n1", "10.10.0.0/16", "10.10.0.1/16", 1_000, VxlanMode.UNICAST),
                new Replies.TaskAccepted("t-1", CONTAINER),
                new Replies.TaskStatus("t-1", Replies.TaskStatus.State.FAILED, "no such image", null),
                new Replies.TaskStatus("t-3", Replies.TaskStatus.State.PENDING, null, null, new PullProgress(0, 3, 0, 0)),
                new Replies.NodeLeft("n1", List.of("10.10.0.1", "10.10.0.3"), List.of("web")),
                new Replies.NodeStatus("n1", true, true, "10.10.0.0/16", "10.10.0.1/16", "10.10.0.0/16"),
                new Replies.Done(),
                new ClusterView("10.10.0.0/16", List.of(CONTAINER, EXITED), List.of(NODE)),
                new ClusterView("10.10.0.0/16", List.of(CONTAINER), List.of(NODE.withPath(new NodeInfo.Path(true, 0.42, false))),
                        VxlanMode.UNICAST, 1_796_250_983_707L),
                Replies.Diagnosis.of(List.of(Replies.Finding.ok("server", "the server answers (3 ms)"),
                        Replies.Finding.failed("multicast", "the LAN does not deliver multicast to 239.1.1.1"))),
                new Replies.Logs("web", List.of(LINE, new LogLine("2026-12-01T10:00:02Z", "stderr", "oops")), false, true),
                new Replies.ContainerDetails("job", "n2", "trama/base", "sha256:" + "ab".repeat(32), "10.10.0.6/16",
                        "02:7a:0a:0a:00:06", PORTS, List.of("false"), Map.of("A", Replies.ContainerDetails.MASKED),
                        ContainerStatus.exited(3), 3, 2, "2026-12-01T10:00:00Z", "2026-12-01T10:00:01Z", OPTIONS),
                new ClusterView(null, List.of(), List.of(new NodeInfo("n3", "192.0.2.13", NodeInfo.Status.DOWN, null, null, 0, null,
                        "2026-01-01T00:01:00Z", List.of("container 'x' runs here but the cluster does not know it")))),
                CONTAINER);
    }
}
