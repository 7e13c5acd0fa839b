package dev.trama.daemon.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingRunnerTest {

    private final RecordingRunner runner = new RecordingRunner().answer("ip link del", 1, "", "gone").succeed("ip link del dev a0");

    @Test
    void anUndeclaredCommandFailsTheTestNamingIt() {
        assertThatThrownBy(() -> runner.run(List.of("ip", "link", "set", "dev", "x y", "up")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("`ip link set dev 'x y' up`");
    }

    @Test
    void answersTheLongestDeclaredPrefixOfWholeWords() {
        assertThat(runner.run(List.of("ip", "link", "del", "dev", "a0")).exitCode()).isZero();
        assertThat(runner.run(List.of("ip", "link", "del", "dev", "a00")).exitCode()).isEqualTo(1);
        assertThatThrownBy(() -> runner.run(List.of("ip", "link", "delete"))).isInstanceOf(AssertionError.class);
    }
}
