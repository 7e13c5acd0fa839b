package dev.trama.daemon.host;

import java.util.regex.Pattern;

/** Interface names: at most 15 characters (Linux's limit), letters, digits, '_', '.', '-'. */
public final class LinkNames {

    public static final int MAX_LENGTH = 15;
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0," + (MAX_LENGTH - 1) + "}");

    private LinkNames() {
    }

    public static String require(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid interface name (1-15 letters, digits, '_', '.', '-')");
        }
        return name;
    }
}
