package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's main command: scripts/trama-sim up brings up three hosts with a container each and shows a
 * ping across the overlay; up again is harmless; down leaves no namespace, container or process behind.
 * It runs under names of its own, so a developer's own trama-sim is left alone; a run killed half-way is
 * cleaned by the next one's up or down.
 */
@Timeout(400)
class DemoIT {

    private static final String NAME = "ttsim";

    private Shell.Result sim(String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "TRAMA_SIM_NAME=" + NAME, "TRAMA_SIM_NODES=" + NAME + "-",
                TramaCluster.projectRoot().resolve("scripts/trama-sim").toString()));
        argv.addAll(List.of(args));
        return Shell.run(argv, 300);
    }

    @AfterEach
    void down() {
        sim("down");
    }

    @Test
    void upShowsTheOverlayWorkingAndDownLeavesNothing() {
        Shell.Result up = sim("up");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("web1 running on ttsim-n1 at 10.10.0.")
                .contains("web3 running on ttsim-n3 at 10.10.0.")
                .contains("3 packets transmitted, 3 packets received, 0% packet loss");
        assertThat(up.err()).contains("console 1");

        Shell.Result again = sim("up");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("already up");
        assertThat(again.out()).contains("0% packet loss");

        Shell.Result ps = sim("console", "2", "ps", "--json");
        assertThat(ps.exitCode()).isZero();
        assertThat(ps.out()).contains("\"name\" : \"web2\"");

        assertThat(sim("down").exitCode()).isZero();
        assertThat(Shell.check("ip", "netns", "list").out()).doesNotContain(NAME + "-");
        assertThat(Shell.check("docker", "ps", "-a", "--format", "{{.Labels}}").out()).doesNotContain("trama.node=" + NAME);
        assertThat(Shell.run("pgrep", "-f", NAME + "-n[0-9]|--name " + NAME).out()).isBlank();
        assertThat(Shell.run("test", "-e", "/run/" + NAME).exitCode()).isNotZero();
    }

    @Test
    void upInUnicastModeWorksOnASwitchWithoutMulticast() {
        Shell.Result wrong = sim("up", "--vxlan", "broadcast");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.err()).contains("--vxlan takes multicast or unicast");
        assertThat(Shell.check("ip", "netns", "list").out()).doesNotContain(NAME + "-");

        Shell.Result up = sim("up", "--vxlan", "unicast");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.err()).contains("the switch drops IPv4 multicast");
        assertThat(up.out()).contains("VXLAN: unicast").contains("3 packets transmitted, 3 packets received, 0% packet loss");
        assertThat(Shell.check("ip", "netns", "exec", NAME + "-sw", "ebtables", "-L", "FORWARD").out())
                .contains("-d 01:00:5e:00:00:00/ff:ff:ff:80:00:00 -j DROP");
    }
}
