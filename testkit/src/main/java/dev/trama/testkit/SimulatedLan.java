package dev.trama.testkit;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A LAN of network namespaces, closed to the machine: a switch (a bridge with multicast snooping off),
 * hosts on 192.0.2.0/24 with their FORWARD policy at DROP (as Docker sets it on real hosts), a router at
 * 192.0.2.1 and an "internet" host at 203.0.113.10 behind it. Nothing is connected to the root namespace.
 * {@code scripts/lib/lan} builds and removes it, the same script {@code scripts/trama-sim} builds its LAN with.
 *
 * <p>Every name starts with a prefix of this run ({@code ttXXXX-}), recorded so that a later run removes
 * what a killed one left ({@link Reaper#reapLeftovers()}).
 */
public final class SimulatedLan implements AutoCloseable {

    public static final String ROUTER_ADDRESS = "192.0.2.1";
    public static final String INTERNET_ADDRESS = "203.0.113.10";

    private static final int BUILD_TIMEOUT_SECONDS = 120;
    /** The exit status of {@code lan up} for a prefix some existing namespace's name starts with. */
    private static final int PREFIX_TAKEN = 3;

    private final String prefix;
    private final int hosts;

    private SimulatedLan(String prefix, int hosts) {
        this.prefix = prefix;
        this.hosts = hosts;
    }

    /** Builds the LAN with the given hosts ({@code host(1)} … {@code host(n)}) and one more for the server. */
    public static SimulatedLan create(int hosts) {
        Reaper.reapLeftovers();
        for (int attempt = 1; ; attempt++) {
            String prefix = String.format("tt%04x-", ThreadLocalRandom.current().nextInt(0x10000));
            Reaper.trackPrefix(prefix);
            SimulatedLan lan = new SimulatedLan(prefix, hosts);
            Shell.Result built;
            try {
                built = Shell.run(Project.script("lan", "up", prefix, Integer.toString(hosts)), BUILD_TIMEOUT_SECONDS);
            } catch (RuntimeException e) {
                lan.close();
                throw e;
            }
            if (built.ok()) {
                return lan;
            }
            if (built.exitCode() == PREFIX_TAKEN) {
                // another run's LAN: leave it alone and draw again
                Reaper.untrackPrefix(prefix);
                if (attempt < 5) {
                    continue;
                }
            } else {
                lan.close();
            }
            built.check();
        }
    }

    public String prefix() {
        return prefix;
    }

    /** How many hosts (besides the server host) the LAN has. */
    public int hosts() {
        return hosts;
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
        Shell.Result containers = Shell.run("docker", "ps", "-a", "--filter", "label=trama.node", "--format",
                "{{.ID}} {{.Label \"trama.node\"}}");
        if (containers.ok()) {
            for (String line : containers.out().split("\n")) {
                String[] idAndNode = line.strip().split(" ", 2);
                if (idAndNode.length == 2 && idAndNode[1].startsWith(prefix)) {
                    Shell.run("docker", "rm", "-f", idAndNode[0]);
                }
            }
        }
        Shell.run(Project.script("lan", "down", prefix)).check();
    }
}
