package dev.trama.protocol;

import dev.trama.net.Cidr;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.net.Names;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the message records, so that a message that could be built or decoded
 * holds only values that are safe everywhere they go. Each failure is an IllegalArgumentException
 * whose message is one sentence for a user.
 */
public final class Check {

    /** Docker's reference grammar, simplified: [registry[:port]/]path[:tag][@digest]. */
    private static final Pattern IMAGE = Pattern.compile(
            "([a-zA-Z0-9.-]+(:[0-9]{1,5})?/)?[a-z0-9]+([._-]{1,2}[a-z0-9]+)*(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*"
                    + "(:[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern TASK_ID = Pattern.compile("[a-zA-Z0-9-]{1,64}");
    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    /** The longest free text a message keeps, ellipsis included. */
    public static final int MAX_TEXT = 1_000;
    private static final char ELLIPSIS = '\u2026';

    private Check() {
    }

    public static String name(String value, String what) {
        return Names.require(value, what);
    }

    public static String address(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        Ipv4.parse(value);
        return value;
    }

    /** An address with its prefix length, as an interface holds it: {@code 10.10.0.5/16}. */
    public static String interfaceAddress(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        return InterfaceAddress.parse(value).toString();
    }

    public static String segment(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an overlay segment in CIDR form (e.g. 10.10.0.0/16) is required");
        }
        Cidr cidr = Cidr.parse(value);
        if (cidr.prefix() < 8 || cidr.prefix() > 28) {
            throw new IllegalArgumentException("segment " + value + " must have a prefix length between /8 and /28");
        }
        return cidr.toString();
    }

    /**
     * An interface address that belongs to the segment: inside it, with its prefix length, and neither its
     * network nor its broadcast address (what a server may hand a node for its bridge or a container).
     */
    public static String inSegment(String address, String segment, String what) {
        InterfaceAddress parsed = InterfaceAddress.parse(interfaceAddress(address, what));
        Cidr cidr = Cidr.parse(segment(segment));
        if (!parsed.network().equals(cidr) || parsed.address().equals(cidr.network())
                || parsed.address().equals(cidr.broadcast())) {
            throw new IllegalArgumentException(what + " " + address + " is not an address of the segment " + cidr);
        }
        return parsed.toString();
    }

    public static String image(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("image is required");
        }
        if (value.length() > 255 || !IMAGE.matcher(value).matches()) {
            throw new IllegalArgumentException("image '" + printable(value) + "' is not a valid image reference");
        }
        return value;
    }

    public static String clusterId(String value) {
        if (value == null || !CLUSTER_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("cluster id '" + printable(value) + "' is invalid");
        }
        return value;
    }

    public static String taskId(String value) {
        if (value == null || !TASK_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("task id '" + printable(value) + "' is invalid");
        }
        return value;
    }

    /** An image's content id ({@code sha256:...}), or null when unknown. */
    public static String imageId(String value) {
        if (value != null && !IMAGE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("image id '" + printable(value) + "' is not sha256: and 64 hex digits");
        }
        return value;
    }

    /** A MAC address in lowercase hex with colons, or null when unknown. */
    public static String mac(String value) {
        if (value != null && !MAC.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + printable(value) + "' is not a MAC address");
        }
        return value;
    }

    /** An ISO-8601 instant, returned in UTC as {@link java.time.Instant} prints it; null stays null. */
    public static String instant(String value, String what) {
        if (value == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(value).toString();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(what + " '" + printable(value) + "' is not an ISO-8601 instant");
        }
    }

    public static Map<String, String> env(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        env.forEach((key, value) -> {
            if (key == null || !ENV_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("environment variable name '" + printable(key) + "' is invalid");
            }
            if (value == null || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + key + " has an invalid value");
            }
        });
        return Map.copyOf(env);
    }

    public static List<String> command(List<String> command) {
        if (command == null) {
            return List.of();
        }
        for (String arg : command) {
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("the container command has an invalid argument");
            }
        }
        return List.copyOf(command);
    }

    /** Container names with their overlay addresses (no prefix length): each name valid, each address IPv4. */
    public static Map<String, String> names(Map<String, String> addresses) {
        if (addresses == null) {
            return Map.of();
        }
        addresses.forEach((name, address) -> {
            name(name, "container name");
            address(address, "address of container " + name);
        });
        return Map.copyOf(addresses);
    }

    /** The biggest MTU a LAN interface may have (a jumbo frame's). */
    public static final int MAX_MTU = 65_535;

    /** A LAN interface's MTU as a node reports it: 0 when unknown, else from IPv4's minimum of 576 to 65535. */
    public static int lanMtu(int mtu) {
        if (mtu != 0 && (mtu < 576 || mtu > MAX_MTU)) {
            throw new IllegalArgumentException("LAN MTU " + mtu + " is outside 576-" + MAX_MTU);
        }
        return mtu;
    }

    /** Which node each named container is on: node names, for containers of {@code named} only. */
    public static Map<String, String> placements(Map<String, String> nodes, Set<String> named) {
        if (nodes == null) {
            return Map.of();
        }
        nodes.forEach((container, node) -> {
            if (!named.contains(container)) {
                throw new IllegalArgumentException("container '" + printable(container) + "' is placed but has no address");
            }
            name(node, "node of container " + container);
        });
        return Map.copyOf(nodes);
    }

    public static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** The most ports one container may publish. */
    public static final int MAX_PORTS = 64;

    /** A container's published ports: none for null, each host port (per protocol) at most once. */
    public static List<PortMapping> ports(List<PortMapping> ports) {
        List<PortMapping> checked = list(ports);
        if (checked.size() > MAX_PORTS) {
            throw new IllegalArgumentException("a container publishes at most " + MAX_PORTS + " ports, not " + checked.size());
        }
        Set<String> hostSides = new HashSet<>();
        for (PortMapping port : checked) {
            if (!hostSides.add(port.hostSide())) {
                throw new IllegalArgumentException("host port " + port.hostSide() + " is published twice");
            }
        }
        return checked;
    }

    /**
     * Free text from a peer (a reason, a warning, an error's sentence), made safe to print or log: line
     * breaks and tabs become one space, every other control character (C0, DEL, C1: the start of any
     * terminal escape sequence) is dropped, a lone surrogate becomes U+FFFD, and text longer than
     * {@link #MAX_TEXT} is cut with an ellipsis. Applying it twice changes nothing; {@code null} stays null.
     */
    public static String text(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder(Math.min(value.length(), MAX_TEXT + 1));
        boolean inBreak = false;
        for (int i = 0; i < value.length() && clean.length() <= MAX_TEXT; i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                boolean spacing = c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u0085';
                if (spacing && !inBreak) {
                    clean.append(' ');
                }
                inBreak |= spacing;
                continue;
            }
            inBreak = false;
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                clean.append(c).append(value.charAt(++i));
            } else {
                clean.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        if (clean.length() > MAX_TEXT) {
            int cut = MAX_TEXT - 1;
            if (Character.isHighSurrogate(clean.charAt(cut - 1))) {
                cut--;
            }
            clean.setLength(cut);
            clean.append(ELLIPSIS);
        }
        return clean.toString();
    }

    /** Every element of a list of free text through {@link #text}; {@code null} elements are refused. */
    public static List<String> texts(List<String> values) {
        return list(values).stream().map(Check::text).toList();
    }

    /** A value quoted in an error: each control character shown as '?', at most 70 characters. */
    static String printable(String value) {
        if (value == null) {
            return "";
        }
        int[] shown = value.codePoints().limit(71).map(c -> switch (Character.getType(c)) {
            case Character.CONTROL -> '?';
            case Character.SURROGATE -> '\uFFFD';
            default -> c;
        }).toArray();
        return shown.length > 70 ? new String(shown, 0, 67) + "..." : new String(shown, 0, shown.length);
    }
}
