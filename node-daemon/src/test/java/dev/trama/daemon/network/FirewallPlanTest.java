package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.daemon.host.Rule;
import dev.trama.net.Cidr;
import org.junit.jupiter.api.Test;

class FirewallPlanTest {

    @Test
    void acceptsTheOverlayAndMasqueradesItsWayOutInChainsOfItsOwn() {
        FirewallPlan plan = FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789);
        assertThat(plan.rules()).extracting(r -> r.table() + " " + r.saved()).containsExactly(
                "filter -A TRAMA-FORWARD -i trama0 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-FORWARD -o trama0 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -i eth0 -p udp -m udp --dport 4789 -m comment --comment trama -j ACCEPT",
                "nat -A TRAMA-POSTROUTING -s 10.10.0.0/16 ! -o trama0 -m comment --comment trama -j MASQUERADE");
        assertThat(plan.jumps()).extracting(r -> r.table() + " " + r.saved()).containsExactly(
                "filter -A FORWARD -m comment --comment trama -j TRAMA-FORWARD",
                "filter -A INPUT -m comment --comment trama -j TRAMA-INPUT",
                "nat -A POSTROUTING -m comment --comment trama -j TRAMA-POSTROUTING");
        assertThat(plan.jumps()).extracting(Rule::target)
                .containsExactly(FirewallPlan.FORWARD_CHAIN, FirewallPlan.INPUT_CHAIN, FirewallPlan.NAT_CHAIN);
    }

    @Test
    void everyRuleIsTaggedAsTramas() {
        FirewallPlan plan = FirewallPlan.of("trama0", Cidr.parse("10.0.0.0/8"), "ens3", 8472);
        assertThat(plan.rules()).extracting(Rule::spec).allMatch(spec -> spec.containsAll(java.util.List.of("--comment", "trama")));
        assertThat(plan.rules()).extracting(Rule::chain).allMatch(chain -> chain.startsWith("TRAMA-"));
    }
}
