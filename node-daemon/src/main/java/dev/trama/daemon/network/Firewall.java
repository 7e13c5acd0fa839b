package dev.trama.daemon.network;

import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.Rule;
import java.util.Arrays;
import java.util.List;

/** Applies a {@link FirewallPlan} so that the host holds exactly it, and removes all of Trama's rules. */
public final class Firewall {

    private final Iptables iptables;

    public Firewall(Iptables iptables) {
        this.iptables = iptables;
    }

    /** Converges: missing chains and rules are added, a chain that differs from the plan is rewritten. */
    public void ensure(FirewallPlan plan) {
        plan.chainsFilter().forEach(chain -> converge("filter", chain, plan.rulesIn(chain)));
        plan.chainsNat().forEach(chain -> converge("nat", chain, plan.rulesIn(chain)));
        plan.jumps().forEach(iptables::ensureFirst);
    }

    private void converge(String table, String chain, List<Rule> wanted) {
        iptables.ensureChain(table, chain);
        List<String> present = Arrays.stream(iptables.list(table, chain).split("\n"))
                .filter(line -> line.startsWith("-A "))
                .toList();
        List<String> expected = wanted.stream().map(Rule::saved).toList();
        if (!present.equals(expected)) {
            iptables.flush(table, chain);
            wanted.forEach(iptables::ensure);
        }
    }

    /** Removes the jumps, then Trama's chains with their rules. Safe to repeat. */
    public void remove() {
        for (Rule jump : FirewallPlan.allJumps()) {
            // no jump outlives the chain it enters, and iptables -C fails (exit 2) rather than answer
            // "no such rule" when the target chain is missing
            if (iptables.chainExists(jump.table(), jump.target())) {
                iptables.deleteIfExists(jump);
            }
        }
        iptables.deleteChain("filter", FirewallPlan.FORWARD_CHAIN);
        iptables.deleteChain("filter", FirewallPlan.INPUT_CHAIN);
        iptables.deleteChain("nat", FirewallPlan.NAT_CHAIN);
    }
}
