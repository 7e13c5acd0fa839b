package dev.trama.transport;

/**
 * Who sent a message, as the transport knows it.
 *
 * @param identity the identity its admission gave the sender's CURVE key, or {@code null} on an insecure socket
 * @param address  the sender's {@code ip:port}, or {@code null} when the transport does not tell
 */
public record Peer(String identity, String address) {

    /** A sender the transport knows nothing about. */
    public static final Peer UNKNOWN = new Peer(null, null);

    /** The host part of {@link #address}, or {@code null}. */
    public String host() {
        if (address == null) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }
}
