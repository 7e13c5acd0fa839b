package dev.trama.daemon.network;

import dev.trama.daemon.host.FdbEntry;
import dev.trama.daemon.host.HostSockets;
import dev.trama.daemon.host.Ip;
import dev.trama.daemon.host.Link;
import dev.trama.daemon.host.Sysctl;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.VxlanMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that builds and removes a node's overlay: the bridge, the VXLAN device, the containers'
 * veth pairs, the firewall rules (published ports included) and IPv4 forwarding. Every verb converges: run
 * twice, or after a crash half-way, it leaves the same state, and removal tolerates what is already gone.
 *
 * <p>Whether forwarding was off before Trama turned it on is written in the bridge's alias, so that
 * {@link #teardown} can restore it without any file of the daemon's own.
 *
 * <p>VXLAN datagrams are accepted only from the LAN addresses given to {@link #allowVxlanFrom}. Until a set
 * is given, the overlay keeps the members the host's rules already accept: none on a host Trama has not
 * configured yet, so no VXLAN is accepted there; a daemon restarted on a configured host keeps its peers
 * reachable until it learns the cluster's members again.
 *
 * <p>In unicast mode the VXLAN device learns nothing and uses no group: it holds exactly the entries of the
 * last {@link Forwarding} given to {@link #forwardTo} (every other member's LAN address for flooding, every
 * container and bridge elsewhere by MAC and address). Until one is given, it keeps what it holds, so that a
 * restarted daemon does not cut its containers off before it learns the cluster again.
 *
 * <p>Published ports are not remembered either: their rules are converged to what the node's containers publish
 * as {@link Publications} tells it at that moment (their engine's labels), when the overlay is built and whenever
 * a container came or went ({@link #refreshPorts}). A restarted daemon therefore rebuilds exactly the rules of
 * the containers that are there, and a container's rules go with it.
 */
public final class NodeNetwork {

    private static final Logger log = LoggerFactory.getLogger(NodeNetwork.class);
    private static final String IP_FORWARD = "net.ipv4.ip_forward";
    private static final String ALIAS = "trama";
    private static final String ALIAS_RESTORE_FORWARDING = "trama ip_forward=0";
    private static final String CONTAINER_INTERFACE = "eth0";

    private final Ip ip;
    private final Firewall firewall;
    private final Sysctl sysctl;
    private final HostSockets sockets;
    private final OverlaySettings settings;
    private final String bridgeMac;
    /** The members' LAN addresses; null until given or taken over from the host's rules. */
    private Set<Ipv4> vxlanMembers;
    /** The unicast entries last given; null until then. */
    private Forwarding forwarding;
    /** The mode the overlay was last built in by this process; null before and after teardown. */
    private VxlanMode mode;
    /** The overlay's MTU: this node's LAN MTU less the overhead, until the cluster's smallest is given. */
    private int overlayMtu;
    /** The bridge address the overlay was last built for by this process; null before and after teardown. */
    private InterfaceAddress builtFor;
    private volatile Publications publications = Publications.NONE;
    /** What the containers published when last read (and applied, once built), in container name order. */
    private List<Publication> published = List.of();

    public NodeNetwork(Ip ip, Firewall firewall, Sysctl sysctl, HostSockets sockets, OverlaySettings settings,
                       String nodeName) {
        this.ip = ip;
        this.firewall = firewall;
        this.sysctl = sysctl;
        this.sockets = sockets;
        this.settings = settings;
        this.bridgeMac = stableMac(nodeName);
        this.overlayMtu = settings.overlayMtu();
    }

    /** Where the node's published ports are read from (until given: none). */
    public void publishFrom(Publications source) {
        this.publications = source;
    }

    /** Builds (or completes, or corrects) the node's overlay for a bridge address, in multicast mode. */
    public void ensure(InterfaceAddress bridgeAddress) {
        ensure(bridgeAddress, VxlanMode.MULTICAST);
    }

    /** Builds (or completes, or corrects) the node's overlay for a bridge address, in the cluster's VXLAN mode. */
    public synchronized void ensure(InterfaceAddress bridgeAddress, VxlanMode vxlanMode) {
        ensureBridge();
        ensureVxlan(vxlanMode);
        mode = vxlanMode;
        ensureBridgeAddress(bridgeAddress);
        ip.setUp(OverlaySettings.VXLAN);
        ip.setUp(OverlaySettings.BRIDGE);
        if (vxlanMembers == null) {
            vxlanMembers = firewall.vxlanMembersHeld(settings.lanInterface(), settings.port());
        }
        readPublicationsOrKeep();
        firewall.ensure(firewallPlan(bridgeAddress));
        builtFor = bridgeAddress;
        if (!sysctl.get(IP_FORWARD).equals("1")) {
            sysctl.set(IP_FORWARD, "1");
        }
        applyForwarding();
        log.info("overlay ready: {} {} on {} (VNI {}, {}, port {}, MTU {})", OverlaySettings.BRIDGE, bridgeAddress,
                settings.lanInterface(), settings.vni(), vxlanMode == VxlanMode.MULTICAST ? "group " + settings.group()
                        : "unicast", settings.port(), overlayMtu);
    }

    /** The MTU of the overlay's links and the containers' eth0. */
    public synchronized int overlayMtu() {
        return overlayMtu;
    }

    /**
     * From now on the overlay's links have this MTU: the bridge, the VXLAN device, every container's veth pair
     * (the host's end, and {@code eth0} in the network namespace of each of these running containers) and every
     * container attached later. A container that ended meanwhile is skipped; the others are still changed.
     */
    public synchronized void overlayMtu(int mtu, List<Long> containerPids) {
        if (mtu + OverlaySettings.VXLAN_OVERHEAD < OverlaySettings.MIN_LAN_MTU) {
            throw new IllegalArgumentException("an overlay MTU of " + mtu + " is too small for VXLAN");
        }
        int before = overlayMtu;
        overlayMtu = mtu;
        if (builtFor == null) {
            return;
        }
        // lowered: the containers first, so that nothing they send is too big for the links below; raised: last
        boolean lowering = mtu < before;
        if (lowering) {
            containerPids.forEach(pid -> containerMtu(pid, mtu));
        }
        for (Link link : ip.links()) {
            if (VethNames.isTrama(link.name()) && link.mtu() != mtu) {
                ip.setMtu(link.name(), mtu);
            }
        }
        ip.setMtu(OverlaySettings.VXLAN, mtu);
        ip.setMtu(OverlaySettings.BRIDGE, mtu);
        if (!lowering) {
            containerPids.forEach(pid -> containerMtu(pid, mtu));
        }
        log.info("overlay MTU {} (was {}): the cluster's smallest LAN MTU less {}", mtu, before,
                OverlaySettings.VXLAN_OVERHEAD);
    }

    private void containerMtu(long pid, int mtu) {
        try {
            ip.inNamespaceOf(pid, List.of("link", "set", "dev", CONTAINER_INTERFACE, "mtu", Integer.toString(mtu)));
        } catch (RuntimeException e) {
            log.debug("container process {} keeps its MTU: {}", pid, e.getMessage());
        }
    }

    /**
     * In unicast mode, the VXLAN device holds exactly these entries from now on: missing ones are added before
     * those no longer wanted go, and the ones that stay are not touched. Takes effect at once on an overlay this
     * process built, otherwise at the next {@link #ensure}; nothing is programmed in multicast mode.
     */
    public synchronized void forwardTo(Forwarding wanted) {
        forwarding = wanted;
        applyForwarding();
    }

    private void applyForwarding() {
        if (builtFor == null || mode != VxlanMode.UNICAST || forwarding == null) {
            return;
        }
        String device = OverlaySettings.VXLAN;
        Set<FdbEntry> held = ip.fdbEntries(device);
        Map<Ipv4, String> neighbours = ip.permanentNeighbours(device);
        List<String> changes = new ArrayList<>();
        forwarding.entries().stream().filter(e -> !held.contains(e)).sorted(Comparator.comparing(FdbEntry::toString))
                .forEach(e -> {
                    ip.addFdb(device, e);
                    changes.add("+" + e);
                });
        forwarding.neighbours().forEach((address, mac) -> {
            if (!mac.equals(neighbours.get(address))) {
                ip.replaceNeighbour(device, address, mac);
                changes.add("+" + address + " lladdr " + mac);
            }
        });
        held.stream().filter(e -> !forwarding.entries().contains(e)).sorted(Comparator.comparing(FdbEntry::toString))
                .forEach(e -> {
                    ip.deleteFdb(device, e);
                    changes.add("-" + e);
                });
        neighbours.keySet().stream().filter(a -> !forwarding.neighbours().containsKey(a)).sorted().forEach(address -> {
            ip.deleteNeighbour(device, address);
            changes.add("-" + address);
        });
        if (!changes.isEmpty()) {
            log.info("forwarding entries: {}", changes.size() <= 8 ? String.join(", ", changes)
                    : changes.size() + " changes");
        }
    }

    /**
     * Accepts VXLAN datagrams from exactly these LAN addresses (the cluster's members): rules of new members
     * are added, those of members gone are removed, and those that stay are left alone, so the overlay
     * traffic of a remaining member is never interrupted. Takes effect at once on an overlay this process
     * has built, otherwise at the next {@link #ensure}, which keeps the set last given. Safe to repeat: the
     * same set again only repairs what differs from it.
     */
    public synchronized void allowVxlanFrom(Set<Ipv4> members) {
        Set<Ipv4> given = Set.copyOf(members);
        if (!given.equals(vxlanMembers)) {
            log.info("VXLAN accepted from {}", given.stream().sorted().toList());
        }
        vxlanMembers = given;
        if (builtFor != null) {
            firewall.ensure(firewallPlan(builtFor));
        }
    }

    private FirewallPlan firewallPlan(InterfaceAddress bridgeAddress) {
        return FirewallPlan.of(OverlaySettings.BRIDGE, bridgeAddress.network(), settings.lanInterface(), settings.port(),
                vxlanMembers, published);
    }

    /**
     * Converges the rules of published ports to what the node's containers publish now: run after a container
     * came or went. Only the ports' chain is touched, and only when what is published changed.
     */
    public synchronized void refreshPorts() {
        List<Publication> before = published;
        if (!readPublications() || builtFor == null) {
            return;
        }
        try {
            firewall.ensureChain(firewallPlan(builtFor), FirewallPlan.PORTS_CHAIN);
        } catch (RuntimeException e) {
            published = before; // not applied: the next refresh tries again
            throw e;
        }
    }

    /** Reads what is published; whether it differs from what was read before. */
    private boolean readPublications() {
        List<Publication> now = publications.current().stream().sorted(Comparator.comparing(Publication::container)).toList();
        if (now.equals(published)) {
            return false;
        }
        log.info("published ports: {}", now.isEmpty() ? "none" : now.stream()
                .map(p -> p.container() + " " + p.ports()).collect(Collectors.joining(", ")));
        published = now;
        return true;
    }

    /** As {@link #readPublications}, keeping what was last read when the containers cannot be listed. */
    private void readPublicationsOrKeep() {
        try {
            readPublications();
        } catch (RuntimeException e) {
            log.warn("published ports kept as last read ({} containers): cannot read them now: {}", published.size(),
                    e.getMessage());
        }
    }

    /**
     * Throws, saying why in one sentence, unless the container may publish these ports here: none may be the
     * VXLAN port, one another container of the node publishes, or one a socket of the host holds.
     */
    public void checkPortsFree(String containerName, List<PortMapping> ports) {
        if (ports.isEmpty()) {
            return;
        }
        List<Publication> others = publications.current().stream().filter(p -> !p.container().equals(containerName)).toList();
        for (PortMapping port : ports) {
            if (port.protocol().equals("udp") && port.host() == settings.port()) {
                throw new IllegalStateException("host port " + port.hostSide() + " carries the overlay's VXLAN traffic");
            }
            for (Publication other : others) {
                if (other.ports().stream().anyMatch(p -> p.hostSide().equals(port.hostSide()))) {
                    throw new IllegalStateException("host port " + port.hostSide() + " is already published by container '"
                            + other.container() + "'");
                }
            }
            if (sockets.holds(port.protocol(), port.host())) {
                throw new IllegalStateException("host port " + port.hostSide() + " is already in use by a process of the host");
            }
        }
    }

    private void ensureBridge() {
        Optional<Link> existing = ip.link(OverlaySettings.BRIDGE);
        if (existing.isPresent() && !existing.get().isBridge()) {
            throw new IllegalStateException("a link named " + OverlaySettings.BRIDGE + " exists and is not a bridge ("
                    + existing.get().kind() + "); remove it or rename it");
        }
        if (existing.isEmpty()) {
            ip.addBridge(OverlaySettings.BRIDGE, bridgeMac, overlayMtu);
        } else if (existing.get().mtu() != overlayMtu) {
            ip.setMtu(OverlaySettings.BRIDGE, overlayMtu);
        }
        if (existing.isEmpty() || !isTramaAlias(existing.get().alias())) {
            // Forwarding is changed only after the alias is written, so a bridge without it (a crash
            // between the two steps) still sees the host's own forwarding setting.
            String forwardingBefore = sysctl.get(IP_FORWARD);
            ip.setAlias(OverlaySettings.BRIDGE, forwardingBefore.equals("0") ? ALIAS_RESTORE_FORWARDING : ALIAS);
        }
    }

    private static boolean isTramaAlias(String alias) {
        return alias.equals(ALIAS) || alias.equals(ALIAS_RESTORE_FORWARDING);
    }

    private void ensureVxlan(VxlanMode vxlanMode) {
        Optional<Link> existing = ip.link(OverlaySettings.VXLAN);
        if (existing.isPresent() && !matchesSettings(existing.get(), vxlanMode)) {
            if (!existing.get().isVxlan()) {
                throw new IllegalStateException("a link named " + OverlaySettings.VXLAN + " exists and is not a VXLAN device ("
                        + existing.get().kind() + "); remove it or rename it");
            }
            log.info("{} has other VXLAN parameters than configured: recreating it", OverlaySettings.VXLAN);
            ip.deleteLink(OverlaySettings.VXLAN);
            existing = Optional.empty();
        }
        if (existing.isEmpty() && vxlanMode == VxlanMode.UNICAST) {
            ip.addUnicastVxlan(OverlaySettings.VXLAN, settings.vni(), settings.port(), settings.lanInterface(), settings.ttl());
        } else if (existing.isEmpty()) {
            ip.addVxlan(OverlaySettings.VXLAN, settings.vni(), settings.group(), settings.port(), settings.lanInterface(),
                    settings.ttl());
        }
        ip.setMaster(OverlaySettings.VXLAN, OverlaySettings.BRIDGE);
    }

    private boolean matchesSettings(Link link, VxlanMode vxlanMode) {
        boolean modeMatches = vxlanMode == VxlanMode.MULTICAST
                ? link.info().path("group").asText().equals(settings.group().toString())
                        && link.info().path("learning").asBoolean(true)
                : !link.info().has("group") && !link.info().path("learning").asBoolean(true)
                        && link.info().path("proxy").asBoolean(false);
        return link.isVxlan()
                && modeMatches
                && link.info().path("id").asInt() == settings.vni()
                && link.info().path("port").asInt() == settings.port()
                && link.info().path("link").asText().equals(settings.lanInterface())
                && link.info().path("ttl").asInt() == settings.ttl();
    }

    private void ensureBridgeAddress(InterfaceAddress wanted) {
        List<InterfaceAddress> present = ip.addresses(OverlaySettings.BRIDGE);
        for (InterfaceAddress other : present) {
            if (!other.equals(wanted)) {
                ip.deleteAddress(OverlaySettings.BRIDGE, other);
            }
        }
        if (!present.contains(wanted)) {
            ip.addAddress(OverlaySettings.BRIDGE, wanted);
        }
    }

    public boolean isBuilt() {
        return ip.link(OverlaySettings.BRIDGE).map(Link::isBridge).orElse(false);
    }

    /**
     * Plugs a container (by the PID of a process in its network namespace) into the bridge, its eth0 with the
     * address and the MAC derived from it ({@link #containerMac}), the same every time the container starts. A
     * half-made attachment is undone before the error is thrown.
     */
    public void attach(String containerName, long pid, InterfaceAddress address, Ipv4 gateway) {
        String hostSide = VethNames.hostSide(containerName);
        ip.deleteLink(hostSide);
        ip.addVethInto(pid, CONTAINER_INTERFACE, containerMac(address.address()), hostSide, overlayMtu());
        boolean attached = false;
        try {
            ip.setMaster(hostSide, OverlaySettings.BRIDGE);
            ip.setUp(hostSide);
            ip.configureInside(pid, CONTAINER_INTERFACE, address, gateway);
            attached = true;
        } finally {
            if (!attached) {
                ip.deleteLink(hostSide);
            }
        }
    }

    /**
     * Whether the container's current run is attached: its host-side veth is on the bridge and the network
     * namespace of its process {@code pid} holds its eth0. After a restart the engine gives the container a fresh
     * namespace, while the kernel may take a moment to delete the former one and the veth with it.
     */
    public boolean isAttached(String containerName, long pid) {
        return ip.link(VethNames.hostSide(containerName))
                .map(link -> OverlaySettings.BRIDGE.equals(link.master()))
                .orElse(false)
                && ip.hasLinkInside(pid, CONTAINER_INTERFACE);
    }

    public void detach(String containerName) {
        ip.deleteLink(VethNames.hostSide(containerName));
    }

    /** Removes host-side veths of Trama's that belong to none of the given containers (left by a crash). */
    public void removeVethsExcept(java.util.Set<String> containerNames) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        containerNames.forEach(name -> keep.add(VethNames.hostSide(name)));
        for (Link link : ip.links()) {
            if (VethNames.isTrama(link.name()) && !keep.contains(link.name())) {
                log.info("removing stale veth {}", link.name());
                ip.deleteLink(link.name());
            }
        }
    }

    /** Removes every link, rule and setting of Trama's on this host, and forgets the members. Safe to repeat. */
    public synchronized void teardown() {
        builtFor = null;
        vxlanMembers = null;
        forwarding = null;
        mode = null;
        published = List.of();
        List<String> problems = new ArrayList<>();
        for (Link link : ip.links()) {
            if (VethNames.isTrama(link.name())) {
                attempt(problems, () -> ip.deleteLink(link.name()));
            }
        }
        Optional<Link> bridge = ip.link(OverlaySettings.BRIDGE);
        boolean restoreForwarding = bridge.map(b -> b.alias().equals(ALIAS_RESTORE_FORWARDING)).orElse(false);
        attempt(problems, () -> ip.link(OverlaySettings.VXLAN).filter(Link::isVxlan)
                .ifPresent(l -> ip.deleteLink(OverlaySettings.VXLAN)));
        attempt(problems, () -> bridge.filter(Link::isBridge).ifPresent(l -> ip.deleteLink(OverlaySettings.BRIDGE)));
        attempt(problems, firewall::remove);
        if (restoreForwarding) {
            attempt(problems, () -> sysctl.set(IP_FORWARD, "0"));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("could not remove all of Trama's network set-up: " + String.join("; ", problems));
        }
        log.info("overlay removed");
    }

    private static void attempt(List<String> problems, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
    }

    /**
     * The MAC of the container holding an overlay address: {@code 02:7a} and the address's four bytes. Locally
     * administered, unique in the segment as the addresses are, and known before the container's first frame.
     */
    public static String containerMac(Ipv4 address) {
        int bits = address.bits();
        return String.format("02:7a:%02x:%02x:%02x:%02x", bits >>> 24, bits >>> 16 & 0xff, bits >>> 8 & 0xff, bits & 0xff);
    }

    /** The bridge's address, once this process has built the overlay: the containers' gateway. */
    public synchronized Optional<Ipv4> gateway() {
        return Optional.ofNullable(builtFor).map(InterfaceAddress::address);
    }

    /** Trama's rules the host lacks now, read only (none before this process built the overlay). */
    public synchronized List<String> firewallMissing() {
        return builtFor == null ? List.of() : firewall.missing(firewallPlan(builtFor));
    }

    /** The FORWARD chain's policy, e.g. "DROP". */
    public String forwardPolicy() {
        return firewall.policy("FORWARD");
    }

    /** The MTU the bridge has now, if there is one. */
    public Optional<Integer> bridgeMtu() {
        return ip.link(OverlaySettings.BRIDGE).map(Link::mtu);
    }

    /** Host-side veths of Trama's that belong to none of the given containers, read only. */
    public List<String> vethsNotOf(Set<String> containerNames) {
        Set<String> theirs = containerNames.stream().map(VethNames::hostSide).collect(Collectors.toSet());
        return ip.links().stream().map(Link::name).filter(name -> VethNames.isTrama(name) && !theirs.contains(name))
                .sorted().toList();
    }

    public OverlaySettings settings() {
        return settings;
    }

    /** The mode the overlay was last built in by this process, if it was. */
    public synchronized Optional<VxlanMode> mode() {
        return Optional.ofNullable(mode);
    }

    /** A locally administered MAC that stays the same for a node, so containers' gateway entry never goes stale. */
    static String stableMac(String nodeName) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("trama-bridge:" + nodeName).getBytes(StandardCharsets.UTF_8));
            return String.format("02:%02x:%02x:%02x:%02x:%02x", d[0], d[1], d[2], d[3], d[4]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
