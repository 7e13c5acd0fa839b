package dev.trama.daemon;

import dev.trama.protocol.Replies.NodeRegistered;

/** What the cluster said of this node when it last registered or was configured; shared by the daemon's parts. */
final class Membership {

    private volatile NodeRegistered current;

    NodeRegistered current() {
        return current;
    }

    boolean registered() {
        return current != null;
    }

    String clusterId() {
        return current.clusterId();
    }

    void update(NodeRegistered registration) {
        current = registration;
    }

    void configured(String clusterId, String node, String subnet, String bridgeIp) {
        long heartbeat = current == null ? 1_000 : current.heartbeatMillis();
        current = new NodeRegistered(clusterId, node, subnet, bridgeIp, heartbeat);
    }
}
