package dev.trama.daemon.network;

import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.Rule;
import dev.trama.net.Ipv4;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies a {@link FirewallPlan} so that the host holds exactly it, and removes all of Trama's rules. A chain
 * is never flushed to be rewritten: only the rules that differ from the plan are inserted or deleted
 * ({@link ChainEdits}), so the rules that stay keep accepting their traffic, and keep their counters, while
 * the others change. The caller runs one change at a time.
 */
public final class Firewall {

    private final Iptables iptables;

    public Firewall(Iptables iptables) {
        this.iptables = iptables;
    }

    /** Converges: missing chains, rules and jumps are added, then rules the plan does not hold are deleted. */
    public void ensure(FirewallPlan plan) {
        plan.chainsFilter().forEach(chain -> converge("filter", chain, plan.rulesIn(chain)));
        plan.chainsNat().forEach(chain -> converge("nat", chain, plan.rulesIn(chain)));
        plan.jumps().forEach(iptables::ensureFirst);
    }

    /** Converges one chain of the plan only; its jumps are there already (an earlier {@link #ensure} made them). */
    public void ensureChain(FirewallPlan plan, String chain) {
        if (plan.chainsFilter().contains(chain)) {
            converge("filter", chain, plan.rulesIn(chain));
        } else if (plan.chainsNat().contains(chain)) {
            converge("nat", chain, plan.rulesIn(chain));
        } else {
            throw new IllegalArgumentException("the plan has no chain " + chain);
        }
    }

    private void converge(String table, String chain, List<Rule> wanted) {
        iptables.ensureChain(table, chain);
        ChainEdits edits = ChainEdits.between(rulesIn(table, chain), wanted);
        edits.insertions().forEach(insertion -> iptables.insert(insertion.rule(), insertion.position()));
        edits.deletions().forEach(position -> iptables.delete(table, chain, position));
    }

    private List<String> rulesIn(String table, String chain) {
        return Arrays.stream(iptables.list(table, chain).split("\n"))
                .filter(line -> line.startsWith("-A "))
                .toList();
    }

    /** The plan's rules and jumps the host does not hold (read only), as iptables prints them. */
    public List<String> missing(FirewallPlan plan) {
        List<String> missing = new java.util.ArrayList<>();
        for (String chain : plan.chainsFilter()) {
            missingIn("filter", chain, plan, missing);
        }
        for (String chain : plan.chainsNat()) {
            missingIn("nat", chain, plan, missing);
        }
        for (Rule jump : plan.jumps()) {
            if (!iptables.chainExists(jump.table(), jump.target()) || !iptables.exists(jump)) {
                missing.add(jump.saved());
            }
        }
        return missing;
    }

    private void missingIn(String table, String chain, FirewallPlan plan, List<String> missing) {
        List<String> held = iptables.chainExists(table, chain) ? rulesIn(table, chain) : List.of();
        plan.rulesIn(chain).stream().map(Rule::saved).filter(rule -> !held.contains(rule)).forEach(missing::add);
    }

    /** The policy of a built-in chain of the filter table, e.g. "DROP". */
    public String policy(String chain) {
        String first = iptables.list("filter", chain).lines().findFirst().orElse("");
        return first.startsWith("-P " + chain + " ") ? first.substring(("-P " + chain + " ").length()).strip() : "";
    }

    /** The members whose VXLAN datagrams the host accepts now (none when Trama's chain is not there). */
    public Set<Ipv4> vxlanMembersHeld(String lanInterface, int vxlanPort) {
        if (!iptables.chainExists("filter", FirewallPlan.INPUT_CHAIN)) {
            return Set.of();
        }
        return rulesIn("filter", FirewallPlan.INPUT_CHAIN).stream()
                .map(line -> FirewallPlan.vxlanMemberIn(line, lanInterface, vxlanPort))
                .flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
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
        iptables.deleteChain("nat", FirewallPlan.PORTS_CHAIN);
    }
}
