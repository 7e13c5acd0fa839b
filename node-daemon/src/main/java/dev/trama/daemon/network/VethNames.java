package dev.trama.daemon.network;

import dev.trama.net.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Host-side names of containers' veth ends: {@code trv} and 12 hex digits of a hash of the container
 * name. 15 characters for any valid container name (up to 63), within Linux's limit.
 */
public final class VethNames {

    public static final String PREFIX = "trv";

    private VethNames() {
    }

    public static String hostSide(String containerName) {
        Names.require(containerName, "container name");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(containerName.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isTrama(String linkName) {
        return linkName.length() == 15 && linkName.startsWith(PREFIX) && linkName.substring(3).matches("[0-9a-f]{12}");
    }
}
