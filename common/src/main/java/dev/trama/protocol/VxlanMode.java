package dev.trama.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the cluster's VXLAN devices reach each other, chosen by the first node configured and the same on every
 * node. {@code multicast}: broadcast and unknown frames go to the multicast group and each device learns where
 * a MAC lives from the frames it receives. {@code unicast}: no group; each node sends broadcast and unknown
 * frames to every other member by itself, and Trama programs where each container's MAC and address live.
 */
public enum VxlanMode {
    MULTICAST("multicast"), UNICAST("unicast");

    private final String word;

    VxlanMode(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    @JsonCreator
    public static VxlanMode parse(String text) {
        for (VxlanMode mode : values()) {
            if (mode.word.equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("VXLAN mode '" + Check.printable(text) + "' is not one of multicast, unicast");
    }

    @Override
    public String toString() {
        return word;
    }
}
