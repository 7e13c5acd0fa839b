package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.daemon.host.Rule;
import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FirewallPlanTest {

    private static final Set<Ipv4> MEMBERS = Set.of(Ipv4.parse("192.0.2.12"), Ipv4.parse("192.0.2.3"), Ipv4.parse("192.0.2.11"));

    @Test
    void acceptsOnlyTheOverlaysOwnPathsAndTheMembersVxlanInChainsOfItsOwn() {
        FirewallPlan plan = FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, MEMBERS);
        assertThat(plan.rules()).extracting(r -> r.table() + " " + r.saved()).containsExactly(
                "filter -A TRAMA-FORWARD -i trama0 -o trama0 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-FORWARD -i trama0 -o eth0 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-FORWARD -i eth0 -o trama0 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-FORWARD -i trama0 -m comment --comment trama -j DROP",
                "filter -A TRAMA-INPUT -s 192.0.2.3/32 -i eth0 -p udp -m udp --dport 4789 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -s 192.0.2.11/32 -i eth0 -p udp -m udp --dport 4789 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -s 192.0.2.12/32 -i eth0 -p udp -m udp --dport 4789 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -p udp -m udp --dport 4789 -m comment --comment trama -j DROP",
                "nat -A TRAMA-POSTROUTING -s 10.10.0.0/16 -o eth0 -m comment --comment trama -j MASQUERADE");
        assertThat(plan.jumps()).extracting(r -> r.table() + " " + r.saved()).containsExactly(
                "filter -A FORWARD -m comment --comment trama -j TRAMA-FORWARD",
                "filter -A INPUT -m comment --comment trama -j TRAMA-INPUT",
                "nat -A POSTROUTING -m comment --comment trama -j TRAMA-POSTROUTING");
        assertThat(plan.jumps()).extracting(Rule::target)
                .containsExactly(FirewallPlan.FORWARD_CHAIN, FirewallPlan.INPUT_CHAIN, FirewallPlan.NAT_CHAIN);
    }

    @Test
    void withoutMembersNoVxlanIsAccepted() {
        FirewallPlan plan = FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, Set.of());
        assertThat(plan.rulesIn(FirewallPlan.INPUT_CHAIN)).extracting(Rule::saved).containsExactly(
                "-A TRAMA-INPUT -p udp -m udp --dport 4789 -m comment --comment trama -j DROP");
    }

    @Test
    void everyRuleIsTaggedAsTramas() {
        FirewallPlan plan = FirewallPlan.of("trama0", Cidr.parse("10.0.0.0/8"), "ens3", 8472, MEMBERS);
        assertThat(plan.rules()).extracting(Rule::spec).allMatch(spec -> spec.containsAll(List.of("--comment", "trama")));
        assertThat(plan.rules()).extracting(Rule::chain).allMatch(chain -> chain.startsWith("TRAMA-"));
    }

    @Test
    void readsBackTheMemberAVxlanAcceptNames() {
        String member = "-A TRAMA-INPUT -s 192.0.2.11/32 -i eth0 -p udp -m udp --dport 4789 -m comment --comment trama -j ACCEPT";
        assertThat(FirewallPlan.vxlanMemberIn(member, "eth0", 4789)).contains(Ipv4.parse("192.0.2.11"));
        // the same address for another interface or port, a wider source, or any other rule names no member
        assertThat(FirewallPlan.vxlanMemberIn(member, "eth1", 4789)).isEmpty();
        assertThat(FirewallPlan.vxlanMemberIn(member, "eth0", 8472)).isEmpty();
        assertThat(FirewallPlan.vxlanMemberIn(member.replace("/32", "/24"), "eth0", 4789)).isEmpty();
        assertThat(FirewallPlan.vxlanMemberIn(member.replace("ACCEPT", "DROP"), "eth0", 4789)).isEmpty();
        assertThat(FirewallPlan.vxlanMemberIn("-A TRAMA-INPUT -s 192.0.2.300/32 -j ACCEPT", "eth0", 4789)).isEmpty();
        assertThat(FirewallPlan.vxlanMemberIn("-A TRAMA-INPUT -p udp -m udp --dport 4789 -m comment --comment trama -j DROP",
                "eth0", 4789)).isEmpty();
    }
}
