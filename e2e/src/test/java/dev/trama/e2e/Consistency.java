package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The invariant of the cluster, read from its four witnesses: what the cluster says runs (trama ps),
 * what Docker runs on the hosts, the addresses allocated in etcd, and the links on the hosts (each
 * container's eth0 holding its address, one Trama veth on the bridge per container) must be the same
 * containers, each with one address of its own. The ports the cluster shows published are exactly the DNAT
 * rules of the hosts. A fifth, {@link #resolved}, reads the nodes' resolvers.
 */
final class Consistency {

    record Placement(String name, String node, String ip) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TramaCluster cluster;

    Consistency(TramaCluster cluster) {
        this.cluster = cluster;
    }

    Set<Placement> viewed(int fromHost) {
        return placements(ps(fromHost));
    }

    private JsonNode ps(int fromHost) {
        return read(cluster.console(fromHost, "ps", "--json").check().out());
    }

    private static Set<Placement> placements(JsonNode ps) {
        Set<Placement> placements = new HashSet<>();
        for (JsonNode c : ps) {
            assertThat(c.path("state").asText()).as("state of %s", c.path("name").asText()).isEqualTo("running");
            placements.add(new Placement(c.path("name").asText(), c.path("node").asText(), c.path("ip").asText()));
        }
        return placements;
    }

    /** The DNAT rule each port the cluster view shows published must be on its node's host, as "NODE RULE". */
    private static Set<String> publishedInView(JsonNode ps) {
        Set<String> rules = new HashSet<>();
        for (JsonNode c : ps) {
            String address = c.path("ip").asText().replaceAll("/.*", "");
            for (JsonNode port : c.path("ports")) {
                String protocol = port.path("protocol").asText();
                rules.add(c.path("node").asText() + " -A TRAMA-PORTS -p " + protocol + " -m " + protocol + " --dport "
                        + port.path("host").asInt() + " -m comment --comment trama -j DNAT --to-destination " + address + ":"
                        + port.path("container").asInt());
            }
        }
        return rules;
    }

    /** The rules of Trama's published ports chain on every host, as "NODE RULE". */
    Set<String> published(int hosts) {
        Set<String> rules = new HashSet<>();
        for (int host = 1; host <= hosts; host++) {
            String node = cluster.node(host);
            cluster.onHost(host, "iptables-save", "-t", "nat").check().out().lines()
                    .filter(line -> line.startsWith("-A TRAMA-PORTS "))
                    .forEach(line -> rules.add(node + " " + line));
        }
        return rules;
    }

    Set<Placement> running(int hosts) {
        Set<Placement> placements = new HashSet<>();
        for (int host = 1; host <= hosts; host++) {
            String out = Shell.check("docker", "ps", "-a", "--filter", "label=trama.node=" + cluster.node(host), "--format",
                    "{{.Label \"trama.name\"}} {{.Label \"trama.ip\"}} {{.State}}").out();
            for (String line : out.strip().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(" ");
                assertThat(fields[2]).as("docker state of %s", fields[0]).isEqualTo("running");
                placements.add(new Placement(fields[0], cluster.node(host), fields[1]));
            }
        }
        return placements;
    }

    /** Container addresses allocated in etcd (bridges left out), with their prefix length from the segment. */
    Set<Placement> allocated() {
        String subnet = cluster.etcdctl("get", "--print-value-only", "/trama/v1/cluster/subnet").out().strip();
        String prefix = subnet.isEmpty() ? "" : subnet.substring(subnet.indexOf('/'));
        List<String> lines = cluster.etcdctl("get", "--prefix", "/trama/v1/ips/").out().lines().toList();
        Set<Placement> placements = new HashSet<>();
        for (int i = 1; i < lines.size(); i += 2) {
            JsonNode allocation = read(lines.get(i));
            if (allocation.path("kind").asText().equals("container")) {
                placements.add(new Placement(allocation.path("name").asText(), allocation.path("node").asText(),
                        allocation.path("ip").asText() + prefix));
            }
        }
        return placements;
    }

    /**
     * Containers whose eth0 holds the address they were launched with, read inside their network
     * namespaces; and on each host, as many of Trama's veths on the bridge as it runs containers.
     */
    Set<Placement> attached(int hosts) {
        Set<Placement> placements = new HashSet<>();
        for (int host = 1; host <= hosts; host++) {
            List<String> ids = Shell.check("docker", "ps", "-q", "--filter", "label=trama.node=" + cluster.node(host)).out()
                    .strip().lines().filter(l -> !l.isBlank()).toList();
            int veths = trama0Veths(host);
            assertThat(veths).as("veths on the bridge of host %d", host).isEqualTo(ids.size());
            if (ids.isEmpty()) {
                continue;
            }
            List<String> inspect = new ArrayList<>(List.of("docker", "inspect", "-f",
                    "{{.State.Pid}} {{index .Config.Labels \"trama.name\"}} {{index .Config.Labels \"trama.ip\"}}"));
            inspect.addAll(ids);
            for (String line : Shell.check(inspect.toArray(String[]::new)).out().strip().split("\n")) {
                String[] fields = line.split(" ");
                String eth0 = Shell.check("nsenter", "-t", fields[0], "-n", "ip", "-4", "-o", "addr", "show", "dev", "eth0").out();
                if (eth0.contains(" inet " + fields[2] + " ")) {
                    placements.add(new Placement(fields[1], cluster.node(host), fields[2]));
                }
            }
        }
        return placements;
    }

    private int trama0Veths(int host) {
        Shell.Result links = cluster.onHost(host, "ip", "-o", "link", "show", "master", "trama0");
        if (!links.ok()) {
            return 0;
        }
        return (int) links.out().lines().filter(l -> l.matches("^\\d+: trv[0-9a-f]+@.*")).count();
    }

    /**
     * Containers whose name each configured host's resolver answers with their address: asked on the host, of
     * the resolver on its bridge's address (busybox's nslookup), for every container of {@code expected}. A
     * host without a bridge has no resolver and is left out.
     */
    Set<Placement> resolved(int hosts, Set<Placement> expected) {
        Set<Placement> placements = new HashSet<>(expected);
        for (int host = 1; host <= hosts; host++) {
            Shell.Result bridge = cluster.onHost(host, "ip", "-4", "-o", "addr", "show", "dev", "trama0");
            if (!bridge.ok() || !bridge.out().contains(" inet ")) {
                continue;
            }
            String resolver = bridge.out().replaceAll("(?s).* inet ([0-9.]+)/.*", "$1").strip();
            for (Placement p : expected) {
                String answer = cluster.onHost(host, "busybox", "nslookup", "-type=a", p.name() + ".trama", resolver).out();
                String address = p.ip().replaceAll("/.*", "");
                if (!answer.matches("(?s).*Name:\\s*\\S+\\s+Address:\\s*" + Pattern.quote(address) + "\\s.*")) {
                    placements.remove(p);
                }
            }
        }
        return placements;
    }

    /** Asserts the four witnesses agree (and the hosts' rules with the ports shown), and returns what they agree on. */
    Set<Placement> assertConsistent(int hosts) {
        JsonNode ps = ps(1);
        Set<Placement> viewed = placements(ps);
        assertThat(running(hosts)).as("Docker against the cluster view").isEqualTo(viewed);
        assertThat(allocated()).as("etcd allocations against the cluster view").isEqualTo(viewed);
        assertThat(attached(hosts)).as("links on the hosts against the cluster view").isEqualTo(viewed);
        assertThat(published(hosts)).as("published ports on the hosts against the cluster view").isEqualTo(publishedInView(ps));
        List<String> ips = new ArrayList<>();
        viewed.forEach(p -> ips.add(p.ip()));
        assertThat(ips).doesNotHaveDuplicates();
        return viewed;
    }

    /** A node's status as host 1's console shows it: "up" or "down". */
    String status(int node) {
        for (JsonNode n : read(cluster.console(1, "nodes", "--json").check().out())) {
            if (n.path("name").asText().equals(cluster.node(node))) {
                return n.path("status").asText();
            }
        }
        throw new AssertionError("node " + cluster.node(node) + " is not in the cluster");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
