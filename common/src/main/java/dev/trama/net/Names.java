package dev.trama.net;

import java.util.regex.Pattern;

/**
 * The one rule for node and container names. A name that passes is safe as a command argument, an
 * etcd key segment, a Docker label and a ZeroMQ topic: letters, digits, '_', '.', '-', starting with a
 * letter or digit, at most 63 characters.
 */
public final class Names {

    public static final int MAX_LENGTH = 63;
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0," + (MAX_LENGTH - 1) + "}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** Returns the name, or throws with a sentence that says what is wrong with it. */
    public static String require(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " '" + shorten(name) + "' is longer than " + MAX_LENGTH + " characters");
        }
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + shorten(name)
                    + "' is invalid: use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return name;
    }

    private static String shorten(String name) {
        String printable = name.codePoints()
                .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() > 70 ? printable.substring(0, 67) + "..." : printable;
    }
}
