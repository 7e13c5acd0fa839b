package dev.trama.daemon.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A network interface as {@code ip -json -details link show} describes it. {@code kind} is the
 * link type ("bridge", "vxlan", "veth"; empty for a physical one); {@code info} holds its type's details.
 */
public record Link(String name, int index, String kind, String master, int mtu, String mac, boolean up, String alias,
                   JsonNode info) {

    static Link from(JsonNode node) {
        JsonNode linkinfo = node.path("linkinfo");
        boolean up = false;
        for (JsonNode flag : node.path("flags")) {
            up |= flag.asText().equals("UP");
        }
        return new Link(node.path("ifname").asText(), node.path("ifindex").asInt(), linkinfo.path("info_kind").asText(""),
                node.path("master").asText(null), node.path("mtu").asInt(), node.path("address").asText(""), up,
                node.path("ifalias").asText(""), linkinfo.isMissingNode() ? MissingNode.getInstance() : linkinfo.path("info_data"));
    }

    public boolean isBridge() {
        return kind.equals("bridge");
    }

    public boolean isVxlan() {
        return kind.equals("vxlan");
    }
}
