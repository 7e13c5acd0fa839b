package dev.trama.daemon;

import dev.trama.daemon.health.IgmpQueries;
import dev.trama.daemon.health.MulticastBeacon;
import dev.trama.daemon.health.PathProber;
import dev.trama.daemon.network.FirewallPlan;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.network.OverlaySettings;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.tasks.ContainerTasks;
import dev.trama.daemon.tasks.Labels;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.Replies.Diagnosis;
import dev.trama.protocol.Replies.Finding;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import dev.trama.protocol.VxlanMode;
import dev.trama.transport.Requester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * {@code trama doctor}: what may be wrong with this host's part of the overlay, each check with one sentence that
 * says what was found and, when it is not ok, what to do. It changes nothing. A check that cannot be made (the
 * node is not configured, the server does not answer) says so rather than guessing.
 */
final class Doctor {

    /** A node whose beacon was not heard for this long does not get the group's traffic from here. */
    static final Duration BEACON_SILENCE = Duration.ofSeconds(8);
    /**
     * A LAN without an IGMP query for this long has no querier (the default query interval is 125 s): snooping
     * switches then stop forwarding the group minutes after the last one.
     */
    static final Duration QUERIER_SILENCE = Duration.ofSeconds(260);
    /** A clock this far from the server's is worth a warning: logs and release times no longer line up. */
    static final Duration SKEW = Duration.ofSeconds(2);

    private final String node;
    private final Requester server;
    private final Membership membership;
    private final NodeNetwork network;
    private final ContainerRuntime runtime;
    private final ContainerTasks containers;
    private final TaskRunner tasks;
    private final Peers peers;
    private final PathProber prober;
    private final MulticastBeacon beacon;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Path procSys;

    Doctor(String node, Requester server, Membership membership, NodeNetwork network, ContainerRuntime runtime,
           ContainerTasks containers, TaskRunner tasks, Peers peers, PathProber prober, MulticastBeacon beacon, Clock clock,
           LongSupplier nanoTime, Path procSys) {
        this.node = node;
        this.server = server;
        this.membership = membership;
        this.network = network;
        this.runtime = runtime;
        this.containers = containers;
        this.tasks = tasks;
        this.peers = peers;
        this.prober = prober;
        this.beacon = beacon;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.procSys = procSys;
    }

    Diagnosis diagnose() {
        List<Finding> checks = new ArrayList<>();
        ClusterView view = null;
        long askedAt = clock.millis();
        try {
            view = server.call(new ServerRequest.GetCluster());
            checks.add(Finding.ok("server", "the server answers (" + (clock.millis() - askedAt) + " ms)"));
        } catch (RuntimeException e) {
            checks.add(Finding.failed("server", "the server does not answer: " + e.getMessage()
                    + "; check that trama-server runs and that this host reaches it on ports 8080-8082"));
        }
        if (view != null) {
            checks.add(clock(view, askedAt, clock.millis()));
        }
        checks.add(docker());
        NodeRegistered registration = membership.current();
        boolean configured = registration != null && registration.bridgeIp() != null && network.isBuilt();
        if (!configured) {
            checks.add(Finding.warning("overlay", "node '" + node + "' is not configured, so its overlay was not checked; "
                    + "run trama configure CIDR"));
            return Diagnosis.of(checks);
        }
        checks.add(firewall());
        checks.add(bridgeNetfilter());
        checks.add(vxlanModule());
        if (registration.vxlan() == VxlanMode.MULTICAST) {
            checks.add(multicast());
        }
        checks.add(paths());
        checks.add(mtu());
        checks.add(leftovers(registration.clusterId()));
        return Diagnosis.of(checks);
    }

    private Finding clock(ClusterView view, long sentAt, long receivedAt) {
        if (view.serverTime() == 0) {
            return Finding.warning("clock", "the server did not say its time, so the clocks were not compared");
        }
        long skew = view.serverTime() - (sentAt + receivedAt) / 2;
        String detail = "this host's clock is " + Math.abs(skew) + " ms " + (skew > 0 ? "behind" : "ahead of") + " the server's";
        return Math.abs(skew) > SKEW.toMillis()
                ? Finding.warning("clock", detail + ": logs and release times will not line up; run NTP (e.g. systemd-timesyncd)")
                : Finding.ok("clock", detail);
    }

    private Finding docker() {
        try {
            runtime.ping();
            return Finding.ok("docker", "the Docker Engine answers");
        } catch (RuntimeException e) {
            return Finding.failed("docker", "the Docker Engine does not answer: " + e.getMessage()
                    + "; start it (systemctl start docker)");
        }
    }

    private Finding firewall() {
        List<String> missing = network.firewallMissing();
        String policy = network.forwardPolicy();
        if (missing.isEmpty()) {
            return Finding.ok("firewall", "Trama's chains are in place (FORWARD policy " + (policy.isEmpty() ? "unknown" : policy)
                    + ")");
        }
        String what = missing.size() + " of Trama's rules are missing (e.g. " + missing.get(0) + ")";
        return policy.equals("DROP")
                ? Finding.failed("firewall", "the FORWARD policy is DROP and " + what
                        + ": the overlay's traffic is dropped; restart trama-daemon, which puts them back")
                : Finding.warning("firewall", what + "; restart trama-daemon, which puts them back");
    }

    private Finding bridgeNetfilter() {
        Path call = procSys.resolve("net/bridge/bridge-nf-call-iptables");
        if (!Files.exists(call)) {
            return Finding.ok("bridge-netfilter", "br_netfilter is not loaded: frames bridged on trama0 do not pass iptables");
        }
        boolean through;
        try {
            through = Files.readString(call).strip().equals("1");
        } catch (java.io.IOException e) {
            return Finding.warning("bridge-netfilter", "cannot read " + call + ": " + e.getMessage());
        }
        if (!through) {
            return Finding.ok("bridge-netfilter", "br_netfilter is loaded but bridged frames do not pass iptables");
        }
        boolean accepted = network.firewallMissing().stream().noneMatch(rule -> rule.contains(FirewallPlan.FORWARD_CHAIN));
        return accepted
                ? Finding.ok("bridge-netfilter", "br_netfilter sends bridged frames through FORWARD, where Trama's chain "
                        + "accepts the overlay's")
                : Finding.failed("bridge-netfilter", "br_netfilter sends bridged frames through FORWARD and Trama's "
                        + FirewallPlan.FORWARD_CHAIN + " is incomplete; restart trama-daemon");
    }

    private Finding vxlanModule() {
        if (Files.exists(Path.of("/sys/module/vxlan")) || network.mode().isPresent() && network.isBuilt()) {
            return Finding.ok("vxlan-module", "the kernel has VXLAN (" + OverlaySettings.VXLAN + " is up)");
        }
        return Finding.failed("vxlan-module", "the kernel's vxlan module is not loaded; run modprobe vxlan");
    }

    private Finding multicast() {
        if (!beacon.running()) {
            return Finding.warning("multicast", "this node sends no beacon to " + beacon.groupAddress()
                    + " (see the daemon's log), so multicast delivery was not checked");
        }
        Map<String, Long> heard = beacon.heard();
        long now = nanoTime.getAsLong();
        List<String> silent = others().stream()
                .filter(other -> heard.get(other) == null || now - heard.get(other) > BEACON_SILENCE.toNanos())
                .sorted().toList();
        if (others().isEmpty()) {
            return querier("no other node to hear on " + beacon.groupAddress(), now);
        }
        if (silent.isEmpty()) {
            return querier("the LAN delivers " + beacon.groupAddress() + ": every other node's beacon is heard", now);
        }
        return Finding.failed("multicast", "the LAN does not deliver multicast to " + beacon.groupAddress() + ": no beacon of "
                + String.join(", ", silent) + " for " + BEACON_SILENCE.toSeconds() + " s (a cloud network, or switches with"
                + " IGMP snooping and no querier); configure the cluster with --vxlan unicast, or enable an IGMP querier");
    }

    /** The multicast check when the group arrives: ok with a querier on the LAN, a warning without one. */
    private Finding querier(String delivered, long now) {
        Optional<IgmpQueries> watched = beacon.queries();
        if (watched.isEmpty()) {
            return Finding.ok("multicast", delivered + " (IGMP queriers cannot be watched here: see the daemon's log)");
        }
        Optional<IgmpQueries.Query> last = watched.get().last();
        if (last.isPresent() && now - last.get().at() <= QUERIER_SILENCE.toNanos()) {
            return Finding.ok("multicast", delivered + "; IGMP querier " + last.get().from() + " heard "
                    + (now - last.get().at()) / 1_000_000_000L + " s ago");
        }
        long silentFor = (now - last.map(IgmpQueries.Query::at).orElse(watched.get().since())) / 1_000_000_000L;
        return Finding.warning("multicast", delivered + ", but no IGMP query reached this host for " + silentFor + " s"
                + (last.isEmpty() ? " (since the daemon started watching)" : "") + ": switches that snoop IGMP stop"
                + " forwarding the group a few minutes after the last query; enable an IGMP querier on the LAN, or"
                + " configure the cluster with --vxlan unicast");
    }

    private Finding paths() {
        Map<String, NodeInfo.Path> paths = new TreeMap<>(prober.paths());
        if (paths.isEmpty()) {
            return Finding.ok("paths", "no other configured node to reach through the overlay");
        }
        List<String> broken = paths.entrySet().stream().filter(e -> !e.getValue().ok()).map(Map.Entry::getKey).toList();
        List<String> tooSmall = paths.entrySet().stream().filter(e -> e.getValue().ok() && !e.getValue().mtuOk())
                .map(Map.Entry::getKey).toList();
        if (!broken.isEmpty()) {
            return Finding.failed("paths", "the overlay does not reach " + String.join(", ", broken) + " from here: check that"
                    + " the LAN carries UDP " + network.settings().port() + " between the hosts");
        }
        if (!tooSmall.isEmpty()) {
            return Finding.failed("paths", "full-size frames do not reach " + String.join(", ", tooSmall) + ": a link on the way"
                    + " takes less than the LAN MTU; lower that node's LAN MTU to match, and the overlay follows");
        }
        return Finding.ok("paths", "the overlay reaches " + paths.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().rttMs() + " ms)").collect(Collectors.joining(", ")));
    }

    private Finding mtu() {
        Map<String, Integer> lanMtus = new TreeMap<>();
        peers.members().stream().filter(m -> m.lanMtu() > 0).forEach(m -> lanMtus.put(m.node(), m.lanMtu()));
        int overlay = network.overlayMtu();
        int bridge = network.bridgeMtu().orElse(overlay);
        if (bridge != overlay) {
            return Finding.failed("mtu", OverlaySettings.BRIDGE + " has MTU " + bridge + ", not the overlay's " + overlay
                    + "; restart trama-daemon");
        }
        if (lanMtus.values().stream().distinct().count() > 1) {
            return Finding.warning("mtu", "the nodes' LAN MTUs differ (" + lanMtus.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + "): the overlay uses "
                    + overlay + " everywhere, the smallest less 50; give the LAN one MTU to use it all");
        }
        return Finding.ok("mtu", "overlay MTU " + overlay + (lanMtus.isEmpty() ? "" : ", LAN MTU "
                + lanMtus.values().iterator().next() + " on every node"));
    }

    private Finding leftovers(String clusterId) {
        List<String> strays = tasks.strays();
        Set<String> here;
        try {
            here = containers.local(clusterId).stream().map(c -> c.label(Labels.NAME)).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            return Finding.warning("leftovers", "the containers could not be listed: " + e.getMessage());
        }
        List<String> veths = network.vethsNotOf(here);
        if (strays.isEmpty() && veths.isEmpty()) {
            return Finding.ok("leftovers", "nothing of Trama's on this host is without its container");
        }
        List<String> found = new ArrayList<>();
        if (!strays.isEmpty()) {
            found.add("containers the cluster does not know (" + String.join(", ", strays) + "; docker rm -f them if unwanted)");
        }
        if (!veths.isEmpty()) {
            found.add("veths of no container (" + String.join(", ", veths) + "; the daemon removes them when it converges)");
        }
        return Finding.warning("leftovers", "found " + String.join(" and ", found));
    }

    private List<String> others() {
        return peers.members().stream().map(Task.Member::node).filter(n -> !n.equals(node)).toList();
    }
}
