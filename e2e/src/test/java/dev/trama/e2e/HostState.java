package dev.trama.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trama.testkit.TramaCluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a host holds, read back from the kernel, for comparing before and after. */
final class HostState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TramaCluster cluster;

    HostState(TramaCluster cluster) {
        this.cluster = cluster;
    }

    /** Links with their kind, master, MTU, MAC, alias and VXLAN parameters (no counters, no indexes). */
    List<String> links(int host) {
        List<String> links = new ArrayList<>();
        try {
            for (JsonNode link : JSON.readTree(cluster.onHost(host, "ip", "-json", "-details", "link", "show").check().out())) {
                ObjectNode kept = JSON.createObjectNode();
                for (String field : List.of("ifname", "mtu", "master", "address", "ifalias")) {
                    if (link.has(field)) {
                        kept.set(field, link.get(field));
                    }
                }
                // set up by the daemon, as opposed to the carrier state, which follows its ports in time
                kept.put("up", link.path("flags").toString().contains("\"UP\""));
                JsonNode info = link.path("linkinfo");
                kept.put("kind", info.path("info_kind").asText(""));
                if (info.path("info_kind").asText().equals("vxlan")) {
                    kept.set("vxlan", info.path("info_data"));
                    // the kernel picks a VXLAN device's own MAC at random; no frame carries it
                    kept.remove("address");
                }
                links.add(kept.toString());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return links;
    }

    List<String> tramaLinks(int host) {
        return links(host).stream().filter(l -> l.contains("\"trama") || l.contains("\"trv")).toList();
    }

    List<String> addresses(int host, String device) {
        return Arrays.asList(cluster.onHost(host, "ip", "-4", "-o", "addr", "show", "dev", device).check().out()
                .replaceAll("(?m)^\\d+: ", "").split("\n"));
    }

    /** iptables-save of a table without comments and counters. */
    List<String> rules(int host, String table) {
        return Arrays.stream(cluster.onHost(host, "iptables-save", "-t", table).check().out().split("\n"))
                .filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceAll(" \\[\\d+:\\d+\\]$", ""))
                .toList();
    }

    List<String> tramaRules(int host, String table) {
        return rules(host, table).stream().filter(l -> l.toLowerCase().contains("trama")).toList();
    }

    List<String> foreignRules(int host, String table) {
        return rules(host, table).stream().filter(l -> !l.toLowerCase().contains("trama")).toList();
    }

    String sysctl(int host, String key) {
        return cluster.onHost(host, "sysctl", "-n", key).check().out().strip();
    }

    /** Everything of Trama's on a host, as one comparable snapshot. */
    List<String> snapshot(int host) {
        List<String> all = new ArrayList<>(tramaLinks(host));
        all.addAll(tramaRules(host, "filter"));
        all.addAll(tramaRules(host, "nat"));
        all.add("ip_forward=" + sysctl(host, "net.ipv4.ip_forward"));
        return all;
    }
}
