package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trama.daemon.host.CommandRunner;
import dev.trama.daemon.host.FdbEntry;
import dev.trama.daemon.host.HostSockets;
import dev.trama.daemon.host.Ip;
import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.ProcessRunner;
import dev.trama.daemon.host.Rule;
import dev.trama.daemon.host.Sysctl;
import dev.trama.net.Cidr;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.VxlanMode;
import dev.trama.testkit.Reaper;
import dev.trama.testkit.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NodeNetwork} on a real kernel, without the cluster. A "host" namespace runs every command of
 * the daemon ({@code ip netns exec HOST argv}, sysctl included), with a LAN interface whose peer is in a
 * "lan" namespace and an extra interface, not the LAN, whose peer is in an "other" namespace; a
 * "container" namespace holds a sleeping process whose PID is attached. The host's FORWARD policy is DROP.
 * State is read back from the kernel. Nothing happens in the machine's own namespace, and the test checks it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeNetworkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = String.format("tnn%04x-", ThreadLocalRandom.current().nextInt(0x10000));
    private static final String HOST = PREFIX + "host";
    private static final String LAN = PREFIX + "lan";
    private static final String CONTAINER = PREFIX + "ctr";
    private static final String OTHER = PREFIX + "oth";
    private static final String NODE = "n1";
    private static final String LAN_INTERFACE = "lan0";
    private static final String EXTRA_INTERFACE = "ext0";
    private static final String LAN_PEER = "192.0.2.20";
    private static final String OTHER_PEER = "203.0.113.2";
    private static final OverlaySettings SETTINGS = new OverlaySettings(42, Ipv4.parse("239.1.1.1"), 4789, 20, LAN_INTERFACE, 1500);
    private static final InterfaceAddress BRIDGE_ADDRESS = InterfaceAddress.parse("10.77.0.1/24");
    private static final InterfaceAddress CONTAINER_ADDRESS = InterfaceAddress.parse("10.77.0.5/24");

    private final List<Process> sleepers = new ArrayList<>();
    private final List<List<String>> commands = new ArrayList<>();
    private RootNamespace rootBefore;
    private NodeNetwork network;
    /** Reads the host's links and entries back, outside the network under test. */
    private Ip hostState;

    @BeforeAll
    static void cleanUpAfterKilledRuns() {
        Reaper.reapLeftovers();
        Reaper.trackPrefix(PREFIX);
    }

    @AfterAll
    static void forgetPrefix() {
        Reaper.untrackPrefix(PREFIX);
    }

    @BeforeEach
    void buildHost() {
        rootBefore = RootNamespace.read();
        for (String namespace : List.of(HOST, LAN, CONTAINER, OTHER)) {
            Shell.check("ip", "netns", "add", namespace);
            Shell.check("ip", "-n", namespace, "link", "set", "lo", "up");
        }
        Shell.check("ip", "-n", LAN, "link", "add", "eth0", "type", "veth", "peer", "name", LAN_INTERFACE, "netns", HOST);
        Shell.check("ip", "-n", LAN, "addr", "add", LAN_PEER + "/24", "dev", "eth0");
        Shell.check("ip", "-n", LAN, "link", "set", "eth0", "up");
        Shell.check("ip", "-n", HOST, "addr", "add", "192.0.2.10/24", "dev", LAN_INTERFACE);
        Shell.check("ip", "-n", HOST, "link", "set", LAN_INTERFACE, "up");
        // the far end of the extra interface knows its way back into the overlay: only the host's
        // forwarding can keep a container's packets from it (and no masquerading is needed to answer)
        Shell.check("ip", "-n", OTHER, "link", "add", "eth0", "type", "veth", "peer", "name", EXTRA_INTERFACE, "netns", HOST);
        Shell.check("ip", "-n", OTHER, "addr", "add", OTHER_PEER + "/24", "dev", "eth0");
        Shell.check("ip", "-n", OTHER, "link", "set", "eth0", "up");
        Shell.check("ip", "-n", OTHER, "route", "add", BRIDGE_ADDRESS.network().toString(), "via", "203.0.113.1");
        Shell.check("ip", "-n", HOST, "addr", "add", "203.0.113.1/24", "dev", EXTRA_INTERFACE);
        Shell.check("ip", "-n", HOST, "link", "set", EXTRA_INTERFACE, "up");
        // a host as Docker leaves it, and one that does not forward: teardown must give that back
        Shell.run(Shell.in(HOST, "iptables", "-w", "-P", "FORWARD", "DROP")).check();
        Shell.run(Shell.in(HOST, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0")).check();

        ProcessRunner processes = new ProcessRunner(Duration.ofSeconds(30));
        CommandRunner inHost = argv -> {
            commands.add(List.copyOf(argv));
            return processes.run(Shell.in(HOST, argv.toArray(String[]::new)));
        };
        hostState = new Ip(argv -> processes.run(Shell.in(HOST, argv.toArray(String[]::new))));
        network = new NodeNetwork(new Ip(inHost), new Firewall(new Iptables(inHost)), Sysctl.through(inHost),
                HostSockets.through(inHost), SETTINGS, NODE);
    }

    @AfterEach
    void removeNamespaces() {
        try {
            sleepers.forEach(process -> Reaper.stop(process, true));
            for (String namespace : List.of(CONTAINER, OTHER, LAN, HOST)) {
                Shell.run("ip", "netns", "del", namespace);
            }
            assertThat(Shell.run("ip", "netns", "list").out()).doesNotContain(PREFIX);
        } finally {
            sleepers.clear();
        }
        assertThat(RootNamespace.read()).as("the machine's own namespace").isEqualTo(rootBefore);
    }

    @Test
    void theOverlayIsBuiltConvergesAndLeavesNothingBehind() {
        List<String> linksBefore = linkNames(HOST);
        List<String> filterBefore = rules("filter");

        network.ensure(BRIDGE_ADDRESS);
        assertOverlayBuilt();
        assertEnsureChangesNothing();

        network.teardown();
        assertNothingOfTramasIn(linksBefore, filterBefore);
        network.teardown();
        assertNothingOfTramasIn(linksBefore, filterBefore);
    }

    @Test
    void aContainerIsAttachedReachesTheBridgeAndIsDetached() {
        List<String> linksBefore = linkNames(HOST);
        List<String> filterBefore = rules("filter");
        network.ensure(BRIDGE_ADDRESS);
        long pid = startContainerProcess();
        String hostSide = VethNames.hostSide("web");

        network.attach("web", pid, CONTAINER_ADDRESS, BRIDGE_ADDRESS.address());
        JsonNode eth0 = link(CONTAINER, "eth0");
        assertThat(eth0.path("mtu").asInt()).isEqualTo(SETTINGS.overlayMtu());
        assertThat(flags(eth0)).contains("UP");
        assertThat(eth0.path("address").asText()).isEqualTo(NodeNetwork.containerMac(CONTAINER_ADDRESS.address()));
        assertThat(addresses(CONTAINER, "eth0")).containsExactly(CONTAINER_ADDRESS.toString());
        JsonNode route = single(ipJson(CONTAINER, "-4", "route", "show", "default"));
        assertThat(route.path("gateway").asText()).isEqualTo(BRIDGE_ADDRESS.address().toString());
        assertThat(route.path("dev").asText()).isEqualTo("eth0");
        JsonNode veth = link(HOST, hostSide);
        assertThat(veth.path("master").asText()).isEqualTo(OverlaySettings.BRIDGE);
        assertThat(veth.path("mtu").asInt()).isEqualTo(SETTINGS.overlayMtu());
        assertThat(flags(veth)).contains("UP");
        assertThat(network.isAttached("web", pid)).isTrue();

        // a full-size frame, unfragmented, across the bridge to the host's own address on it
        String gateway = BRIDGE_ADDRESS.address().toString();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(Shell.run(Shell.in(CONTAINER,
                "ping", "-c", "1", "-W", "1", "-M", "do", "-s", Integer.toString(SETTINGS.overlayMtu() - 28), gateway)).ok())
                .isTrue());

        assertEnsureChangesNothing();
        assertThat(network.isAttached("web", pid)).isTrue();

        network.detach("web");
        assertThat(linkNames(HOST)).doesNotContain(hostSide);
        assertThat(linkNames(CONTAINER)).containsExactly("lo");
        assertThat(network.isAttached("web", pid)).isFalse();
        network.detach("web");

        network.teardown();
        assertNothingOfTramasIn(linksBefore, filterBefore);
    }

    @Test
    void aContainerReachesTheBridgeAndTheLanButNoOtherInterface() {
        List<String> linksBefore = linkNames(HOST);
        List<String> filterBefore = rules("filter");
        network.ensure(BRIDGE_ADDRESS);
        network.attach("web", startContainerProcess(), CONTAINER_ADDRESS, BRIDGE_ADDRESS.address());

        awaitReaches(CONTAINER, BRIDGE_ADDRESS.address().toString());
        // the LAN namespace has no route into the overlay: its answers come back only because they are masqueraded
        assertThat(ipJson(LAN, "-4", "route", "show")).extracting(route -> route.path("dst").asText()).containsExactly("192.0.2.0/24");
        awaitReaches(CONTAINER, LAN_PEER);

        Rule dropFromBridge = forwardRule("DROP");
        assertThat(reaches(HOST, OTHER_PEER)).as("the host itself reaches the extra interface's far end").isTrue();
        long dropped = packets(dropFromBridge);
        assertThat(reaches(CONTAINER, OTHER_PEER)).isFalse();
        assertThat(packets(dropFromBridge)).isGreaterThan(dropped);
        // Trama's own drop, not the policy: the same on a host that forwards everything else
        Shell.run(Shell.in(HOST, "iptables", "-w", "-P", "FORWARD", "ACCEPT")).check();
        try {
            assertThat(reaches(CONTAINER, OTHER_PEER)).isFalse();
        } finally {
            Shell.run(Shell.in(HOST, "iptables", "-w", "-P", "FORWARD", "DROP")).check();
        }
        assertThat(reaches(CONTAINER, LAN_PEER)).isTrue();

        network.teardown();
        assertNothingOfTramasIn(linksBefore, filterBefore);
    }

    @Test
    void vxlanIsAcceptedOnlyFromTheMembersLastGiven() {
        List<String> linksBefore = linkNames(HOST);
        List<String> filterBefore = rules("filter");
        network.ensure(BRIDGE_ADDRESS);
        network.attach("web", startContainerProcess(), CONTAINER_ADDRESS, BRIDGE_ADDRESS.address());
        String container = CONTAINER_ADDRESS.address().toString();
        Ipv4 member = Ipv4.parse(LAN_PEER);
        Ipv4 other = Ipv4.parse("192.0.2.21");
        Shell.check("ip", "-n", LAN, "addr", "add", other + "/24", "dev", "eth0");
        Rule dropVxlan = FirewallPlan.vxlanDrop(SETTINGS.port());
        Rule fromMember = FirewallPlan.vxlanAccept(member, LAN_INTERFACE, SETTINGS.port());
        Rule fromOther = FirewallPlan.vxlanAccept(other, LAN_INTERFACE, SETTINGS.port());

        // the LAN namespace joins the overlay through a VXLAN device of its own, from the member's address
        lanVxlanFrom(member);
        long refused = packets(dropVxlan);
        assertThat(reaches(LAN, container)).as("VXLAN before any member is given").isFalse();
        assertThat(packets(dropVxlan)).isGreaterThan(refused);

        network.allowVxlanFrom(Set.of(member));
        awaitReaches(LAN, container);

        lanVxlanFrom(other);
        refused = packets(dropVxlan);
        assertThat(reaches(LAN, container)).as("VXLAN from an address that is no member's").isFalse();
        assertThat(packets(dropVxlan)).isGreaterThan(refused);

        // a member comes: the rule of the one already there is left as it is, its counter running on
        long acceptedFromMember = packets(fromMember);
        assertThat(acceptedFromMember).isPositive();
        commands.clear();
        network.allowVxlanFrom(Set.of(member, other));
        assertThat(packets(fromMember)).isGreaterThanOrEqualTo(acceptedFromMember);
        awaitReaches(LAN, container);

        // a member goes: the one that stays is never cut off
        long acceptedFromOther = packets(fromOther);
        assertThat(acceptedFromOther).isPositive();
        network.allowVxlanFrom(Set.of(other));
        assertThat(packets(fromOther)).isGreaterThanOrEqualTo(acceptedFromOther);
        assertThat(reaches(LAN, container)).isTrue();
        assertThat(rules("filter")).doesNotContain(fromMember.saved()).containsSubsequence(fromOther.saved(), dropVxlan.saved());
        assertThat(commands).extracting(argv -> String.join(" ", argv)).noneMatch(line -> line.matches("iptables .* -F .*"));

        // ensure keeps the members last given
        assertEnsureChangesNothing();
        assertThat(reaches(LAN, container)).isTrue();

        network.teardown();
        assertNothingOfTramasIn(linksBefore, filterBefore);
        assertThat(linkNames(HOST)).doesNotContain(VethNames.hostSide("web"));
    }

    @Test
    void aPublishedPortAnswersOnTheHostsAddressFromTheLanAndTheHostItselfAndGoesWithItsContainer(@TempDir Path www)
            throws IOException {
        List<String> linksBefore = linkNames(HOST);
        List<String> filterBefore = rules("filter");
        List<Publication> published = new ArrayList<>();
        network.publishFrom(() -> List.copyOf(published));
        network.ensure(BRIDGE_ADDRESS);
        network.attach("web", startContainerProcess(), CONTAINER_ADDRESS, BRIDGE_ADDRESS.address());
        Files.writeString(www.resolve("index.html"), "published-ok\n");
        Process server = new ProcessBuilder(Shell.in(CONTAINER, "busybox", "httpd", "-f", "-p", "80", "-h", www.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        sleepers.add(server);
        Reaper.track(server);
        awaitAnswers(HOST, CONTAINER_ADDRESS.address().toString(), 80);

        published.add(new Publication("web", CONTAINER_ADDRESS.address(), List.of(PortMapping.parse("8080:80"))));
        network.refreshPorts();
        awaitAnswers(LAN, "192.0.2.10", 8080);
        awaitAnswers(HOST, "192.0.2.10", 8080);
        assertThat(answer(LAN, "192.0.2.10", 8081)).as("a port nobody publishes").doesNotContain("published-ok");
        assertEnsureChangesNothing();

        published.clear();
        network.refreshPorts();
        assertThat(answer(LAN, "192.0.2.10", 8080)).doesNotContain("published-ok");
        assertThat(rules("nat")).noneMatch(line -> line.contains("8080"));

        published.add(new Publication("web", CONTAINER_ADDRESS.address(), List.of(PortMapping.parse("8080:80"))));
        network.refreshPorts();
        awaitAnswers(LAN, "192.0.2.10", 8080);
        network.teardown();
        assertNothingOfTramasIn(linksBefore, filterBefore);
    }

    @Test
    void theContainersReachTheResolverPortOnTheBridgeAddressUnderAnInputPolicyOfDrop(@TempDir Path www) throws IOException {
        List<String> linksBefore = linkNames(HOST);
        List<String> filterBefore = rules("filter");
        network.ensure(BRIDGE_ADDRESS);
        network.attach("web", startContainerProcess(), CONTAINER_ADDRESS, BRIDGE_ADDRESS.address());
        Shell.run(Shell.in(HOST, "iptables", "-w", "-P", "INPUT", "DROP")).check();
        try {
            // a TCP server on the host's bridge address stands in for the resolver (its UDP twin is the same rule)
            Files.writeString(www.resolve("index.html"), "published-ok\n");
            String bridge = BRIDGE_ADDRESS.address().toString();
            for (int port : new int[] {53, 54}) {
                Process server = new ProcessBuilder(Shell.in(HOST, "busybox", "httpd", "-f", "-p", bridge + ":" + port,
                        "-h", www.toString()))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                sleepers.add(server);
                Reaper.track(server);
            }
            awaitAnswers(CONTAINER, bridge, 53);
            assertThat(answer(CONTAINER, bridge, 54)).as("another port of the host, under INPUT DROP").doesNotContain("published-ok");
            // the LAN knows its way to the bridge address, and is still not let in: the accept is the bridge's only
            Shell.check("ip", "-n", LAN, "route", "add", BRIDGE_ADDRESS.network().toString(), "via", "192.0.2.10");
            assertThat(answer(LAN, bridge, 53)).as("the resolver port from the LAN").doesNotContain("published-ok");
        } finally {
            Shell.run(Shell.in(HOST, "iptables", "-w", "-P", "INPUT", "ACCEPT")).check();
        }
        network.teardown();
        assertNothingOfTramasIn(linksBefore, filterBefore);
    }

    @Test
    void inUnicastModeTheDeviceHoldsExactlyTheEntriesGivenAndTheyCarryTheTraffic() {
        List<String> linksBefore = linkNames(HOST);
        List<String> filterBefore = rules("filter");
        Ipv4 peer = Ipv4.parse(LAN_PEER);
        network.ensure(BRIDGE_ADDRESS, VxlanMode.UNICAST);
        network.attach("web", startContainerProcess(), CONTAINER_ADDRESS, BRIDGE_ADDRESS.address());
        network.allowVxlanFrom(Set.of(peer));
        JsonNode device = single(ipJson(HOST, "-details", "link", "show", "dev", OverlaySettings.VXLAN)).path("linkinfo")
                .path("info_data");
        assertThat(device.has("group")).as("no multicast group").isFalse();
        assertThat(device.path("learning").asBoolean(true)).as("learns nothing").isFalse();

        // another node's container, behind the LAN peer: unreachable until the entries say where it is
        Ipv4 remote = Ipv4.parse("10.77.0.100");
        lanVxlanFrom(peer, NodeNetwork.containerMac(remote));
        // the peer knows this node's container as every node of the cluster does: no ARP crosses the LAN (the
        // device answers ARP requests itself and sends none, nor any reply, over VXLAN)
        Shell.check("ip", "-n", LAN, "neigh", "replace", CONTAINER_ADDRESS.address().toString(), "lladdr",
                NodeNetwork.containerMac(CONTAINER_ADDRESS.address()), "dev", "vxpeer", "nud", "permanent");
        assertThat(reaches(CONTAINER, remote.toString())).as("before any entry").isFalse();
        Forwarding wanted = new Forwarding(Set.of(new FdbEntry(FdbEntry.FLOOD, peer),
                new FdbEntry(NodeNetwork.containerMac(remote), peer)), Map.of(remote, NodeNetwork.containerMac(remote)));
        network.forwardTo(wanted);
        awaitReaches(CONTAINER, remote.toString());
        assertThat(hostState.fdbEntries(OverlaySettings.VXLAN)).isEqualTo(wanted.entries());
        assertThat(hostState.permanentNeighbours(OverlaySettings.VXLAN)).isEqualTo(wanted.neighbours());

        // the same again only reads; a rebuild keeps them
        commands.clear();
        network.forwardTo(wanted);
        assertThat(commands).allMatch(argv -> argv.contains("show"), "only reads");
        network.ensure(BRIDGE_ADDRESS, VxlanMode.UNICAST);
        assertThat(hostState.fdbEntries(OverlaySettings.VXLAN)).isEqualTo(wanted.entries());

        // withdrawn: nothing stale stays, and the container is cut off from the peer again
        network.forwardTo(new Forwarding(Set.of(), Map.of()));
        assertThat(hostState.fdbEntries(OverlaySettings.VXLAN)).isEmpty();
        assertThat(hostState.permanentNeighbours(OverlaySettings.VXLAN)).isEmpty();
        Shell.run(Shell.in(CONTAINER, "ip", "neigh", "flush", "all"));
        assertThat(reaches(CONTAINER, remote.toString())).as("after the entries went").isFalse();

        network.teardown();
        assertNothingOfTramasIn(linksBefore, filterBefore);
    }

    private static String answer(String namespace, String address, int port) {
        return Shell.run(Shell.in(namespace, "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 " + address + " "
                + port)).out();
    }

    private static void awaitAnswers(String namespace, String address, int port) {
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(answer(namespace, address, port))
                .as("%s gets an answer from %s:%d", namespace, address, port).contains("published-ok"));
    }

    /** A VXLAN device in the LAN namespace, as another node's would be, sending from the given address. */
    private static void lanVxlanFrom(Ipv4 source) {
        lanVxlanFrom(source, "02:00:00:00:00:64");
    }

    private static void lanVxlanFrom(Ipv4 source, String mac) {
        Shell.run("ip", "-n", LAN, "link", "del", "vxpeer");
        Shell.check("ip", "-n", LAN, "link", "add", "vxpeer", "address", mac, "type", "vxlan", "id",
                Integer.toString(SETTINGS.vni()), "remote", "192.0.2.10", "local", source.toString(), "dstport",
                Integer.toString(SETTINGS.port()), "dev", "eth0");
        Shell.check("ip", "-n", LAN, "addr", "add", "10.77.0.100/24", "dev", "vxpeer");
        Shell.check("ip", "-n", LAN, "link", "set", "vxpeer", "up");
    }

    private static Rule forwardRule(String target) {
        return FirewallPlan.of(OverlaySettings.BRIDGE, BRIDGE_ADDRESS.network(), LAN_INTERFACE, SETTINGS.port(), Set.of())
                .rulesIn(FirewallPlan.FORWARD_CHAIN).stream().filter(rule -> rule.target().equals(target)).findFirst().orElseThrow();
    }

    private static boolean reaches(String namespace, String address) {
        return Shell.run(Shell.in(namespace, "ping", "-c", "1", "-W", "1", address)).ok();
    }

    private static void awaitReaches(String namespace, String address) {
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(reaches(namespace, address))
                .as("%s reaches %s", namespace, address).isTrue());
    }

    /** How many packets a rule of the host has matched, from its counter. */
    private static long packets(Rule rule) {
        String suffix = "] " + rule.saved();
        return Arrays.stream(Shell.run(Shell.in(HOST, "iptables-save", "-c", "-t", rule.table())).check().out().split("\n"))
                .filter(line -> line.startsWith("[") && line.endsWith(suffix))
                .mapToLong(line -> Long.parseLong(line.substring(1, line.indexOf(':'))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the host holds no rule " + rule.saved()));
    }

    /** Run again on a built overlay, ensure finds it as it is: only reads and repeats of "set". */
    private void assertEnsureChangesNothing() {
        String before = snapshot();
        commands.clear();
        network.ensure(BRIDGE_ADDRESS);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(commands).extracting(argv -> String.join(" ", argv)).noneMatch(line ->
                line.matches("ip (link|addr) (add|del) .*|iptables .* -[AIDFNX] .*|sysctl .*-w .*"));
    }

    private void assertNothingOfTramasIn(List<String> linksBefore, List<String> filterBefore) {
        assertThat(linkNames(HOST)).isEqualTo(linksBefore);
        assertThat(rules("filter")).isEqualTo(filterBefore);
        assertThat(rules("nat")).noneMatch(line -> line.startsWith("-A") || line.toLowerCase().contains("trama"));
        assertThat(forwarding()).isEqualTo("0");
    }

    private void assertOverlayBuilt() {
        JsonNode bridge = link(HOST, OverlaySettings.BRIDGE);
        assertThat(bridge.path("linkinfo").path("info_kind").asText()).isEqualTo("bridge");
        assertThat(bridge.path("mtu").asInt()).isEqualTo(SETTINGS.overlayMtu());
        assertThat(bridge.path("address").asText()).isEqualTo(NodeNetwork.stableMac(NODE));
        assertThat(bridge.path("ifalias").asText()).isEqualTo("trama ip_forward=0");
        assertThat(flags(bridge)).contains("UP");
        assertThat(addresses(HOST, OverlaySettings.BRIDGE)).containsExactly(BRIDGE_ADDRESS.toString());

        JsonNode vxlan = link(HOST, OverlaySettings.VXLAN);
        JsonNode info = vxlan.path("linkinfo").path("info_data");
        assertThat(vxlan.path("linkinfo").path("info_kind").asText()).isEqualTo("vxlan");
        assertThat(vxlan.path("master").asText()).isEqualTo(OverlaySettings.BRIDGE);
        assertThat(flags(vxlan)).contains("UP");
        assertThat(info.path("id").asInt()).isEqualTo(SETTINGS.vni());
        assertThat(info.path("group").asText()).isEqualTo(SETTINGS.group().toString());
        assertThat(info.path("port").asInt()).isEqualTo(SETTINGS.port());
        assertThat(info.path("link").asText()).isEqualTo(LAN_INTERFACE);
        assertThat(info.path("ttl").asInt()).isEqualTo(SETTINGS.ttl());

        FirewallPlan plan = FirewallPlan.of(OverlaySettings.BRIDGE, Cidr.parse("10.77.0.0/24"), LAN_INTERFACE, SETTINGS.port(), Set.of());
        for (Rule rule : Stream.concat(plan.rules().stream(), plan.jumps().stream()).toList()) {
            assertThat(rules(rule.table())).contains(rule.saved());
        }
        assertThat(rules("filter")).contains(":FORWARD DROP");
        assertThat(forwarding()).isEqualTo("1");
    }

    /** A process in the container namespace, as Docker's State.Pid would be; its PID once it is in there. */
    private long startContainerProcess() {
        Process process;
        try {
            process = new ProcessBuilder(Shell.in(CONTAINER, "sleep", "infinity"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a process in " + CONTAINER, e);
        }
        sleepers.add(process);
        // ip netns exec enters the namespace, then becomes sleep
        await().atMost(10, TimeUnit.SECONDS).until(() -> commandLine(process.pid()).equals("sleep infinity"));
        Reaper.track(process);
        // a PID outside the container namespace would have attach plug the machine's own namespace
        assertThat(namespaceOf(Path.of("/proc", Long.toString(process.pid()), "ns", "net")))
                .isEqualTo(namespaceOf(Path.of("/run/netns", CONTAINER)))
                .isNotEqualTo(namespaceOf(Path.of("/proc/self/ns/net")));
        return process.pid();
    }

    /** Links, addresses, routes, rules and forwarding of the host, with indexes: a recreated link shows. */
    private String snapshot() {
        StringBuilder state = new StringBuilder();
        for (JsonNode link : ipJson(HOST, "-details", "link", "show")) {
            ObjectNode kept = JSON.createObjectNode();
            for (String field : List.of("ifindex", "ifname", "mtu", "master", "address", "ifalias")) {
                if (link.has(field)) {
                    kept.set(field, link.get(field));
                }
            }
            kept.put("up", flags(link).contains("UP"));
            kept.put("kind", link.path("linkinfo").path("info_kind").asText(""));
            if (link.path("linkinfo").path("info_kind").asText().equals("vxlan")) {
                kept.set("vxlan", link.path("linkinfo").path("info_data"));
            }
            state.append(kept).append('\n');
        }
        for (JsonNode link : ipJson(HOST, "-4", "addr", "show")) {
            state.append(link.path("ifname").asText()).append(' ').append(link.path("addr_info")).append('\n');
        }
        state.append(ipJson(HOST, "-4", "route", "show")).append('\n');
        rules("filter").forEach(line -> state.append(line).append('\n'));
        rules("nat").forEach(line -> state.append(line).append('\n'));
        return state.append("ip_forward=").append(forwarding()).toString();
    }

    private static JsonNode ipJson(String namespace, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", namespace, "-json"));
        argv.addAll(List.of(args));
        try {
            return JSON.readTree(Shell.run(argv).check().out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode link(String namespace, String name) {
        return single(ipJson(namespace, "-details", "link", "show", "dev", name));
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array).hasSize(1);
        return array.get(0);
    }

    private static List<String> linkNames(String namespace) {
        List<String> names = new ArrayList<>();
        ipJson(namespace, "link", "show").forEach(link -> names.add(link.path("ifname").asText()));
        return names;
    }

    private static List<String> addresses(String namespace, String device) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode info : single(ipJson(namespace, "-4", "addr", "show", "dev", device)).path("addr_info")) {
            addresses.add(info.path("local").asText() + "/" + info.path("prefixlen").asInt());
        }
        return addresses;
    }

    private static List<String> flags(JsonNode link) {
        List<String> flags = new ArrayList<>();
        link.path("flags").forEach(flag -> flags.add(flag.asText()));
        return flags;
    }

    /** A table of the host as iptables-save prints it, without comments and counters. */
    private static List<String> rules(String table) {
        return Arrays.stream(Shell.run(Shell.in(HOST, "iptables-save", "-t", table)).check().out().split("\n"))
                .filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceAll(" \\[\\d+:\\d+\\]$", ""))
                .toList();
    }

    private static String forwarding() {
        return Shell.run(Shell.in(HOST, "sysctl", "-n", "net.ipv4.ip_forward")).check().out().strip();
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Object namespaceOf(Path path) {
        try {
            return Files.getAttribute(path, "unix:ino");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the network namespace of " + path, e);
        }
    }

    /** What of the machine's own namespace this test could have touched: Trama's links and rules, forwarding. */
    private record RootNamespace(List<String> links, List<String> rules, String forwarding) {

        static RootNamespace read() {
            List<String> links = new ArrayList<>();
            try {
                for (JsonNode link : JSON.readTree(Shell.check("ip", "-json", "link", "show").out())) {
                    String name = link.path("ifname").asText();
                    if (name.startsWith("trama") || VethNames.isTrama(name) || name.equals(LAN_INTERFACE)
                            || name.equals(EXTRA_INTERFACE)) {
                        links.add(name);
                    }
                }
                List<String> rules = Arrays.stream(Shell.check("iptables-save").out().split("\n"))
                        .filter(line -> line.toLowerCase().contains("trama"))
                        .toList();
                return new RootNamespace(links, rules, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
