package dev.trama.daemon.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerRuntimeTest {

    @Test
    void keepsOnlyTheEnginesOwnSentence() {
        RuntimeException pull = new RuntimeException("Status 500: {\"message\":\"Get \\\"http://127.0.0.1:1/v2/\\\": dial tcp "
                + "127.0.0.1:1: connect: connection refused\"}\n");
        assertThat(DockerRuntime.reason(pull))
                .isEqualTo("Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused");
        assertThat(DockerRuntime.reason(new RuntimeException("plain failure "))).isEqualTo("plain failure");
        assertThat(DockerRuntime.reason(new RuntimeException("{\"message\": broken"))).isEqualTo("{\"message\": broken");
    }
}
