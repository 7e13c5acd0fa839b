package dev.trama.transport;

import java.util.Map;
import java.util.Optional;

/**
 * Which CURVE clients a bound socket lets in, and as whom. Asked once per connection, during its
 * handshake, on the one thread that checks every handshake of the process: answer from memory, quickly.
 * The identity returned becomes the {@link Peer#identity} of every message from that connection. A
 * connection, once admitted, stays admitted: a change of mind takes effect at its next handshake.
 */
@FunctionalInterface
public interface Admission {

    /**
     * @param clientKey the client's CURVE public key, Z85
     * @return the identity under which the client is admitted (not blank), or empty to turn it away
     */
    Optional<String> admit(String clientKey);

    /** Admits every client, each under its own public key. */
    static Admission anyKey() {
        return Optional::of;
    }

    /** Admits the keys {@code identityByKey} holds at handshake time, each under the identity it maps to. */
    static Admission of(Map<String, String> identityByKey) {
        return key -> Optional.ofNullable(identityByKey.get(key));
    }
}
