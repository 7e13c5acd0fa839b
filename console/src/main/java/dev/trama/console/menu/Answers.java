package dev.trama.console.menu;

import dev.trama.protocol.Check;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.VxlanMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the user typed at each prompt, read and checked: every method returns the value to use or
 * throws an IllegalArgumentException whose message says, in one sentence, why the answer was refused.
 * An empty answer takes the offered default where there is one.
 */
final class Answers {

    private Answers() {
    }

    static MenuOption choice(String answer) {
        String trimmed = answer.strip();
        if (trimmed.isEmpty() || trimmed.length() > 2 || !trimmed.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(MenuOption.hint());
        }
        return MenuOption.numbered(Integer.parseInt(trimmed));
    }

    /** The overlay segment in CIDR form; {@code offered} (the cluster's) when the answer is empty. */
    static String segment(String answer, String offered) {
        String trimmed = answer.strip();
        return Check.segment(trimmed.isEmpty() && offered != null ? offered : trimmed);
    }

    /** A VXLAN mode; multicast when the answer is empty. */
    static VxlanMode vxlan(String answer) {
        String trimmed = answer.strip();
        return trimmed.isEmpty() ? VxlanMode.MULTICAST : VxlanMode.parse(trimmed);
    }

    /** A node of the cluster; {@code offered} (this node) when the answer is empty. */
    static String node(String answer, String offered, List<String> nodes) {
        String trimmed = answer.strip();
        String name = Check.name(trimmed.isEmpty() && offered != null ? offered : trimmed, "node name");
        if (!nodes.contains(name)) {
            throw new IllegalArgumentException("node '" + name + "' is not in the cluster (nodes: " + String.join(", ", nodes) + ")");
        }
        return name;
    }

    /** A name no container of the cluster has yet. */
    static String newContainer(String answer, List<ContainerInfo> containers) {
        String name = Check.name(answer.strip(), "container name");
        Optional<ContainerInfo> taken = find(name, containers);
        if (taken.isPresent()) {
            throw new IllegalArgumentException("container '" + name + "' already exists on node '" + taken.get().node() + "'");
        }
        return name;
    }

    /** One of the cluster's containers. */
    static ContainerInfo existingContainer(String answer, List<ContainerInfo> containers) {
        String name = Check.name(answer.strip(), "container name");
        return find(name, containers).orElseThrow(
                () -> new IllegalArgumentException("there is no container '" + name + "' in the cluster"));
    }

    /** An image reference, or {@code null} for the node's default image when the answer is empty. */
    static String image(String answer) {
        String trimmed = answer.strip();
        return trimmed.isEmpty() ? null : Check.image(trimmed);
    }

    /** Port mappings as {@code docker run -p} spells them, separated by spaces or commas; none when empty. */
    static List<PortMapping> ports(String answer) {
        List<PortMapping> ports = new ArrayList<>();
        for (String mapping : answer.strip().split("[\\s,]+")) {
            if (!mapping.isEmpty()) {
                ports.add(PortMapping.parse(mapping));
            }
        }
        return Check.ports(ports);
    }

    /** y or yes; n, no or an empty answer is no. */
    static boolean yes(String answer) {
        return switch (answer.strip().toLowerCase(Locale.ROOT)) {
            case "y", "yes" -> true;
            case "", "n", "no" -> false;
            default -> throw new IllegalArgumentException("answer y or n");
        };
    }

    private static Optional<ContainerInfo> find(String name, List<ContainerInfo> containers) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
