package dev.trama.protocol;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random JSON text for the decoder properties: bodies shaped like a message record (its field names, nested
 * records and lists where the record has them) whose values are often plausible and often not: the wrong
 * type, null, huge numbers, strings full of control characters. Written as text rather than through Jackson
 * so that a body may hold what no encoder writes: lone surrogates, numbers beyond a double, duplicate keys.
 */
final class WireJson {

    /** Words of the protocol, any of which may turn up in any field. */
    private static final List<String> PLAUSIBLE = List.of("n1", "n2", "web", "x", "192.0.2.11", "10.10.0.0/16",
            "10.10.0.5/16", "10.10.0.2", "t-1", "c0ffee00", "trama/base", "nginx:1.25", "tcp", "udp", "up", "down",
            "pending", "running", "removing", "removed", "unknown", "done", "failed", "2026-01-01T00:01:00Z",
            "INVALID_ARGUMENT", "TASK_FAILED", "A", "b=c", "", "no such image");
    /** Valid values of the checked fields, by field name, so that some bodies decode and round-trip. */
    private static final Map<String, List<String>> VALID = validValues();
    /** Valid values of numeric fields whose range is checked, by field name. */
    private static final Map<String, List<String>> VALID_NUMBERS = Map.of("memoryBytes", List.of("0", "67108864"),
            "nanoCpus", List.of("0", "500000000"), "restarts", List.of("0", "2"), "layersDone", List.of("0", "1"),
            "layersTotal", List.of("2", "5"), "lanMtu", List.of("0", "1500", "9000"));
    /** Values written as one word on the wire ({@code @JsonValue}), valid ones by type. */
    private static final Map<Class<?>, List<String>> WORDS = Map.of(
            ContainerStatus.class, List.of("running", "exited (3)", "restarting", "created", "pending", "unknown"),
            RestartPolicy.class, List.of("no", "on-failure", "on-failure:2", "always", "unless-stopped"),
            VxlanMode.class, List.of("multicast", "unicast"));
    private static final List<String> HOSTILE = List.of("\u001b[2J\u001b[H", "pull failed\r\nok\u0007", "\u0000",
            "\u009b31m red", "\ud800", "\udfff\ud800", "\ud83d\ude00", "\u202eevil", "a\tb\u000bc\fd\u0085e",
            "\u007f", "'; rm -rf /", "10.10.0.5/16\n", "n1\u0000", "web\u001b]0;title\u0007");
    private static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "80", "65535", "65536", "100", "100.5",
            "1.5", "-0.0", "1e3", "1E-400", "1e400", "-1e400", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "123456789012345678901234567890", "2147483648", "3.4e38", "4.9e-324");
    private static final String LONG_TEXT_ALPHABET = "abc xyz\n\r\t\u001b[0m\u0007\u009b\ud83d\ude00\u00e9";
    private static final List<String> FIELD_NAMES = fieldNames();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private WireJson() {
    }

    /**
     * A body for a record of this type: its fields and usually the protocol version. How much of it is wrong
     * (fields missing, of another type, invalid) is drawn per body, so that some bodies decode and some
     * bodies are nonsense through and through.
     */
    static String body(Random random, Class<?> type) {
        double chaos = List.of(0.0, 0.0, 0.05, 0.25, 0.6).get(random.nextInt(5));
        return body(random, type, chaos);
    }

    private static String body(Random random, Class<?> type, double chaos) {
        String version = random.nextDouble() >= chaos / 3 ? "\"v\":1" : switch (weighted(random, 1, 6, 1)) {
            case 0 -> "\"v\":1";
            case 1 -> pick(random, List.of("\"v\":2", "\"v\":\"1\"", "\"v\":null", "\"v\":1.0", "\"v\":1e400", "\"v\":[1]"));
            default -> "";
        };
        String members = members(random, type, 4, chaos);
        String separator = version.isEmpty() || members.isEmpty() ? "" : ",";
        return "{" + version + separator + members + "}";
    }

    private static String members(Random random, Class<?> type, int depth, double chaos) {
        List<String> members = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            if (random.nextDouble() >= chaos / 2) {
                String name = component.getName();
                members.add(quote(name) + ":" + value(random, component.getGenericType(), name, depth, chaos));
            }
        }
        return String.join(",", members);
    }

    /** A value for the field {@code name} of this Java type: usually of that shape, with chaos anything at all. */
    private static String value(Random random, Type type, String name, int depth, double chaos) {
        return random.nextDouble() < chaos / 2 ? any(random, Math.min(depth, 2)) : shaped(random, type, name, depth, chaos);
    }

    private static String shaped(Random random, Type type, String name, int depth, double chaos) {
        if (type instanceof ParameterizedType parameterized) {
            Type raw = parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            int size = depth > 0 ? random.nextInt(4) : 0;
            if (name.equals("nodes") && random.nextBoolean()) {
                size = 0; // where containers are may only name containers the table has: often none, so that some decode
            }
            List<String> items = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                if (raw == Map.class) {
                    String key = random.nextDouble() < chaos ? string(random) : pick(random, List.of("A", "K", "PATH", "_x1"));
                    items.add(quote(key) + ":" + value(random, arguments[1], name, depth - 1, chaos));
                } else {
                    items.add(value(random, arguments[0], name, depth - 1, chaos));
                }
            }
            return raw == Map.class ? "{" + String.join(",", items) + "}" : "[" + String.join(",", items) + "]";
        }
        if (type == String.class) {
            List<String> valid = VALID.get(name);
            return quote(valid == null || random.nextDouble() < chaos ? string(random) : pick(random, valid));
        }
        if (type == boolean.class || type == Boolean.class) {
            return random.nextBoolean() ? "true" : "false";
        }
        if (type instanceof Class<?> c && (c.isPrimitive() || Number.class.isAssignableFrom(c))) {
            List<String> valid = VALID_NUMBERS.get(name);
            return random.nextDouble() < chaos ? number(random)
                    : valid != null ? pick(random, valid) : String.valueOf(random.nextInt(100) + 1);
        }
        if (type instanceof Class<?> c && WORDS.containsKey(c)) {
            return quote(random.nextDouble() < chaos ? string(random) : pick(random, WORDS.get(c)));
        }
        if (type instanceof Class<?> c && c.isEnum()) {
            return quote(pick(random, Arrays.asList(c.getEnumConstants())).toString());
        }
        if (type instanceof Class<?> c && c.isRecord() && depth > 0) {
            return "{" + members(random, c, depth - 1, chaos) + "}";
        }
        return any(random, Math.min(depth, 2));
    }

    /** Any JSON value at all, nested at most {@code depth} deep. */
    static String any(Random random, int depth) {
        int kind = weighted(random, 1, 2, 3, depth > 0 ? 1 : 0, depth > 0 ? 1 : 0);
        switch (kind) {
            case 0:
                return pick(random, List.of("null", "true", "false"));
            case 1:
                return number(random);
            case 2:
                return quote(string(random));
            default:
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    String item = any(random, depth - 1);
                    items.add(kind == 3 ? item : quote(pick(random, FIELD_NAMES)) + ":" + item);
                }
                return kind == 3 ? "[" + String.join(",", items) + "]" : "{" + String.join(",", items) + "}";
        }
    }

    private static String number(Random random) {
        return switch (weighted(random, 3, 2, 1, 1)) {
            case 0 -> pick(random, NUMBERS);
            case 1 -> String.valueOf(random.nextInt(70_010) - 10);
            case 2 -> String.valueOf((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 10));
            default -> new BigInteger(100, random).subtract(BigInteger.ONE.shiftLeft(99)).toString();
        };
    }

    /** Plausible values, hostile ones, random text of any character, and long text. */
    static String string(Random random) {
        return switch (weighted(random, 4, 2, 2, 1, 1)) {
            case 0 -> pick(random, PLAUSIBLE);
            case 1 -> pick(random, HOSTILE);
            case 2 -> chars(random, random.nextInt(41), 0x100, "\ud800\udc00\u2026");
            case 3 -> chars(random, random.nextInt(21), 0x10000, "");
            default -> chars(random, 900 + random.nextInt(2_100), 0, LONG_TEXT_ALPHABET);
        };
    }

    /** {@code length} characters below {@code below}, or from {@code extra}, any of them a lone surrogate. */
    private static String chars(Random random, int length, int below, String extra) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            boolean fromExtra = below == 0 || !extra.isEmpty() && random.nextInt(8) == 0;
            text.append(fromExtra ? extra.charAt(random.nextInt(extra.length())) : (char) random.nextInt(below));
        }
        return text.toString();
    }

    /** A JSON string literal: printable ASCII as is, everything else as a \\u escape, lone surrogates included. */
    static String quote(String s) {
        StringBuilder json = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                json.append(c);
            } else {
                json.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            }
        }
        return json.append('"').toString();
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** An index drawn with the given weights. */
    static int weighted(Random random, int... weights) {
        int roll = random.nextInt(Arrays.stream(weights).sum());
        for (int i = 0; i < weights.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return i;
            }
        }
        throw new IllegalStateException("no weight left");
    }

    private static Map<String, List<String>> validValues() {
        List<String> names = List.of("n1", "n2", "web", "x", "db-1", "a.b_c");
        List<String> addresses = List.of("192.0.2.11", "10.10.0.2", "203.0.113.5");
        List<String> interfaceAddresses = List.of("10.10.0.5/16", "10.10.0.2/16", "10.20.0.9/24");
        List<String> segments = List.of("10.10.0.0/16", "10.20.0.0/24");
        List<String> taskIds = List.of("t-1", "t-2", "abc-123");
        return Map.ofEntries(Map.entry("node", names), Map.entry("name", names), Map.entry("strays", names),
                Map.entry("containers", names), Map.entry("address", addresses), Map.entry("gateway", addresses),
                Map.entry("released", addresses), Map.entry("members", addresses), Map.entry("addresses", addresses),
                Map.entry("joinSecret", List.of("0123456789abcdef0123456789abcdef")), Map.entry("ip", interfaceAddresses),
                Map.entry("bridgeIp", interfaceAddresses), Map.entry("subnet", segments),
                Map.entry("clusterSubnet", segments), Map.entry("taskId", taskIds), Map.entry("taskIds", taskIds),
                Map.entry("clusterId", List.of("c0ffee00", "c1")),
                Map.entry("image", List.of("trama/base", "nginx:1.25", "registry.lan:5000/app:v2")),
                Map.entry("protocol", List.of("tcp", "udp", "UDP")), Map.entry("env", List.of("b=c", "", "two words")),
                Map.entry("command", List.of("sh", "-c", "echo hi; sleep 1")),
                Map.entry("imageId", List.of("sha256:" + "0123456789abcdef".repeat(4))),
                Map.entry("mac", List.of("02:7a:0a:0a:00:05")),
                Map.entry("created", List.of("2026-12-01T10:00:00Z", "2026-12-01T10:00:00.123456789Z")),
                Map.entry("started", List.of("2026-12-01T10:00:01Z")),
                Map.entry("at", List.of("2026-12-01T10:00:01.5Z")), Map.entry("since", List.of("2026-12-01T10:00:01Z")),
                Map.entry("stream", List.of("stdout", "stderr")), Map.entry("requestId", taskIds));
    }

    /** The names of every field of every record the protocol carries, for objects of the wrong shape. */
    private static List<String> fieldNames() {
        List<Class<?>> types = new ArrayList<>(List.of(PortMapping.class, ContainerInfo.class, NodeInfo.class,
                ClusterView.class, Failure.class));
        for (Class<?> family : List.of(ServerRequest.class, ConsoleRequest.class, Task.class, Report.class)) {
            types.addAll(Arrays.asList(family.getPermittedSubclasses()));
        }
        types.addAll(Arrays.asList(Replies.class.getDeclaredClasses()));
        List<String> names = new ArrayList<>(List.of("v", "A", "K", "PATH", "bad key", ""));
        types.stream().filter(Class::isRecord).flatMap(t -> Arrays.stream(t.getRecordComponents()))
                .map(RecordComponent::getName).forEach(names::add);
        return names.stream().distinct().toList();
    }
}
