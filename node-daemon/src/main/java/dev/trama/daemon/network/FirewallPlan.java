package dev.trama.daemon.network;

import dev.trama.daemon.host.Rule;
import dev.trama.net.Cidr;
import java.util.List;

/**
 * The iptables rules a configured node holds, as data. Trama's rules live in chains of its own, entered
 * by one jump each from the built-in chain, and every rule carries the comment "trama". Nothing changes a
 * chain policy: with FORWARD at DROP (as Docker sets it) the overlay works through these accepts.
 *
 * <ul>
 *   <li>TRAMA-FORWARD accepts what comes from the bridge (bridged overlay frames pass FORWARD as
 *       in=out=bridge when br_netfilter is loaded; routed traffic leaves for the LAN) and the replies to it;</li>
 *   <li>TRAMA-INPUT accepts VXLAN datagrams arriving on the LAN interface;</li>
 *   <li>TRAMA-POSTROUTING masquerades the segment's traffic leaving by any interface but the bridge.</li>
 * </ul>
 */
public record FirewallPlan(List<String> chainsFilter, List<String> chainsNat, List<Rule> rules, List<Rule> jumps) {

    public static final String COMMENT = "trama";
    public static final String FORWARD_CHAIN = "TRAMA-FORWARD";
    public static final String INPUT_CHAIN = "TRAMA-INPUT";
    public static final String NAT_CHAIN = "TRAMA-POSTROUTING";

    public static FirewallPlan of(String bridge, Cidr segment, String lanInterface, int vxlanPort) {
        List<Rule> rules = List.of(
                new Rule("filter", FORWARD_CHAIN, tagged("-i", bridge, "-j", "ACCEPT")),
                new Rule("filter", FORWARD_CHAIN, tagged("-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED",
                        "-j", "ACCEPT")),
                new Rule("filter", INPUT_CHAIN, tagged("-i", lanInterface, "-p", "udp", "-m", "udp", "--dport",
                        Integer.toString(vxlanPort), "-j", "ACCEPT")),
                new Rule("nat", NAT_CHAIN, tagged("-s", segment.toString(), "!", "-o", bridge, "-j", "MASQUERADE")));
        return new FirewallPlan(List.of(FORWARD_CHAIN, INPUT_CHAIN), List.of(NAT_CHAIN), rules, allJumps());
    }

    /** The jumps into Trama's chains; also what {@code leave} removes when it knows nothing else. */
    public static List<Rule> allJumps() {
        return List.of(
                new Rule("filter", "FORWARD", tagged("-j", FORWARD_CHAIN)),
                new Rule("filter", "INPUT", tagged("-j", INPUT_CHAIN)),
                new Rule("nat", "POSTROUTING", tagged("-j", NAT_CHAIN)));
    }

    public List<Rule> rulesIn(String chain) {
        return rules.stream().filter(r -> r.chain().equals(chain)).toList();
    }

    /** iptables prints "-m comment --comment trama" just before the target; so do we, to compare. */
    private static List<String> tagged(String... spec) {
        List<String> words = new java.util.ArrayList<>(List.of(spec));
        int target = words.indexOf("-j");
        words.addAll(target, List.of("-m", "comment", "--comment", COMMENT));
        return List.copyOf(words);
    }
}
