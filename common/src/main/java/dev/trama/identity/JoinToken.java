package dev.trama.identity;

import dev.trama.protocol.Check;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zeromq.ZMQ;

/**
 * What a new node needs to join a cluster: the cluster's id, the public key its servers prove (so the node
 * talks to no other), and the secret that admits a new node. Written on one line as
 * {@code trama1:CLUSTER:SERVER_KEY_HEX:SECRET_HEX}, so that it survives any shell and any copy.
 */
public record JoinToken(String clusterId, String serverKey, String secret) {

    private static final String PREFIX = "trama1";
    private static final Pattern FORM = Pattern.compile(PREFIX + ":([a-z0-9-]{1,64}):([0-9a-f]{64}):([0-9a-f]{32,128})");
    private static final HexFormat HEX = HexFormat.of();

    public JoinToken {
        Check.clusterId(clusterId);
        if (serverKey == null || serverKey.length() != ZMQ.Curve.KEY_SIZE_Z85) {
            throw new IllegalArgumentException("the server key of a join token must be a 40-character Z85 key");
        }
        if (secret == null || !secret.matches("[0-9a-f]{32,128}")) {
            throw new IllegalArgumentException("the secret of a join token must be 32 to 128 hexadecimal digits");
        }
    }

    /** A fresh admission secret: 128 random bits, in hexadecimal. */
    public static String newSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    public static JoinToken parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("this is not a Trama join token (trama-server join-token prints one)");
        }
        return new JoinToken(m.group(1), ZMQ.Curve.z85Encode(HEX.parseHex(m.group(2))), m.group(3));
    }

    @Override
    public String toString() {
        return PREFIX + ":" + clusterId + ":" + HEX.formatHex(ZMQ.Curve.z85Decode(serverKey)) + ":" + secret;
    }
}
