package dev.trama.transport;

import com.neilalexander.jnacl.crypto.curve25519;
import java.util.Arrays;
import org.zeromq.ZMQ;

/**
 * A CURVE key pair, both keys in Z85 text (40 characters each). Built from text it is checked: each key
 * must be Z85 that decodes to 32 bytes and back to the same text, and the secret key must be the one
 * the public key was made from. {@link #toString} never shows the secret key.
 */
public record CurveKeyPair(String publicKey, String secretKey) {

    private static final String Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    public CurveKeyPair {
        checkPublicKey(publicKey);
        byte[] secret = decode(secretKey, "secret");
        byte[] derived = new byte[ZMQ.Curve.KEY_SIZE];
        curve25519.crypto_scalarmult_base(derived, secret);
        if (!Arrays.equals(derived, ZMQ.Curve.z85Decode(publicKey))) {
            throw new IllegalArgumentException("the CURVE secret key does not belong to public key " + publicKey);
        }
    }

    /** A fresh random key pair. */
    public static CurveKeyPair generate() {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        return new CurveKeyPair(pair.publicKey, pair.secretKey);
    }

    /** Returns {@code z85} if it is a CURVE public key in Z85 text, else throws {@link IllegalArgumentException}. */
    public static String checkPublicKey(String z85) {
        decode(z85, "public");
        return z85;
    }

    private static byte[] decode(String z85, String kind) {
        if (z85 == null || z85.length() != ZMQ.Curve.KEY_SIZE_Z85) {
            throw new IllegalArgumentException("a CURVE " + kind + " key must be " + ZMQ.Curve.KEY_SIZE_Z85
                    + " Z85 characters, got " + (z85 == null ? "none" : z85.length()));
        }
        if (!z85.chars().allMatch(c -> Z85.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("a CURVE " + kind + " key must hold only Z85 characters");
        }
        byte[] key = ZMQ.Curve.z85Decode(z85);
        // five Z85 characters can spell more than 32 bits; such text does not survive the round trip
        if (key.length != ZMQ.Curve.KEY_SIZE || !ZMQ.Curve.z85Encode(key).equals(z85)) {
            throw new IllegalArgumentException("a CURVE " + kind + " key must be Z85 text of " + ZMQ.Curve.KEY_SIZE + " bytes");
        }
        return key;
    }

    @Override
    public String toString() {
        return "CurveKeyPair[publicKey=" + publicKey + "]";
    }
}
