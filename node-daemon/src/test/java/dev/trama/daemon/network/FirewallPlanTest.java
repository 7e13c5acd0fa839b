package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.daemon.host.Rule;
import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.protocol.PortMapping;
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
                "filter -A TRAMA-FORWARD -i eth0 -o trama0 -m conntrack --ctstate DNAT -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-FORWARD -i trama0 -m comment --comment trama -j DROP",
                "filter -A TRAMA-INPUT -i trama0 -p udp -m udp --dport 53 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -i trama0 -p tcp -m tcp --dport 53 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -i trama0 -p udp -m udp --dport 4799 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -s 192.0.2.3/32 -i eth0 -p udp -m udp --dport 4789 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -s 192.0.2.11/32 -i eth0 -p udp -m udp --dport 4789 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -s 192.0.2.12/32 -i eth0 -p udp -m udp --dport 4789 -m comment --comment trama -j ACCEPT",
                "filter -A TRAMA-INPUT -p udp -m udp --dport 4789 -m comment --comment trama -j DROP",
                "filter -A TRAMA-INPUT -i eth0 -p udp -m pkttype --pkt-type multicast -m udp --dport 4798 -m comment --comment trama -j ACCEPT",
                "nat -A TRAMA-POSTROUTING -s 10.10.0.0/16 -o eth0 -m comment --comment trama -j MASQUERADE",
                "nat -A TRAMA-POSTROUTING -s 10.10.0.0/16 -o trama0 -m conntrack --ctstate DNAT -m comment --comment trama -j MASQUERADE");
        assertThat(plan.rulesIn(FirewallPlan.PORTS_CHAIN)).isEmpty();
        assertThat(plan.jumps()).extracting(r -> r.table() + " " + r.saved()).containsExactly(
                "filter -A FORWARD -m comment --comment trama -j TRAMA-FORWARD",
                "filter -A INPUT -m comment --comment trama -j TRAMA-INPUT",
                "nat -A POSTROUTING -m comment --comment trama -j TRAMA-POSTROUTING",
                "nat -A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment trama -j TRAMA-PORTS",
                "nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -m comment --comment trama -j TRAMA-PORTS");
        assertThat(plan.jumps()).extracting(Rule::target).containsExactly(FirewallPlan.FORWARD_CHAIN, FirewallPlan.INPUT_CHAIN,
                FirewallPlan.NAT_CHAIN, FirewallPlan.PORTS_CHAIN, FirewallPlan.PORTS_CHAIN);
        assertThat(plan.chainsNat()).containsExactly(FirewallPlan.NAT_CHAIN, FirewallPlan.PORTS_CHAIN);
    }

    @Test
    void everyPublishedPortIsOneDnatToItsContainerInProtocolAndPortOrder() {
        List<Publication> published = List.of(
                new Publication("web", Ipv4.parse("10.10.0.5"), List.of(PortMapping.parse("8080:80"), PortMapping.parse("53:5353/udp"))),
                new Publication("api", Ipv4.parse("10.10.0.9"), List.of(PortMapping.parse("443:8443/tcp"))));
        FirewallPlan plan = FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, MEMBERS, published);
        assertThat(plan.rulesIn(FirewallPlan.PORTS_CHAIN)).extracting(r -> r.table() + " " + r.saved()).containsExactly(
                "nat -A TRAMA-PORTS -p tcp -m tcp --dport 443 -m comment --comment trama -j DNAT --to-destination 10.10.0.9:8443",
                "nat -A TRAMA-PORTS -p tcp -m tcp --dport 8080 -m comment --comment trama -j DNAT --to-destination 10.10.0.5:80",
                "nat -A TRAMA-PORTS -p udp -m udp --dport 53 -m comment --comment trama -j DNAT --to-destination 10.10.0.5:5353");
        // the rest of the plan does not depend on what is published
        FirewallPlan none = FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, MEMBERS);
        assertThat(plan.rules()).containsAll(none.rules());
        assertThat(plan.rules()).hasSize(none.rules().size() + 3);
        assertThat(FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, MEMBERS, List.of(published.get(1),
                published.get(0)))).isEqualTo(plan);
    }

    @Test
    void withoutMembersNoVxlanIsAccepted() {
        FirewallPlan plan = FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, Set.of());
        assertThat(plan.rulesIn(FirewallPlan.INPUT_CHAIN)).extracting(Rule::saved).containsExactly(
                "-A TRAMA-INPUT -i trama0 -p udp -m udp --dport 53 -m comment --comment trama -j ACCEPT",
                "-A TRAMA-INPUT -i trama0 -p tcp -m tcp --dport 53 -m comment --comment trama -j ACCEPT",
                "-A TRAMA-INPUT -i trama0 -p udp -m udp --dport 4799 -m comment --comment trama -j ACCEPT",
                "-A TRAMA-INPUT -p udp -m udp --dport 4789 -m comment --comment trama -j DROP",
                "-A TRAMA-INPUT -i eth0 -p udp -m pkttype --pkt-type multicast -m udp --dport 4798 -m comment --comment trama -j ACCEPT");
    }

    @Test
    void everyRuleIsTaggedAsTramas() {
        FirewallPlan plan = FirewallPlan.of("trama0", Cidr.parse("10.0.0.0/8"), "ens3", 8472, MEMBERS,
                List.of(new Publication("web", Ipv4.parse("10.0.0.5"), List.of(PortMapping.parse("8080:80")))));
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
