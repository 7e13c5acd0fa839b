package dev.trama.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortMappingTest {

    @Test
    void readsDockersSpelling() {
        assertThat(PortMapping.parse("8080:80")).isEqualTo(new PortMapping(8080, 80, "tcp"));
        assertThat(PortMapping.parse("5353:53/udp")).isEqualTo(new PortMapping(5353, 53, "udp"));
        assertThat(PortMapping.parse("5353:53/UDP")).isEqualTo(new PortMapping(5353, 53, "udp"));
        assertThat(PortMapping.parse("65535:1/tcp").toString()).isEqualTo("65535:1/tcp");
        assertThat(PortMapping.parse("8080:80").hostSide()).isEqualTo("8080/tcp");
    }

    @Test
    void refusesAnythingElseInOneSentence() {
        for (String bad : List.of("8080", "8080:", ":80", "a:b", "8080:80:90", "008080:80", "")) {
            assertThatThrownBy(() -> PortMapping.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not HOST_PORT:CONTAINER_PORT[/tcp|/udp]");
        }
        assertThatThrownBy(() -> PortMapping.parse("8080:80/sctp")).hasMessage("protocol 'sctp' is not tcp or udp");
        assertThatThrownBy(() -> PortMapping.parse("0:80")).hasMessage("ports must be between 1 and 65535");
        assertThatThrownBy(() -> PortMapping.parse("70000:80")).hasMessage("ports must be between 1 and 65535");
    }

    @Test
    void travelsAsTheContractsJson() {
        List<byte[]> frames = Codec.ok(new PortMapping(8080, 80, "tcp"));
        assertThat(new String(frames.get(1), StandardCharsets.UTF_8))
                .contains("\"host\":8080,\"container\":80,\"protocol\":\"tcp\"");
    }

    @Test
    void aContainerPublishesEachHostPortOnce() {
        assertThat(Check.ports(null)).isEmpty();
        assertThat(Check.ports(List.of(PortMapping.parse("53:53/udp"), PortMapping.parse("53:53/tcp")))).hasSize(2);
        assertThatThrownBy(() -> Check.ports(List.of(PortMapping.parse("8080:80"), PortMapping.parse("8080:81"))))
                .hasMessage("host port 8080/tcp is published twice");
        assertThatThrownBy(() -> Check.ports(Collections.nCopies(Check.MAX_PORTS + 1, PortMapping.parse("1:1"))))
                .hasMessageContaining("at most 64 ports");
        assertThatThrownBy(() -> new ServerRequest.LaunchContainer("t-1", "n1", "web", "trama/base",
                List.of(PortMapping.parse("8080:80"), PortMapping.parse("8080:80")), Map.of(), List.of()))
                .hasMessage("host port 8080/tcp is published twice");
    }
}
