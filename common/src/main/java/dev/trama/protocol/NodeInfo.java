package dev.trama.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A node as the cluster knows it, with its latest metrics ({@code null} until its first report).
 * {@code releaseAt} (ISO-8601, UTC) is set while the node is down and still holds its containers: when
 * they are released unless it comes back. {@code warnings} are what the node found wrong on its host,
 * e.g. containers running there that the cluster does not know. {@code lanMtu} is its LAN interface's MTU as
 * it last reported it (null until then). {@code path} is how the overlay's data path to it works from the node
 * that answers (its daemon's probes; null from the server, and for the answering node itself).
 */
public record NodeInfo(String name, String address, Status status, Double cpuPercent, Long freeMemMb,
                       int containers, String bridgeIp, String releaseAt, List<String> warnings, Integer lanMtu,
                       Path path) {

    /**
     * The overlay's data path to a node: {@code ok} while probes through the overlay come back, their round trip
     * ({@code rttMs}, null while not ok), and {@code mtuOk} while full-size ones do too.
     */
    public record Path(boolean ok, Double rttMs, boolean mtuOk) {
        public Path {
            if (rttMs != null && !(rttMs >= 0 && rttMs < 3_600_000)) {
                throw new IllegalArgumentException("a round trip of " + rttMs + " ms is out of range");
            }
        }
    }

    public NodeInfo(String name, String address, Status status, Double cpuPercent, Long freeMemMb, int containers,
                    String bridgeIp, String releaseAt, List<String> warnings) {
        this(name, address, status, cpuPercent, freeMemMb, containers, bridgeIp, releaseAt, warnings, null, null);
    }

    public NodeInfo(String name, String address, Status status, Double cpuPercent, Long freeMemMb, int containers,
                    String bridgeIp, String releaseAt, List<String> warnings, Integer lanMtu) {
        this(name, address, status, cpuPercent, freeMemMb, containers, bridgeIp, releaseAt, warnings, lanMtu, null);
    }

    /** The same node, with the path to it as seen from here. */
    public NodeInfo withPath(Path seen) {
        return new NodeInfo(name, address, status, cpuPercent, freeMemMb, containers, bridgeIp, releaseAt, warnings, lanMtu,
                seen);
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
