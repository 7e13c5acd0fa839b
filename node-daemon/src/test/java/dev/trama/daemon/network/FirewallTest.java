package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.RecordingRunner;
import dev.trama.daemon.host.Rule;
import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.protocol.PortMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FirewallTest {

    private static final Ipv4 M11 = Ipv4.parse("192.0.2.11");
    private static final Ipv4 M12 = Ipv4.parse("192.0.2.12");
    private static final Ipv4 M13 = Ipv4.parse("192.0.2.13");

    private static final List<String> CHAINS = List.of(FirewallPlan.FORWARD_CHAIN, FirewallPlan.INPUT_CHAIN,
            FirewallPlan.NAT_CHAIN, FirewallPlan.PORTS_CHAIN);

    private final RecordingRunner runner = new RecordingRunner();
    private final Firewall firewall = new Firewall(new Iptables(runner));

    private static FirewallPlan plan(Ipv4... members) {
        return FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, Set.of(members));
    }

    private static String accept(Ipv4 member) {
        return String.join(" ", FirewallPlan.vxlanAccept(member, "eth0", 4789).spec());
    }

    /** The host holds the plan's chains as {@code iptables -S} prints them, and its jumps. */
    private void hostHolds(FirewallPlan plan) {
        for (String chain : CHAINS) {
            String table = plan.chainsNat().contains(chain) ? "nat" : "filter";
            String listing = "-N " + chain + "\n" + plan.rulesIn(chain).stream().map(r -> r.saved() + "\n").collect(Collectors.joining());
            runner.answer("iptables -w 5 -t " + table + " -S " + chain, 0, listing, "");
        }
        runner.answer("iptables -w 5 -t filter -C", 0, "", "");
        runner.answer("iptables -w 5 -t nat -C", 0, "", "");
    }

    private List<String> changes() {
        return runner.lines().stream().filter(line -> !line.matches("iptables -w 5 -t (filter|nat) -[SC] .*")).toList();
    }

    @Test
    void aChangingMemberSetTouchesOnlyTheRulesOfMembersThatCameOrWent() {
        runner.succeed("iptables -w 5 -t filter -I TRAMA-INPUT").succeed("iptables -w 5 -t filter -D TRAMA-INPUT");
        hostHolds(plan(M11, M12));

        firewall.ensure(plan(M12, M13));
        // 13 goes in ahead of the drop, then 11 (first member, after the resolver's and the probes' rules) comes out;
        // 12 is never touched
        assertThat(changes()).containsExactly(
                "iptables -w 5 -t filter -I TRAMA-INPUT 6 " + accept(M13),
                "iptables -w 5 -t filter -D TRAMA-INPUT 4");

        runner.commands.clear();
        hostHolds(plan(M12, M13));
        firewall.ensure(plan(M12, M13));
        assertThat(changes()).isEmpty();

        runner.commands.clear();
        hostHolds(plan(M12, M13));
        firewall.ensure(plan());
        assertThat(changes()).containsExactly(
                "iptables -w 5 -t filter -D TRAMA-INPUT 5",
                "iptables -w 5 -t filter -D TRAMA-INPUT 4");
    }

    @Test
    void aFreshHostGetsTheChainsFilledBeforeAnyJumpEntersThem() {
        for (String table : List.of("filter", "nat")) {
            runner.answer("iptables -w 5 -t " + table + " -S", 1, "", "iptables: No chain/target/match by that name.\n");
            runner.succeed("iptables -w 5 -t " + table + " -N");
            runner.answer("iptables -w 5 -t " + table + " -C", 1, "", "iptables: Bad rule (does a matching rule exist in that chain?).\n");
            runner.succeed("iptables -w 5 -t " + table + " -I");
        }
        // a chain just made is empty
        runner.answer("iptables -w 5 -t filter -S TRAMA-FORWARD", 0, "-N TRAMA-FORWARD\n", "");
        runner.answer("iptables -w 5 -t filter -S TRAMA-INPUT", 0, "-N TRAMA-INPUT\n", "");
        runner.answer("iptables -w 5 -t nat -S TRAMA-POSTROUTING", 0, "-N TRAMA-POSTROUTING\n", "");
        runner.answer("iptables -w 5 -t nat -S TRAMA-PORTS", 0, "-N TRAMA-PORTS\n", "");

        FirewallPlan plan = plan(M11);
        firewall.ensure(plan);
        List<String> inserted = changes().stream().filter(line -> line.contains(" -I ")).toList();
        List<String> expected = new ArrayList<>();
        for (String chain : CHAINS) {
            List<Rule> rules = plan.rulesIn(chain);
            for (int i = 0; i < rules.size(); i++) {
                expected.add("iptables -w 5 -t " + rules.get(i).table() + " -I " + chain + " " + (i + 1) + " "
                        + String.join(" ", rules.get(i).spec()));
            }
        }
        plan.jumps().forEach(jump -> expected.add("iptables -w 5 -t " + jump.table() + " -I " + jump.chain() + " 1 "
                + String.join(" ", jump.spec())));
        assertThat(inserted).containsExactlyElementsOf(expected);
    }

    @Test
    void aContainerComingOrGoingChangesOnlyTheDnatRulesOfItsPorts() {
        Publication web = new Publication("web", Ipv4.parse("10.10.0.5"), List.of(PortMapping.parse("8080:80")));
        Publication api = new Publication("api", Ipv4.parse("10.10.0.9"), List.of(PortMapping.parse("443:8443")));
        FirewallPlan webOnly = FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, Set.of(M11), List.of(web));
        FirewallPlan both = FirewallPlan.of("trama0", Cidr.parse("10.10.0.0/16"), "eth0", 4789, Set.of(M11), List.of(web, api));
        runner.succeed("iptables -w 5 -t nat -I TRAMA-PORTS").succeed("iptables -w 5 -t nat -D TRAMA-PORTS");
        String apiDnat = String.join(" ", FirewallPlan.dnat(PortMapping.parse("443:8443"), Ipv4.parse("10.10.0.9")).spec());

        hostHolds(webOnly);
        firewall.ensureChain(both, FirewallPlan.PORTS_CHAIN);
        assertThat(runner.lines()).allMatch(line -> line.contains(" TRAMA-PORTS"));
        assertThat(changes()).containsExactly("iptables -w 5 -t nat -I TRAMA-PORTS 1 " + apiDnat);

        runner.commands.clear();
        hostHolds(both);
        firewall.ensureChain(webOnly, FirewallPlan.PORTS_CHAIN);
        assertThat(changes()).containsExactly("iptables -w 5 -t nat -D TRAMA-PORTS 1");
    }

    @Test
    void theMembersHeldAreReadFromTheRulesTheHostHas() {
        hostHolds(plan(M11, M13));
        assertThat(firewall.vxlanMembersHeld("eth0", 4789)).containsExactlyInAnyOrder(M11, M13);
        assertThat(firewall.vxlanMembersHeld("eth1", 4789)).isEmpty();

        runner.answer("iptables -w 5 -t filter -S TRAMA-INPUT", 1, "", "iptables: No chain/target/match by that name.\n");
        assertThat(firewall.vxlanMembersHeld("eth0", 4789)).isEmpty();
    }

    @Test
    void removingWhatIsGoneLooksForNoJumpIntoAMissingChain() {
        runner.answer("iptables -w 5 -t filter -S", 1, "", "iptables: No chain/target/match by that name.\n");
        runner.answer("iptables -w 5 -t nat -S", 1, "", "iptables: No chain/target/match by that name.\n");
        firewall.remove();
        assertThat(runner.lines()).isNotEmpty().allMatch(line -> line.matches("iptables -w 5 -t (filter|nat) -S TRAMA-[A-Z]+"));
    }
}
