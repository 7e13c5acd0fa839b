package dev.trama.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A node as the cluster knows it, with its latest metrics ({@code null} until its first report).
 * {@code releaseAt} (ISO-8601, UTC) is set while the node is down and still holds its containers: when
 * they are released unless it comes back. {@code warnings} are what the node found wrong on its host,
 * e.g. containers running there that the cluster does not know. {@code lanMtu} is its LAN interface's MTU as
 * it last reported it (null until then).
 */
public record NodeInfo(String name, String address, Status status, Double cpuPercent, Long freeMemMb,
                       int containers, String bridgeIp, String releaseAt, List<String> warnings, Integer lanMtu) {

    public NodeInfo(String name, String address, Status status, Double cpuPercent, Long freeMemMb, int containers,
                    String bridgeIp, String releaseAt, List<String> warnings) {
        this(name, address, status, cpuPercent, freeMemMb, containers, bridgeIp, releaseAt, warnings, null);
    }

    /** Whether the node's heartbeats arrive; on the wire as the lowercase word. */
    public enum Status {
        @JsonProperty("up") UP,
        @JsonProperty("down") DOWN;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public NodeInfo {
        Check.name(name, "node name");
        Check.address(address, "node address");
        if (status == null) {
            throw new IllegalArgumentException("node status is required");
        }
        if (bridgeIp != null) {
            Check.interfaceAddress(bridgeIp, "bridge address");
        }
        releaseAt = Check.text(releaseAt);
        warnings = Check.texts(warnings);
        if (lanMtu != null && (lanMtu == 0 || Check.lanMtu(lanMtu) == 0)) {
            lanMtu = null;
        }
    }
}
