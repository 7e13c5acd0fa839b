package dev.trama.daemon.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesTest {

    private final RecordingRunner runner = new RecordingRunner();
    private final Iptables iptables = new Iptables(runner);
    private final Rule jump = new Rule("filter", "FORWARD", List.of("-m", "comment", "--comment", "trama", "-j", "TRAMA-FORWARD"));

    @Test
    void addsARuleOnlyWhenCheckDoesNotFindIt() {
        runner.answer("iptables -w 5 -t filter -C FORWARD", 1, "", "iptables: Bad rule");
        runner.succeed("iptables -w 5 -t filter -I FORWARD 1");
        iptables.ensureFirst(jump);
        assertThat(runner.lines()).containsExactly(
                "iptables -w 5 -t filter -C FORWARD -m comment --comment trama -j TRAMA-FORWARD",
                "iptables -w 5 -t filter -I FORWARD 1 -m comment --comment trama -j TRAMA-FORWARD");
    }

    @Test
    void leavesAPresentRuleAlone() {
        runner.answer("iptables -w 5 -t filter -C FORWARD", 0, "", "");
        iptables.ensure(jump);
        assertThat(runner.lines()).hasSize(1);
    }

    @Test
    void aCheckThatCannotRunIsAnErrorNotAbsence() {
        runner.answer("iptables -w 5 -t filter -C FORWARD", 2, "", "Chain 'TRAMA-FORWARD' does not exist");
        assertThatThrownBy(() -> iptables.ensure(jump)).isInstanceOf(CommandException.class);
    }

    @Test
    void removingAMissingChainIsFine() {
        runner.answer("iptables -w 5 -t nat -S TRAMA-POSTROUTING", 1, "", "No chain/target/match by that name.");
        iptables.deleteChain("nat", "TRAMA-POSTROUTING");
        assertThat(runner.lines()).containsExactly("iptables -w 5 -t nat -S TRAMA-POSTROUTING");
    }

    @Test
    void refusesUnknownTablesAndBadChainNames() {
        assertThatThrownBy(() -> iptables.ensureChain("nat; reboot", "X")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> iptables.ensureChain("nat", "x y")).isInstanceOf(IllegalArgumentException.class);
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void insertsAndDeletesAtAPositionOfTheChain() {
        Rule accept = new Rule("filter", "TRAMA-INPUT", List.of("-s", "192.0.2.11/32", "-j", "ACCEPT"));
        runner.succeed("iptables -w 5 -t filter -I TRAMA-INPUT").succeed("iptables -w 5 -t filter -D TRAMA-INPUT");
        iptables.insert(accept, 3);
        iptables.delete("filter", "TRAMA-INPUT", 1);
        assertThat(runner.lines()).containsExactly(
                "iptables -w 5 -t filter -I TRAMA-INPUT 3 -s 192.0.2.11/32 -j ACCEPT",
                "iptables -w 5 -t filter -D TRAMA-INPUT 1");
        assertThatThrownBy(() -> iptables.delete("filter", "TRAMA-INPUT", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(runner.commands).hasSize(2);
    }
}
