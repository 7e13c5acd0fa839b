package dev.trama.daemon.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.daemon.host.Ip;
import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.RecordingRunner;
import dev.trama.daemon.host.Sysctl;
import dev.trama.daemon.network.Firewall;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.network.OverlaySettings;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.runtime.ContainerSpec;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.net.Ipv4;
import dev.trama.protocol.Replies.Tombstone;
import dev.trama.protocol.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which launches may start a container again, and which never do. */
class ContainerTasksTest {

    private static final String CLUSTER = "c0ffee00";
    private static final String NODE = "n1";

    private final Engine engine = new Engine();
    private final ContainerTasks tasks;

    ContainerTasksTest() {
        RecordingRunner runner = new RecordingRunner()
                .answer("ip -json -details link show dev trama0", 0,
                        "[{\"ifindex\":3,\"ifname\":\"trama0\",\"mtu\":1450,\"linkinfo\":{\"info_kind\":\"bridge\"}}]", "")
                .answer("ip -json -details link show", 0, "[]", "") // no container's veth is there
                .succeed("ip link") // attaching and detaching
                .succeed("nsenter"); // configuring eth0 inside the container
        NodeNetwork network = new NodeNetwork(new Ip(runner), new Firewall(new Iptables(runner)), new Sysctl(Path.of("/nonexistent")),
                new OverlaySettings(42, Ipv4.parse("239.1.1.1"), 4789, 20, "eth0", 1500), NODE);
        tasks = new ContainerTasks(NODE, engine, network);
    }

    private static Task.Launch launch(String name) {
        return new Task.Launch(UUID.randomUUID().toString(), NODE, name, "10.0.0.2/24", "10.0.0.1", "trama/base:latest",
                List.of(), Map.of(), List.of());
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

    /** An engine in memory: containers by id. */
    private static final class Engine implements ContainerRuntime {

        final Map<String, RuntimeContainer> containers = new LinkedHashMap<>();
        int started;

        void stopAll() {
            containers.replaceAll((id, c) -> new RuntimeContainer(id, c.labels(), false, 0));
        }

        @Override
        public void ping() {
        }

        @Override
        public List<RuntimeContainer> list(Map<String, String> labels) {
            List<RuntimeContainer> matching = new ArrayList<>();
            containers.values().stream().filter(c -> c.labels().entrySet().containsAll(labels.entrySet())).forEach(matching::add);
            return matching;
        }

        @Override
        public Optional<RuntimeContainer> inspect(String id) {
            return Optional.ofNullable(containers.get(id));
        }

        @Override
        public void ensureImage(String image) {
        }

        @Override
        public RuntimeContainer start(ContainerSpec spec) {
            started++;
            String id = UUID.randomUUID().toString().replace("-", "");
            RuntimeContainer container = new RuntimeContainer(id, spec.labels(), true, 4000 + started);
            containers.put(id, container);
            return container;
        }

        @Override
        public void remove(String id) {
            containers.remove(id);
        }

        @Override
        public void close() {
        }
    }
}
