package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.RecordingRunner;
import org.junit.jupiter.api.Test;

class FirewallTest {

    private final RecordingRunner runner = new RecordingRunner();
    private final Firewall firewall = new Firewall(new Iptables(runner));

    @Test
    void removingWhatIsGoneLooksForNoJumpIntoAMissingChain() {
        runner.answer("iptables -w 5 -t filter -S", 1, "", "iptables: No chain/target/match by that name.\n");
        runner.answer("iptables -w 5 -t nat -S", 1, "", "iptables: No chain/target/match by that name.\n");
        firewall.remove();
        assertThat(runner.lines()).isNotEmpty().allMatch(line -> line.matches("iptables -w 5 -t (filter|nat) -S TRAMA-[A-Z]+"));
    }
}
