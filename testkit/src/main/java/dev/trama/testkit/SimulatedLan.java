package dev.trama.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A LAN of network namespaces, closed to the machine: a switch (a bridge with multicast snooping off),
 * hosts on 192.0.2.0/24 with their FORWARD policy at DROP (as Docker sets it on real hosts), a router at
 * 192.0.2.1 and an "internet" host at 203.0.113.10 behind it. Nothing is connected to the root namespace.
 *
 * <p>Every name starts with a prefix of this run ({@code ttXXXX-}), recorded so that a later run removes
 * what a killed one left ({@link Reaper#reapLeftovers()}).
 */
public final class SimulatedLan implements AutoCloseable {

    public static final String ROUTER_ADDRESS = "192.0.2.1";
    public static final String INTERNET_ADDRESS = "203.0.113.10";

    private final String prefix;
    private final int hosts;
    private final List<String> namespaces = new ArrayList<>();

    private SimulatedLan(String prefix, int hosts) {
        this.prefix = prefix;
        this.hosts = hosts;
    }

    /** Builds the LAN with the given hosts ({@code host(1)} … {@code host(n)}) and one more for the server. */
    public static SimulatedLan create(int hosts) {
        Reaper.reapLeftovers();
        String prefix = String.format("tt%04x-", ThreadLocalRandom.current().nextInt(0x10000));
        Reaper.trackPrefix(prefix);
        SimulatedLan lan = new SimulatedLan(prefix, hosts);
        try {
            lan.build();
        } catch (RuntimeException e) {
            lan.close();
            throw e;
        }
        return lan;
    }

    public String prefix() {
        return prefix;
    }

    public String switchNamespace() {
        return prefix + "sw";
    }

    public String host(int i) {
        return prefix + "h" + i;
    }

    public String hostAddress(int i) {
        return "192.0.2." + (10 + i);
    }

    /** The namespace of the server host (also holding etcd), 192.0.2.2. */
    public String serverHost() {
        return prefix + "srv";
    }

    public String serverAddress() {
        return "192.0.2.2";
    }

    public String internet() {
        return prefix + "inet";
    }

    public String router() {
        return prefix + "rt";
    }

    private void build() {
        String sw = addNamespace(switchNamespace());
        Shell.check("ip", "-n", sw, "link", "add", "lan", "type", "bridge");
        Shell.check("ip", "-n", sw, "link", "set", "lan", "type", "bridge", "mcast_snooping", "0");
        Shell.check("ip", "-n", sw, "link", "set", "lan", "up");
        for (int i = 1; i <= hosts; i++) {
            plugHost(host(i), "h" + i, hostAddress(i));
            Shell.check("ip", "netns", "exec", host(i), "iptables", "-w", "-P", "FORWARD", "DROP");
        }
        plugHost(serverHost(), "srv", serverAddress());

        String router = addNamespace(router());
        connect(router, "rt", "eth0");
        Shell.check("ip", "-n", router, "addr", "add", ROUTER_ADDRESS + "/24", "dev", "eth0");
        String inet = addNamespace(internet());
        Shell.check("ip", "-n", router, "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", inet);
        Shell.check("ip", "-n", router, "addr", "add", "203.0.113.1/24", "dev", "eth1");
        Shell.check("ip", "-n", router, "link", "set", "eth1", "up");
        Shell.check("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        Shell.check("ip", "netns", "exec", router, "iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-s", "192.0.2.0/24",
                "-o", "eth1", "-j", "MASQUERADE");
        Shell.check("ip", "-n", inet, "addr", "add", INTERNET_ADDRESS + "/24", "dev", "eth0");
        Shell.check("ip", "-n", inet, "link", "set", "eth0", "up");
        Shell.check("ip", "-n", inet, "link", "set", "lo", "up");
    }

    private void plugHost(String namespace, String port, String address) {
        addNamespace(namespace);
        connect(namespace, port, "eth0");
        Shell.check("ip", "-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        Shell.check("ip", "-n", namespace, "route", "add", "default", "via", ROUTER_ADDRESS);
    }

    /** A veth from the switch (port name there) to {@code inside} in the namespace, both up. */
    private void connect(String namespace, String port, String inside) {
        String sw = switchNamespace();
        Shell.check("ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", inside, "netns", namespace);
        Shell.check("ip", "-n", sw, "link", "set", port, "master", "lan", "up");
        Shell.check("ip", "-n", namespace, "link", "set", inside, "up");
        Shell.check("ip", "-n", namespace, "link", "set", "lo", "up");
    }

    private String addNamespace(String name) {
        Shell.check("ip", "netns", "add", name);
        namespaces.add(name);
        return name;
    }

    /** Sets host i's port on the switch down or up, as a cable pulled or a switch port failing would. */
    public void switchPort(int i, boolean up) {
        Shell.check("ip", "-n", switchNamespace(), "link", "set", "h" + i, up ? "up" : "down");
    }

    /** Runs a command inside a namespace. */
    public Shell.Result exec(String namespace, String... argv) {
        return Shell.run(Shell.in(namespace, argv));
    }

    public Path root() {
        return Path.of("/run/netns");
    }

    @Override
    public void close() {
        removeNamespaces(prefix);
        Reaper.untrackPrefix(prefix);
    }

    /** Deletes every namespace whose name starts with the prefix, and the containers of nodes so named. */
    static void removeNamespaces(String prefix) {
        Shell.Result containers = Shell.run("docker", "ps", "-aq", "--filter", "label=trama.node");
        if (containers.ok()) {
            for (String id : containers.out().split("\\s+")) {
                if (id.isBlank()) {
                    continue;
                }
                Shell.Result node = Shell.run("docker", "inspect", "-f", "{{index .Config.Labels \"trama.node\"}}", id);
                if (node.ok() && node.out().strip().startsWith(prefix)) {
                    Shell.run("docker", "rm", "-f", id);
                }
            }
        }
        Shell.Result list = Shell.run("ip", "netns", "list");
        for (String line : list.out().split("\n")) {
            String name = line.split(" ")[0].strip();
            if (name.startsWith(prefix)) {
                Shell.run("ip", "netns", "del", name);
            }
        }
    }
}
