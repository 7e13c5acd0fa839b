package dev.trama.daemon;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.daemon.host.RecordingRunner;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.runtime.ContainerSpec;
import dev.trama.daemon.runtime.RuntimeContainer;
import dev.trama.daemon.runtime.RuntimeFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrerequisitesTest {

    /** An engine that answers, or not. */
    private static ContainerRuntime engine(boolean answers) {
        return new ContainerRuntime() {
            @Override
            public void ping() {
                if (!answers) {
                    throw new RuntimeFailure("the Docker Engine at unix:///var/run/docker.sock does not answer: "
                            + "connection refused", null);
                }
            }

            @Override
            public List<RuntimeContainer> list(Map<String, String> labels) {
                return List.of();
            }

            @Override
            public Optional<RuntimeContainer> inspect(String id) {
                return Optional.empty();
            }

            @Override
            public void ensureImage(String image, java.util.function.Consumer<dev.trama.protocol.PullProgress> progress) {
            }

            @Override
            public RuntimeContainer start(ContainerSpec spec) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void remove(String id) {
            }

            @Override
            public Output logs(String id, int tail, long sinceSeconds, int maxLines, int maxChars) {
                return new Output(List.of(), false);
            }

            @Override
            public AutoCloseable follow(Map<String, String> labels,
                                        java.util.function.BiConsumer<String, Map<String, String>> changed,
                                        java.util.function.Consumer<Throwable> ended) {
                return () -> { };
            }

            @Override
            public void close() {
            }
        };
    }

    /** A host with iproute2, iptables and nsenter. */
    private static RecordingRunner tools() {
        return new RecordingRunner().succeed("ip -V").succeed("iptables -V").succeed("nsenter -V");
    }

    @Test
    void passesWhenEverythingIsThere() {
        assertThatCode(() -> new Prerequisites(tools(), engine(true), "n1").check()).doesNotThrowAnyException();
    }

    @Test
    void namesTheMissingCommand() {
        RecordingRunner runner = tools().answer("iptables -V", 127, "", "iptables: not found");
        assertThatThrownBy(() -> new Prerequisites(runner, engine(true), "n1").check())
                .hasMessage("node 'n1' cannot be configured: the 'iptables' command is missing or does not work");
    }

    @Test
    void namesAnEngineThatDoesNotAnswer() {
        assertThatThrownBy(() -> new Prerequisites(tools(), engine(false), "n1").check())
                .hasMessage("node 'n1' cannot be configured: the Docker Engine at unix:///var/run/docker.sock does not answer: "
                        + "connection refused");
    }
}
