package dev.trama.console.menu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.PortMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersTest {

    private static final List<ContainerInfo> CONTAINERS = List.of(
            new ContainerInfo("web", "n2", "10.10.0.5/16", "trama/base:latest", dev.trama.protocol.ContainerState.RUNNING, List.of()));

    @Test
    void aChoiceIsANumberOfTheMenu() {
        assertThat(Answers.choice("1")).isEqualTo(MenuOption.LAUNCH);
        assertThat(Answers.choice(" 5 ")).isEqualTo(MenuOption.CLOSE);
        for (String bad : new String[] {"", "0", "6", "x", "1.", "-1", "99999999999"}) {
            assertThatThrownBy(() -> Answers.choice(bad)).as(bad).hasMessage("choose a number from 1 to 5");
        }
    }

    @Test
    void aSegmentIsACidrPrefixOrTheOfferedOne() {
        assertThat(Answers.segment(" 10.10.0.0/16 ", null)).isEqualTo("10.10.0.0/16");
        assertThat(Answers.segment("", "10.20.0.0/24")).isEqualTo("10.20.0.0/24");
        assertThat(Answers.segment("10.30.0.0/16", "10.20.0.0/24")).isEqualTo("10.30.0.0/16");
        assertThatThrownBy(() -> Answers.segment("", null)).hasMessageContaining("is required");
        assertThatThrownBy(() -> Answers.segment("10.10.0.0", null)).hasMessageContaining("is not in CIDR form");
        assertThatThrownBy(() -> Answers.segment("10.0.0.0/7", null)).hasMessageContaining("between /8 and /28");
        assertThatThrownBy(() -> Answers.segment("10.10.0.5/16", null)).hasMessageContaining("has host bits set");
    }

    @Test
    void aNodeIsOneOfTheCluster() {
        List<String> nodes = List.of("n1", "n2");
        assertThat(Answers.node("n2", "n1", nodes)).isEqualTo("n2");
        assertThat(Answers.node("  ", "n1", nodes)).isEqualTo("n1");
        assertThatThrownBy(() -> Answers.node("n3", "n1", nodes)).hasMessage("node 'n3' is not in the cluster (nodes: n1, n2)");
        assertThatThrownBy(() -> Answers.node("", null, nodes)).hasMessageContaining("node name");
        assertThatThrownBy(() -> Answers.node("n;1", "n1", nodes)).hasMessageContaining("node name 'n;1' is invalid");
    }

    @Test
    void aNewContainerNameIsValidAndFree() {
        assertThat(Answers.newContainer(" db ", CONTAINERS)).isEqualTo("db");
        assertThatThrownBy(() -> Answers.newContainer("web", CONTAINERS)).hasMessage("container 'web' already exists on node 'n2'");
        assertThatThrownBy(() -> Answers.newContainer("", CONTAINERS)).hasMessageContaining("container name");
        assertThatThrownBy(() -> Answers.newContainer("$(reboot)", CONTAINERS)).hasMessageContaining("is invalid");
    }

    @Test
    void anExistingContainerIsOneOfTheCluster() {
        assertThat(Answers.existingContainer("web ", CONTAINERS).node()).isEqualTo("n2");
        assertThatThrownBy(() -> Answers.existingContainer("db", CONTAINERS)).hasMessage("there is no container 'db' in the cluster");
    }

    @Test
    void anImageIsOptional() {
        assertThat(Answers.image("")).isNull();
        assertThat(Answers.image(" nginx:1.25 ")).isEqualTo("nginx:1.25");
        assertThatThrownBy(() -> Answers.image("Bad Image!")).hasMessageContaining("is not a valid image reference");
    }

    @Test
    void portsAreReadAsDockerSpellsThem() {
        assertThat(Answers.ports("  ")).isEmpty();
        assertThat(Answers.ports("8080:80, 5353:53/udp 9000:90")).containsExactly(new PortMapping(8080, 80, "tcp"),
                new PortMapping(5353, 53, "udp"), new PortMapping(9000, 90, "tcp"));
        assertThatThrownBy(() -> Answers.ports("8080:80 8080:81")).hasMessage("host port 8080/tcp is published twice");
        assertThatThrownBy(() -> Answers.ports("8080")).hasMessageContaining("port mapping '8080' is not HOST_PORT:CONTAINER_PORT");
    }

    @Test
    void yesIsYesAndAnEmptyAnswerIsNo() {
        assertThat(Answers.yes("y")).isTrue();
        assertThat(Answers.yes(" YES ")).isTrue();
        assertThat(Answers.yes("")).isFalse();
        assertThat(Answers.yes("n")).isFalse();
        assertThat(Answers.yes("No")).isFalse();
        assertThatThrownBy(() -> Answers.yes("sure")).hasMessage("answer y or n");
    }
}
