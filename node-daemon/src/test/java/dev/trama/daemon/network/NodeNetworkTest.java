package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.daemon.host.FdbEntry;
import dev.trama.daemon.host.HostSockets;
import dev.trama.daemon.host.Ip;
import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.RecordingRunner;
import dev.trama.daemon.host.Sysctl;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.VxlanMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the bridge's alias keeps the host's own forwarding setting, whatever step a crash fell on. */
class NodeNetworkTest {

    private static final String SET_ALIAS = "ip link set dev trama0 alias ";
    private static final String INSERT_INPUT = "iptables -w 5 -t filter -I TRAMA-INPUT ";
    private static final Ipv4 MEMBER = Ipv4.parse("192.0.2.11");

    @TempDir
    Path proc;

    private final RecordingRunner runner = new RecordingRunner();
    private Sysctl sysctl;
    private NodeNetwork network;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(proc.resolve("net/ipv4"));
        sysctl = new Sysctl(proc);
        network = new NodeNetwork(new Ip(runner), new Firewall(new Iptables(runner)), sysctl, HostSockets.through(runner),
                new OverlaySettings(42, Ipv4.parse("239.1.1.1"), 4789, 20, "eth0", 1500), "n1");
        runner.answer("ip -json -details link show dev trama-vx", 0, """
                [{"ifindex":4,"ifname":"trama-vx","mtu":1450,"master":"trama0","flags":["UP"],
                  "linkinfo":{"info_kind":"vxlan","info_data":{"id":42,"group":"239.1.1.1","link":"eth0","port":4789,"ttl":20}}}]""", "");
        runner.answer("ip -json -details link show", 0, """
                [{"ifindex":1,"ifname":"lo"},{"ifindex":2,"ifname":"eth0"},{"ifindex":3,"ifname":"trama0"},
                 {"ifindex":4,"ifname":"trama-vx"}]""", "");
        runner.answer("ip -json -4 addr show dev trama0", 0, """
                [{"ifname":"trama0","addr_info":[{"family":"inet","local":"10.0.0.1","prefixlen":24}]}]""", "");
        runner.succeed("ip link set dev trama-vx master trama0")
                .succeed("ip link set dev trama-vx up")
                .succeed("ip link set dev trama0 up")
                .succeed(SET_ALIAS.strip())
                .succeed("ip link del dev trama-vx")
                .succeed("ip link del dev trama0");
        for (String table : new String[] {"filter", "nat"}) {
            // Trama's chains are there but empty, and the host has none of Trama's rules
            runner.answer("iptables -w 5 -t " + table + " -C", 1, "", "iptables: Bad rule (does a matching rule exist in that chain?).\n");
            for (String verb : new String[] {"-F", "-A", "-I", "-X"}) {
                runner.succeed("iptables -w 5 -t " + table + " " + verb);
            }
        }
        for (String chain : new String[] {"filter TRAMA-FORWARD", "filter TRAMA-INPUT", "nat TRAMA-POSTROUTING", "nat TRAMA-PORTS"}) {
            String[] tableAndChain = chain.split(" ");
            runner.answer("iptables -w 5 -t " + tableAndChain[0] + " -S " + tableAndChain[1], 0, "-N " + tableAndChain[1] + "\n", "");
        }
    }

    private void bridgeWithAlias(String alias) {
        String ifalias = alias == null ? "" : ",\"ifalias\":\"" + alias + "\"";
        runner.answer("ip -json -details link show dev trama0", 0, """
                [{"ifindex":3,"ifname":"trama0","mtu":1450,"flags":["UP"]%s,"linkinfo":{"info_kind":"bridge"}}]"""
                .formatted(ifalias), "");
    }

    private void forwarding(String value) throws IOException {
        Files.writeString(proc.resolve("net/ipv4/ip_forward"), value + "\n");
    }

    private static String acceptFrom(Ipv4 member) {
        return String.join(" ", FirewallPlan.vxlanAccept(member, "eth0", 4789).spec());
    }

    private void inputChainAccepts(Ipv4 member) {
        runner.answer("iptables -w 5 -t filter -S TRAMA-INPUT", 0, """
                -N TRAMA-INPUT
                -A TRAMA-INPUT -i trama0 -p udp -m udp --dport 53 -m comment --comment trama -j ACCEPT
                -A TRAMA-INPUT -i trama0 -p tcp -m tcp --dport 53 -m comment --comment trama -j ACCEPT
                -A TRAMA-INPUT -i trama0 -p udp -m udp --dport 4799 -m comment --comment trama -j ACCEPT
                -A TRAMA-INPUT %s
                -A TRAMA-INPUT -p udp -m udp --dport 4789 -m comment --comment trama -j DROP
                -A TRAMA-INPUT -i eth0 -p udp -m pkttype --pkt-type multicast -m udp --dport 4798 -m comment --comment trama -j ACCEPT
                """.formatted(acceptFrom(member)), "");
    }

    private void ensure() {
        network.ensure(InterfaceAddress.parse("10.0.0.1/24"));
    }

    @Test
    void aBridgeLeftWithoutItsAliasRecordsTheForwardingTheHostStillHas() throws IOException {
        // a crash between creating the bridge and writing its alias: forwarding is still the host's own
        bridgeWithAlias(null);
        forwarding("0");
        ensure();
        assertThat(runner.lines()).contains(SET_ALIAS + "trama ip_forward=0");
        assertThat(sysctl.get("net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void aBridgeWithItsAliasKeepsIt() throws IOException {
        // forwarding is on because Trama turned it on: the alias says it was off before
        bridgeWithAlias("trama ip_forward=0");
        forwarding("1");
        ensure();
        assertThat(runner.lines()).noneMatch(line -> line.startsWith(SET_ALIAS));
    }

    @Test
    void forwardingThatWasOnIsLeftOnByTeardown() throws IOException {
        bridgeWithAlias(null);
        forwarding("1");
        ensure();
        assertThat(runner.lines()).contains(SET_ALIAS + "trama");

        bridgeWithAlias("trama");
        network.teardown();
        assertThat(sysctl.get("net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void teardownRestoresForwardingThatWasOff() throws IOException {
        bridgeWithAlias("trama ip_forward=0");
        forwarding("1");
        network.teardown();
        assertThat(sysctl.get("net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(runner.lines()).contains("ip link del dev trama0");
    }

    @Test
    void membersGivenBeforeTheOverlayIsBuiltWaitForIt() throws IOException {
        network.allowVxlanFrom(Set.of(MEMBER));
        assertThat(runner.commands).isEmpty();

        bridgeWithAlias("trama");
        forwarding("1");
        ensure();
        assertThat(runner.lines()).contains(INSERT_INPUT + "4 " + acceptFrom(MEMBER));
    }

    @Test
    void membersGivenToABuiltOverlayAreAcceptedAtOnce() throws IOException {
        bridgeWithAlias("trama");
        forwarding("1");
        ensure();
        assertThat(runner.lines()).noneMatch(line -> line.startsWith(INSERT_INPUT) && line.contains(" -s "));

        runner.commands.clear();
        network.allowVxlanFrom(Set.of(MEMBER));
        assertThat(runner.lines()).contains(INSERT_INPUT + "4 " + acceptFrom(MEMBER));

        // the same set again, on a host that holds it: only reads
        runner.commands.clear();
        inputChainAccepts(MEMBER);
        network.allowVxlanFrom(Set.of(MEMBER));
        assertThat(runner.lines()).noneMatch(line -> line.matches("iptables -w 5 -t filter -[ID] TRAMA-INPUT .*"));

        // once the overlay is gone, members wait for the next one
        network.teardown();
        runner.commands.clear();
        network.allowVxlanFrom(Set.of(MEMBER));
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void beforeAnyMembersAreGivenTheOnesTheHostAcceptsStay() throws IOException {
        // a daemon restarted on a configured host: its peers' traffic goes on until it learns the members again
        inputChainAccepts(MEMBER);
        bridgeWithAlias("trama");
        forwarding("1");
        ensure();
        assertThat(runner.lines()).noneMatch(line -> line.matches("iptables -w 5 -t filter -[ID] TRAMA-INPUT .*(ACCEPT|DROP)"));
    }

    @Test
    void theRulesOfPublishedPortsFollowTheContainersAndOnlyWhatChangedIsTouched() throws IOException {
        List<Publication> published = new ArrayList<>();
        network.publishFrom(() -> List.copyOf(published));
        Publication web = new Publication("web", Ipv4.parse("10.0.0.5"), List.of(PortMapping.parse("8080:80")));
        String webDnat = String.join(" ", FirewallPlan.dnat(PortMapping.parse("8080:80"), Ipv4.parse("10.0.0.5")).spec());

        // ports published before the overlay is built wait for it
        published.add(web);
        network.refreshPorts();
        assertThat(runner.commands).isEmpty();
        bridgeWithAlias("trama");
        forwarding("1");
        ensure();
        assertThat(runner.lines()).contains("iptables -w 5 -t nat -I TRAMA-PORTS 1 " + webDnat);

        // nothing came or went: nothing is run
        runner.commands.clear();
        network.refreshPorts();
        assertThat(runner.commands).isEmpty();

        // the container went: its rule goes, and only the ports' chain is read
        runner.answer("iptables -w 5 -t nat -S TRAMA-PORTS", 0, "-N TRAMA-PORTS\n-A TRAMA-PORTS " + webDnat + "\n", "")
                .succeed("iptables -w 5 -t nat -D TRAMA-PORTS");
        published.clear();
        network.refreshPorts();
        assertThat(runner.lines()).containsExactly("iptables -w 5 -t nat -S TRAMA-PORTS", "iptables -w 5 -t nat -S TRAMA-PORTS",
                "iptables -w 5 -t nat -D TRAMA-PORTS 1");
    }

    @Test
    void inMulticastModeNoForwardingEntryIsProgrammed() throws IOException {
        bridgeWithAlias("trama");
        forwarding("1");
        ensure();
        runner.commands.clear();
        network.forwardTo(new Forwarding(Set.of(new FdbEntry(FdbEntry.FLOOD, MEMBER)), Map.of()));
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void aMulticastDeviceIsMadeAgainForUnicastModeWithoutGroupOrLearning() throws IOException {
        bridgeWithAlias("trama");
        forwarding("1");
        runner.succeed("ip link add trama-vx type vxlan id 42 dstport 4789 dev eth0 ttl 20 nolearning proxy");
        runner.answer("bridge -json fdb show dev trama-vx", 0, "[]", "");
        runner.answer("ip -json -4 neigh show dev trama-vx nud permanent", 0, "[]", "");
        runner.succeed("bridge fdb append 00:00:00:00:00:00 dev trama-vx dst " + MEMBER + " self permanent");
        network.forwardTo(new Forwarding(Set.of(new FdbEntry(FdbEntry.FLOOD, MEMBER)), Map.of()));
        assertThat(runner.commands).as("given before the overlay is built: kept for it").isEmpty();

        network.ensure(InterfaceAddress.parse("10.0.0.1/24"), VxlanMode.UNICAST);
        assertThat(runner.lines()).containsSubsequence(
                "ip link del dev trama-vx",
                "ip link add trama-vx type vxlan id 42 dstport 4789 dev eth0 ttl 20 nolearning proxy",
                "ip link set dev trama-vx master trama0",
                "bridge -json fdb show dev trama-vx",
                "bridge fdb append 00:00:00:00:00:00 dev trama-vx dst " + MEMBER + " self permanent");
    }

    @Test
    void aPortIsRefusedWhenTheOverlayAnotherContainerOrAProcessOfTheHostHasIt() {
        network.publishFrom(() -> List.of(new Publication("web", Ipv4.parse("10.0.0.5"), List.of(PortMapping.parse("8080:80")))));
        String header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        runner.answer("cat /proc/net/tcp", 0, header
                + "   0: 0100007F:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n", "");
        runner.answer("cat /proc/net/tcp6", 0, header, "");
        runner.answer("cat /proc/net/udp", 0, header, "");
        runner.answer("cat /proc/net/udp6", 1, "", "cat: /proc/net/udp6: No such file or directory\n");

        assertThatThrownBy(() -> network.checkPortsFree("db", List.of(PortMapping.parse("4789:4789/udp"))))
                .hasMessage("host port 4789/udp carries the overlay's VXLAN traffic");
        assertThatThrownBy(() -> network.checkPortsFree("db", List.of(PortMapping.parse("9000:90"), PortMapping.parse("8080:80"))))
                .hasMessage("host port 8080/tcp is already published by container 'web'");
        assertThatThrownBy(() -> network.checkPortsFree("db", List.of(PortMapping.parse("5001:80"))))
                .hasMessage("host port 5001/tcp is already in use by a process of the host");
        // the container's own ports (launched again) and ports nobody holds are free
        network.checkPortsFree("web", List.of(PortMapping.parse("8080:80")));
        network.checkPortsFree("db", List.of(PortMapping.parse("8080:80/udp"), PortMapping.parse("5001:80/udp"),
                PortMapping.parse("4789:4789/tcp")));
        network.checkPortsFree("db", List.of());
    }
}
