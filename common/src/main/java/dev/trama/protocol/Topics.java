package dev.trama.protocol;

import dev.trama.net.Names;

/**
 * Topics of the server's publications. A subscription is a prefix match on the first frame, so every
 * topic ends with '/', which no name contains: node "n1" never receives the tasks of node "n10".
 */
public final class Topics {

    public static final String ALL = "all/";

    private Topics() {
    }

    public static String node(String name) {
        return "node/" + Names.require(name, "node name") + "/";
    }
}
