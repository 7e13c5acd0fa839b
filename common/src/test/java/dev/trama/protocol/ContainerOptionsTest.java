package dev.trama.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Docker's spellings of restart policies, memory sizes and CPU counts, the states ps shows, and the VXLAN modes. */
class ContainerOptionsTest {

    @Test
    void restartPoliciesAreDockersAndPrintAsTheyWereGiven() {
        for (String policy : new String[] {"no", "on-failure", "on-failure:2", "always", "unless-stopped"}) {
            assertThat(RestartPolicy.parse(policy).toString()).isEqualTo(policy);
        }
        assertThat(RestartPolicy.parse("on-failure:2")).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 2));
        for (String bad : new String[] {"", "sometimes", "always:2", "on-failure:", "on-failure:0", "on-failure:-1", "NO"}) {
            assertThatThrownBy(() -> RestartPolicy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("restart policy '" + bad + "' is not one of no, on-failure[:N], always, unless-stopped");
        }
    }

    @Test
    void vxlanModesAreTwoWords() {
        assertThat(VxlanMode.parse("multicast")).isEqualTo(VxlanMode.MULTICAST);
        assertThat(VxlanMode.parse("unicast").word()).isEqualTo("unicast");
        assertThat(new String(Codec.encode(new ConsoleRequest.Configure("10.10.0.0/16", VxlanMode.UNICAST)).get(1),
                java.nio.charset.StandardCharsets.UTF_8)).contains("\"vxlan\":\"unicast\"");
        for (String bad : new String[] {"", "Unicast", "broadcast", "uni\u001bcast"}) {
            assertThatThrownBy(() -> VxlanMode.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("' is not one of multicast, unicast").hasMessageNotContaining("\u001b");
        }
    }

    @Test
    void memorySizesTakeDockersUnits() {
        assertThat(ContainerOptions.parseMemory("64m")).isEqualTo(64L << 20);
        assertThat(ContainerOptions.parseMemory("1G")).isEqualTo(1L << 30);
        assertThat(ContainerOptions.parseMemory("7340032")).isEqualTo(7_340_032L);
        assertThat(ContainerOptions.parseMemory("8192k")).isEqualTo(8L << 20);
        assertThat(ContainerOptions.memoryText(64L << 20)).isEqualTo("64m");
        assertThat(ContainerOptions.memoryText(0)).isEmpty();
        assertThatThrownBy(() -> ContainerOptions.parseMemory("64x")).hasMessageStartingWith("memory size '64x' is not a number");
        assertThatThrownBy(() -> ContainerOptions.parseMemory("1m")).hasMessage("memory size '1m' is below 6m, Docker's smallest");
        assertThatThrownBy(() -> ContainerOptions.parseMemory("m")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cpuCountsMayBeFractions() {
        assertThat(ContainerOptions.parseCpus("0.5")).isEqualTo(500_000_000L);
        assertThat(ContainerOptions.parseCpus("2")).isEqualTo(2_000_000_000L);
        assertThat(ContainerOptions.cpusText(1_500_000_000L)).isEqualTo("1.5");
        for (String bad : new String[] {"0", "-1", "1e3", "", "0.0000000001"}) {
            assertThatThrownBy(() -> ContainerOptions.parseCpus(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aStateIsOneWordAndAnExitedOneCarriesItsCode() {
        assertThat(ContainerStatus.exited(3).toString()).isEqualTo("exited (3)");
        assertThat(ContainerStatus.parse("exited (3)")).isEqualTo(ContainerStatus.exited(3));
        assertThat(ContainerStatus.parse("exited (-1)")).isEqualTo(ContainerStatus.exited(-1));
        for (ContainerState state : ContainerState.values()) {
            if (state != ContainerState.EXITED) {
                assertThat(ContainerStatus.parse(state.toString())).isEqualTo(ContainerStatus.of(state));
            }
        }
        for (String bad : new String[] {"exited", "exited ()", "exited (x)", "exited (99999999999)", "Running", ""}) {
            assertThatThrownBy(() -> ContainerStatus.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new ContainerStatus(ContainerState.RUNNING, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
