package dev.trama.server;

import static dev.trama.server.WireClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ContainerStatus;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.TaskAccepted;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.GetCluster;
import dev.trama.protocol.ServerRequest.GetTask;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.Task;
import dev.trama.protocol.TramaException;
import dev.trama.server.cluster.Keys;
import dev.trama.server.store.EtcdStore;
import dev.trama.testkit.SharedEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZMQ;

/** The server over its real sockets in plain text (--insecure), with real etcd behind it, driven by a plain ZeroMQ client. */
@Timeout(120)
class ServerIT {

    private final Keys keys = new Keys(SharedEtcd.freshRoot());
    private final EtcdStore store = new EtcdStore(List.of(SharedEtcd.endpoint()), Duration.ofSeconds(5));
    private TramaServer server;
    private WireClient client;

    /** A server on the given ports; 0 for ports the system picks. */
    private TramaServer start(TramaServer.Ports ports) {
        return TramaServer.start(new TramaServer.Config("127.0.0.1", ports.rep(), ports.pub(), ports.pull(),
                Duration.ofMillis(300), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(45), true), store, keys);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
        store.close();
    }

    @Test
    void servesTheWholeJourneyAndKeepsItThroughARestart() {
        server = start(new TramaServer.Ports(0, 0, 0));
        TramaServer.Ports ports = server.ports();
        int pub = ports.pub();
        int pull = ports.pull();
        client = new WireClient("127.0.0.1", ports.rep());
        ZMQ.Socket n2Tasks = client.subscribe(pub, "node/n2/", "all/");
        n2Tasks.setReceiveTimeOut(5_000);
        // the metrics request every 300 ms on the all-nodes topic (or the names, every 5 s) proves the subscription is live
        assertThat(nextTask(n2Tasks)).isInstanceOfAny(Task.CollectMetrics.class, Task.Names.class);

        assertThat(client.call(new RegisterNode("n1", "192.0.2.11")).subnet()).isNull();
        client.call(new RegisterNode("n2", "192.0.2.12"));
        assertRefused(() -> client.call(new RegisterNode("n2", "192.0.2.99")), ErrorCode.ALREADY_EXISTS);
        assertRefused(() -> client.call(new RegisterNode("n3", "192.0.2.11")), ErrorCode.ALREADY_EXISTS);

        assertThat(client.call(new ConfigureNode("n1", "10.10.0.0/16")).bridgeIp()).isEqualTo("10.10.0.1/16");
        assertRefused(() -> client.call(new ConfigureNode("n2", "10.99.0.0/16")), ErrorCode.SEGMENT_CONFLICT);
        assertThat(client.call(new ConfigureNode("n2", "10.10.0.0/16")).bridgeIp()).isEqualTo("10.10.0.2/16");

        TaskAccepted web = client.call(new LaunchContainer("task-web", "n2", "web", "trama/base", null, Map.of(), List.of()));
        assertThat(web.container().ip()).isEqualTo("10.10.0.3/16");
        client.call(new LaunchContainer("task-db", "n1", "db", "trama/base", null, Map.of(), List.of()));
        Task.Launch launch = (Task.Launch) nextTaskSkippingMetrics(n2Tasks);
        assertThat(launch.name()).isEqualTo("web");
        assertThat(launch.gateway()).isEqualTo("10.10.0.2");
        // n1's task is on n1's topic: n2's subscriber never sees it (web's launch may come again: it is unacknowledged)
        n2Tasks.setReceiveTimeOut(800);
        assertThat(tasksUntilSilent(n2Tasks)).allMatch(t -> t instanceof Task.CollectMetrics || t instanceof Task.Members
                || t instanceof Task.Names || t instanceof Task.Launch l && l.node().equals("n2"));

        ZMQ.Socket reports = client.push(pull);
        WireClient.send(reports, Codec.encode(new Report.TaskOutcome("task-web", "n2", true, null)));
        WireClient.send(reports, Codec.encode(new Report.Metrics("n2", 42.5, 700, 2048)));
        await().atMost(5, TimeUnit.SECONDS).until(() -> client.call(new GetTask("task-web")).state().equals(TaskStatus.State.DONE));
        await().atMost(5, TimeUnit.SECONDS).until(() -> client.call(new GetCluster()).nodes().get(1).cpuPercent() != null);

        ClusterView before = client.call(new GetCluster());
        assertThat(before.subnet()).isEqualTo("10.10.0.0/16");
        assertThat(before.containers()).extracting(ContainerInfo::name, ContainerInfo::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("db", ContainerStatus.of(ContainerState.PENDING)),
                        org.assertj.core.groups.Tuple.tuple("web", ContainerStatus.of(ContainerState.RUNNING)));
        assertThat(before.nodes().get(1).cpuPercent()).isEqualTo(42.5);
        assertThat(before.nodes().get(1).freeMemMb()).isEqualTo(700);

        server.close();
        assertThat(client.exchange(Codec.encode(new GetCluster()), 500)).isNull();
        server = start(ports);

        // the same cluster, told by the restarted server at another moment of its clock
        assertThat(client.call(new GetCluster())).usingRecursiveComparison().ignoringFields("serverTime").isEqualTo(before);
        assertThat(client.call(new RegisterNode("n2", "192.0.2.12")).bridgeIp()).isEqualTo("10.10.0.2/16");
        TaskAccepted after = client.call(new LaunchContainer("task-api", "n2", "api", "trama/base", null, Map.of(), List.of()));
        assertThat(after.container().ip()).isNotIn("10.10.0.1/16", "10.10.0.2/16", "10.10.0.3/16", "10.10.0.4/16");
        assertThat(client.call(new GetCluster()).containers()).hasSize(3);
    }

    private static Object nextTask(ZMQ.Socket sub) {
        List<byte[]> frames = WireClient.receive(sub);
        assertThat(frames).as("a publication").isNotNull().hasSize(3);
        String topic = new String(frames.get(0), StandardCharsets.UTF_8);
        assertThat(topic).isIn("node/n2/", "all/");
        return new Codec(Task.class).decode(frames.subList(1, 3));
    }

    private static Object nextTaskSkippingMetrics(ZMQ.Socket sub) {
        Object task;
        do {
            task = nextTask(sub);
        } while (task instanceof Task.CollectMetrics || task instanceof Task.Members || task instanceof Task.Names);
        return task;
    }

    private static List<Object> tasksUntilSilent(ZMQ.Socket sub) {
        List<Object> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<byte[]> frames = WireClient.receive(sub);
            if (frames == null) {
                break;
            }
            seen.add(new Codec(Task.class).decode(frames.subList(1, 3)));
        }
        return seen;
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(TramaException.class)
                .extracting(e -> ((TramaException) e).code()).isEqualTo(code);
    }

    static byte[] bytes(String s) {
        return utf8(s);
    }
}
