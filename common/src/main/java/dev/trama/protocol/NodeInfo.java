package dev.trama.protocol;

/**
 * A node as the cluster knows it, with its latest metrics ({@code null} until its first report).
 * {@code status} is {@link #UP} or {@link #DOWN}.
 */
public record NodeInfo(String name, String address, String status, Double cpuPercent, Long freeMemMb,
                       int containers, String bridgeIp) {

    public static final String UP = "up";
    public static final String DOWN = "down";

    public NodeInfo {
        Check.name(name, "node name");
        Check.address(address, "node address");
        if (!UP.equals(status) && !DOWN.equals(status)) {
            throw new IllegalArgumentException("node status '" + Check.printable(status) + "' is not up or down");
        }
    }
}
