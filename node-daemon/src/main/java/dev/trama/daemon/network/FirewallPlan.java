package dev.trama.daemon.network;

import dev.trama.daemon.host.Rule;
import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.protocol.PortMapping;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The iptables rules a configured node holds, as data. Trama's rules live in chains of its own, entered
 * by one jump each from the built-in chain, and every rule carries the comment "trama". Nothing changes a
 * chain policy: with FORWARD at DROP (as Docker sets it) the overlay works through these accepts, and the
 * drops below hold whatever the policies are.
 *
 * <ul>
 *   <li>TRAMA-FORWARD accepts the overlay's own paths only: bridge to bridge (with br_netfilter loaded,
 *       frames bridged between containers and the VXLAN device pass FORWARD as in=out=bridge), bridge to
 *       the LAN interface, and the replies coming back from the LAN; anything else leaving the bridge is
 *       dropped;</li>
 *   <li>TRAMA-INPUT accepts DNS (UDP and TCP 53) from the containers on the bridge, for the cluster's
 *       resolver, the path probes of the other nodes (UDP 4799, through the overlay to the bridge), the other
 *       nodes' multicast beacons (UDP 4798 on the LAN interface, after the VXLAN rules), and VXLAN datagrams arriving on the LAN interface from the cluster's members'
 *       LAN addresses, one rule each in address order, and drops the VXLAN port from anyone else;</li>
 *   <li>TRAMA-POSTROUTING masquerades the segment's traffic leaving by the LAN interface, and connections
 *       from containers DNAT'd back into the bridge (to a port another container of their host publishes),
 *       so that the answers come back through the host to be translated;</li>
 *   <li>TRAMA-PORTS (nat) holds one DNAT per published port, in protocol and port order, to the address of
 *       the container that publishes it. It is entered from PREROUTING for traffic to any of the host's
 *       addresses, and from OUTPUT for the host's own traffic to them (loopback aside: a DNAT'd packet
 *       cannot leave lo); TRAMA-FORWARD accepts the DNAT'd connections entering the bridge from the LAN.</li>
 * </ul>
 */
public record FirewallPlan(List<String> chainsFilter, List<String> chainsNat, List<Rule> rules, List<Rule> jumps) {

    public static final String COMMENT = "trama";
    public static final String FORWARD_CHAIN = "TRAMA-FORWARD";
    public static final String INPUT_CHAIN = "TRAMA-INPUT";
    public static final String NAT_CHAIN = "TRAMA-POSTROUTING";
    public static final String PORTS_CHAIN = "TRAMA-PORTS";

    private static final Comparator<PublishedPort> PORT_ORDER = Comparator
            .comparing((PublishedPort p) -> p.mapping().protocol())
            .thenComparingInt(p -> p.mapping().host())
            .thenComparing(p -> p.publication().container());

    /** One port of a container, for ordering. */
    private record PublishedPort(Publication publication, PortMapping mapping) {
    }

    public FirewallPlan {
        chainsFilter = List.copyOf(chainsFilter);
        chainsNat = List.copyOf(chainsNat);
        rules = List.copyOf(rules);
        jumps = List.copyOf(jumps);
    }

    /** The plan of a node none of whose containers publishes a port. */
    public static FirewallPlan of(String bridge, Cidr segment, String lanInterface, int vxlanPort, Set<Ipv4> vxlanMembers) {
        return of(bridge, segment, lanInterface, vxlanPort, vxlanMembers, List.of());
    }

    public static FirewallPlan of(String bridge, Cidr segment, String lanInterface, int vxlanPort, Set<Ipv4> vxlanMembers,
                                  List<Publication> published) {
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule("filter", FORWARD_CHAIN, tagged("-i", bridge, "-o", bridge, "-j", "ACCEPT")));
        rules.add(new Rule("filter", FORWARD_CHAIN, tagged("-i", bridge, "-o", lanInterface, "-j", "ACCEPT")));
        rules.add(new Rule("filter", FORWARD_CHAIN, tagged("-i", lanInterface, "-o", bridge,
                "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT")));
        // connections DNAT'd to published ports enter the bridge from the LAN
        rules.add(new Rule("filter", FORWARD_CHAIN, tagged("-i", lanInterface, "-o", bridge,
                "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT")));
        rules.add(new Rule("filter", FORWARD_CHAIN, tagged("-i", bridge, "-j", "DROP")));
        // the cluster's resolver answers the containers on the bridge address, whatever INPUT's policy is
        rules.add(new Rule("filter", INPUT_CHAIN, tagged("-i", bridge, "-p", "udp", "-m", "udp", "--dport", "53", "-j", "ACCEPT")));
        rules.add(new Rule("filter", INPUT_CHAIN, tagged("-i", bridge, "-p", "tcp", "-m", "tcp", "--dport", "53", "-j", "ACCEPT")));
        // the other nodes' probes of the overlay's path, which come through it to the bridge address
        rules.add(new Rule("filter", INPUT_CHAIN, tagged("-i", bridge, "-p", "udp", "-m", "udp", "--dport",
                Integer.toString(OverlaySettings.PROBE_PORT), "-j", "ACCEPT")));
        vxlanMembers.stream().sorted().forEach(member -> rules.add(vxlanAccept(member, lanInterface, vxlanPort)));
        rules.add(vxlanDrop(vxlanPort));
        // the other nodes' multicast beacons, by which a node tells that the LAN delivers the group
        rules.add(new Rule("filter", INPUT_CHAIN, tagged("-i", lanInterface, "-p", "udp", "-m", "pkttype", "--pkt-type",
                "multicast", "-m", "udp", "--dport", Integer.toString(OverlaySettings.BEACON_PORT), "-j", "ACCEPT")));
        rules.add(new Rule("nat", NAT_CHAIN, tagged("-s", segment.toString(), "-o", lanInterface, "-j", "MASQUERADE")));
        // a container reaching a port published on its own host: the answer must come back through the host
        rules.add(new Rule("nat", NAT_CHAIN, tagged("-s", segment.toString(), "-o", bridge,
                "-m", "conntrack", "--ctstate", "DNAT", "-j", "MASQUERADE")));
        published.stream()
                .flatMap(publication -> publication.ports().stream().map(port -> new PublishedPort(publication, port)))
                .sorted(PORT_ORDER)
                .forEach(port -> rules.add(dnat(port.mapping(), port.publication().address())));
        return new FirewallPlan(List.of(FORWARD_CHAIN, INPUT_CHAIN), List.of(NAT_CHAIN, PORTS_CHAIN), rules, allJumps());
    }

    /** The rule that sends a published port's traffic to its container. */
    static Rule dnat(PortMapping port, Ipv4 container) {
        return new Rule("nat", PORTS_CHAIN, tagged("-p", port.protocol(), "-m", port.protocol(),
                "--dport", Integer.toString(port.host()), "-j", "DNAT", "--to-destination", container + ":" + port.container()));
    }

    /** The rule that lets one member's VXLAN datagrams in. */
    static Rule vxlanAccept(Ipv4 member, String lanInterface, int vxlanPort) {
        return new Rule("filter", INPUT_CHAIN, tagged("-s", member + "/32", "-i", lanInterface, "-p", "udp", "-m", "udp",
                "--dport", Integer.toString(vxlanPort), "-j", "ACCEPT"));
    }

    /** The rule that drops VXLAN datagrams from anyone the rules before it did not accept. */
    static Rule vxlanDrop(int vxlanPort) {
        return new Rule("filter", INPUT_CHAIN, tagged("-p", "udp", "-m", "udp", "--dport", Integer.toString(vxlanPort),
                "-j", "DROP"));
    }

    /** The member a line of {@code iptables -S TRAMA-INPUT} accepts VXLAN from, if it is such a rule. */
    static Optional<Ipv4> vxlanMemberIn(String saved, String lanInterface, int vxlanPort) {
        String[] words = saved.split(" ");
        if (words.length < 4 || !words[2].equals("-s") || !words[3].endsWith("/32")) {
            return Optional.empty();
        }
        Ipv4 member;
        try {
            member = Ipv4.parse(words[3].substring(0, words[3].length() - 3));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return vxlanAccept(member, lanInterface, vxlanPort).saved().equals(saved) ? Optional.of(member) : Optional.empty();
    }

    /** The jumps into Trama's chains; also what {@code leave} removes when it knows nothing else. */
    public static List<Rule> allJumps() {
        return List.of(
                new Rule("filter", "FORWARD", tagged("-j", FORWARD_CHAIN)),
                new Rule("filter", "INPUT", tagged("-j", INPUT_CHAIN)),
                new Rule("nat", "POSTROUTING", tagged("-j", NAT_CHAIN)),
                new Rule("nat", "PREROUTING", tagged("-m", "addrtype", "--dst-type", "LOCAL", "-j", PORTS_CHAIN)),
                new Rule("nat", "OUTPUT", tagged("!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL",
                        "-j", PORTS_CHAIN)));
    }

    public List<Rule> rulesIn(String chain) {
        return rules.stream().filter(r -> r.chain().equals(chain)).toList();
    }

    /** iptables prints "-m comment --comment trama" just before the target; so do we, to compare. */
    private static List<String> tagged(String... spec) {
        List<String> words = new ArrayList<>(List.of(spec));
        int target = words.indexOf("-j");
        words.addAll(target, List.of("-m", "comment", "--comment", COMMENT));
        return List.copyOf(words);
    }
}
