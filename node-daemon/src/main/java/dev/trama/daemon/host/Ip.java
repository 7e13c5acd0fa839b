package dev.trama.daemon.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * iproute2 ({@code ip}, and {@code bridge} for forwarding entries) through {@link CommandRunner}: state is read
 * with {@code -json} and parsed, changes are
 * argument vectors. Every name and address is validated before it is put in a command. Commands meant for
 * a container's network namespace run under {@code nsenter -t PID -n}.
 */
public final class Ip {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandRunner runner;

    public Ip(CommandRunner runner) {
        this.runner = runner;
    }

    public Optional<Link> link(String name) {
        CommandResult result = runner.run(List.of("ip", "-json", "-details", "link", "show", "dev", LinkNames.require(name)));
        if (!result.ok()) {
            if (!exists(name)) {
                return Optional.empty();
            }
            throw new CommandException(result);
        }
        List<JsonNode> links = array(result);
        return links.isEmpty() ? Optional.empty() : Optional.of(Link.from(links.get(0)));
    }

    /**
     * Whether a link of that name is here, from the full listing: how a command on a missing link is told
     * apart from one that failed. ip's exit status does not say which: 1 when ip cannot find the name, 2
     * when the kernel refuses, and a link can vanish between ip's look-up and its request.
     */
    private boolean exists(String name) {
        for (JsonNode link : array(runner.check(List.of("ip", "-json", "link", "show")))) {
            if (link.path("ifname").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    public List<Link> links() {
        List<Link> links = new ArrayList<>();
        array(runner.check(List.of("ip", "-json", "-details", "link", "show"))).forEach(n -> links.add(Link.from(n)));
        return links;
    }

    /** The IPv4 addresses of a device, with their prefix lengths. */
    public List<InterfaceAddress> addresses(String device) {
        List<InterfaceAddress> addresses = new ArrayList<>();
        for (JsonNode link : array(runner.check(List.of("ip", "-json", "-4", "addr", "show", "dev", LinkNames.require(device))))) {
            for (JsonNode info : link.path("addr_info")) {
                if (info.path("family").asText().equals("inet")) {
                    addresses.add(new InterfaceAddress(Ipv4.parse(info.path("local").asText()), info.path("prefixlen").asInt()));
                }
            }
        }
        return addresses;
    }

    /** The device of the default route, if there is one. */
    public Optional<String> defaultRouteDevice() {
        for (JsonNode route : array(runner.check(List.of("ip", "-json", "-4", "route", "show", "default")))) {
            if (route.hasNonNull("dev")) {
                return Optional.of(route.get("dev").asText());
            }
        }
        return Optional.empty();
    }

    public void addBridge(String name, String mac, int mtu) {
        runner.check(List.of("ip", "link", "add", LinkNames.require(name), "address", mac(mac), "mtu", Integer.toString(mtu),
                "type", "bridge"));
    }

    /** A VXLAN device that floods to a multicast group and learns where MACs are from what it receives. */
    public void addVxlan(String name, int vni, Ipv4 group, int port, String device, int ttl) {
        runner.check(List.of("ip", "link", "add", LinkNames.require(name), "type", "vxlan", "id", Integer.toString(vni),
                "group", group.toString(), "dstport", Integer.toString(port), "dev", LinkNames.require(device),
                "ttl", Integer.toString(ttl)));
    }

    /**
     * A VXLAN device without a group that learns nothing: it sends where its forwarding entries say, and answers
     * ARP requests from its neighbour entries itself ({@code proxy}) instead of sending them over the LAN.
     */
    public void addUnicastVxlan(String name, int vni, int port, String device, int ttl) {
        runner.check(List.of("ip", "link", "add", LinkNames.require(name), "type", "vxlan", "id", Integer.toString(vni),
                "dstport", Integer.toString(port), "dev", LinkNames.require(device), "ttl", Integer.toString(ttl),
                "nolearning", "proxy"));
    }

    /**
     * The VXLAN device's own permanent entries that send to a LAN address ({@code bridge fdb show}); the entries
     * the bridge above it learnt ({@code master}) are the bridge's and not among them.
     */
    public Set<FdbEntry> fdbEntries(String device) {
        Set<FdbEntry> entries = new HashSet<>();
        for (JsonNode entry : array(runner.check(List.of("bridge", "-json", "fdb", "show", "dev", LinkNames.require(device))))) {
            boolean self = false;
            for (JsonNode flag : entry.path("flags")) {
                self |= flag.asText().equals("self");
            }
            if (self && entry.hasNonNull("dst") && entry.path("state").asText().equals("permanent")) {
                entries.add(new FdbEntry(entry.path("mac").asText(), Ipv4.parse(entry.path("dst").asText())));
            }
        }
        return entries;
    }

    /** Adds an entry: the all-zeros MAC beside the ones it has ({@code append}), any other in place of its last. */
    public void addFdb(String device, FdbEntry entry) {
        runner.check(List.of("bridge", "fdb", entry.floods() ? "append" : "replace", entry.mac(), "dev",
                LinkNames.require(device), "dst", entry.destination().toString(), "self", "permanent"));
    }

    /** Deletes an entry; one already gone is not an error. */
    public void deleteFdb(String device, FdbEntry entry) {
        CommandResult result = runner.run(List.of("bridge", "fdb", "del", entry.mac(), "dev", LinkNames.require(device),
                "dst", entry.destination().toString(), "self"));
        if (!result.ok() && fdbEntries(device).contains(entry)) {
            throw new CommandException(result);
        }
    }

    /** The permanent neighbour entries of a device: address and MAC. */
    public Map<Ipv4, String> permanentNeighbours(String device) {
        Map<Ipv4, String> entries = new HashMap<>();
        for (JsonNode entry : array(runner.check(List.of("ip", "-json", "-4", "neigh", "show", "dev", LinkNames.require(device),
                "nud", "permanent")))) {
            if (entry.hasNonNull("dst") && entry.hasNonNull("lladdr")) {
                entries.put(Ipv4.parse(entry.get("dst").asText()), entry.get("lladdr").asText());
            }
        }
        return entries;
    }

    public void replaceNeighbour(String device, Ipv4 address, String mac) {
        runner.check(List.of("ip", "neigh", "replace", address.toString(), "lladdr", mac(mac), "dev", LinkNames.require(device),
                "nud", "permanent"));
    }

    /** Deletes a neighbour entry; one already gone is not an error. */
    public void deleteNeighbour(String device, Ipv4 address) {
        CommandResult result = runner.run(List.of("ip", "neigh", "del", address.toString(), "dev", LinkNames.require(device)));
        if (!result.ok() && permanentNeighbours(device).containsKey(address)) {
            throw new CommandException(result);
        }
    }

    /** Creates a veth pair: {@code inside} in the network namespace of process {@code pid}, {@code hostSide} here. */
    /** A veth pair whose end {@code inside}, with the given MAC, is in the network namespace of process {@code pid}. */
    public void addVethInto(long pid, String inside, String insideMac, String hostSide, int mtu) {
        runner.check(List.of("ip", "link", "add", LinkNames.require(inside), "address", mac(insideMac), "mtu",
                Integer.toString(mtu), "netns", pid(pid),
                "type", "veth", "peer", "name", LinkNames.require(hostSide), "mtu", Integer.toString(mtu)));
    }

    public void setMaster(String name, String master) {
        runner.check(List.of("ip", "link", "set", "dev", LinkNames.require(name), "master", LinkNames.require(master)));
    }

    public void setUp(String name) {
        runner.check(List.of("ip", "link", "set", "dev", LinkNames.require(name), "up"));
    }

    public void setMtu(String name, int mtu) {
        runner.check(List.of("ip", "link", "set", "dev", LinkNames.require(name), "mtu", Integer.toString(mtu)));
    }

    /** Sets the free-text description of a link (letters, digits, '_', '=', '.', ' ' only). */
    public void setAlias(String name, String alias) {
        if (!alias.matches("[a-zA-Z0-9_=. ]{1,64}")) {
            throw new IllegalArgumentException("'" + alias + "' is not a valid link alias");
        }
        runner.check(List.of("ip", "link", "set", "dev", LinkNames.require(name), "alias", alias));
    }

    public void addAddress(String device, InterfaceAddress address) {
        runner.check(List.of("ip", "addr", "add", address.toString(), "dev", LinkNames.require(device)));
    }

    public void deleteAddress(String device, InterfaceAddress address) {
        runner.check(List.of("ip", "addr", "del", address.toString(), "dev", LinkNames.require(device)));
    }

    /**
     * Deletes a link; one that is already gone is not an error, also when it goes while this runs (a
     * container's end takes its veth pair along).
     */
    public void deleteLink(String name) {
        CommandResult result = runner.run(List.of("ip", "link", "del", "dev", LinkNames.require(name)));
        if (!result.ok() && exists(name)) {
            throw new CommandException(result);
        }
    }

    /** Runs {@code ip ARGS} in the network namespace of process {@code pid}. */
    public void inNamespaceOf(long pid, List<String> ipArgs) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", pid(pid), "-n", "ip"));
        argv.addAll(ipArgs);
        runner.check(argv);
    }

    /** Whether the network namespace of process {@code pid} holds a link of this name (false if the process is gone). */
    public boolean hasLinkInside(long pid, String device) {
        CommandResult result = runner.run(List.of("nsenter", "-t", pid(pid), "-n", "ip", "-json", "link", "show", "dev",
                LinkNames.require(device)));
        return result.ok() && result.stdout().contains("\"ifname\"");
    }

    public void configureInside(long pid, String device, InterfaceAddress address, Ipv4 gateway) {
        String dev = LinkNames.require(device);
        inNamespaceOf(pid, List.of("addr", "add", address.toString(), "dev", dev));
        inNamespaceOf(pid, List.of("link", "set", "dev", dev, "up"));
        inNamespaceOf(pid, List.of("route", "add", "default", "via", gateway.toString(), "dev", dev));
    }

    private static String pid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("process id " + pid + " is not valid");
        }
        return Long.toString(pid);
    }

    static String mac(String mac) {
        if (mac == null || !mac.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException("'" + mac + "' is not a MAC address");
        }
        return mac;
    }

    private static List<JsonNode> array(CommandResult result) {
        List<JsonNode> items = new ArrayList<>();
        if (result.stdout().isBlank()) {
            return items;
        }
        try {
            JSON.readTree(result.stdout()).forEach(items::add);
        } catch (IOException e) {
            throw new CommandException("cannot read the output of `" + CommandResult.display(result.argv()) + "` as JSON", e);
        }
        return items;
    }
}
