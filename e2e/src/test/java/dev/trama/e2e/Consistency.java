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

/**
 * The invariant of the cluster, read from its three witnesses: what the cluster says runs (trama ps),
 * what Docker runs on the hosts, and the addresses allocated in etcd must be the same containers, each
 * with one address of its own.
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
        Set<Placement> placements = new HashSet<>();
        Shell.Result ps = cluster.console(fromHost, "ps", "--json").check();
        for (JsonNode c : read(ps.out())) {
            assertThat(c.path("state").asText()).as("state of %s", c.path("name").asText()).isEqualTo("running");
            placements.add(new Placement(c.path("name").asText(), c.path("node").asText(), c.path("ip").asText()));
        }
        return placements;
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

    /** Asserts the three witnesses agree, and returns what they agree on. */
    Set<Placement> assertConsistent(int hosts) {
        Set<Placement> viewed = viewed(1);
        assertThat(running(hosts)).as("Docker against the cluster view").isEqualTo(viewed);
        assertThat(allocated()).as("etcd allocations against the cluster view").isEqualTo(viewed);
        List<String> ips = new ArrayList<>();
        viewed.forEach(p -> ips.add(p.ip()));
        assertThat(ips).doesNotHaveDuplicates();
        return viewed;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
