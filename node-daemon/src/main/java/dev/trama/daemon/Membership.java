package dev.trama.daemon;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.TramaException;

/**
 * Where this node stands with its cluster, shared by the daemon's parts: joined (with what the cluster said of
 * it when it last registered or was configured), or not (yet, or any more) with the reason.
 */
final class Membership {

    private final String node;
    private volatile NodeRegistered current;
    private volatile String notJoined = "it is registering with the server";
    private volatile boolean otherCluster;
    private volatile boolean leaving;

    Membership(String node) {
        this.node = node;
    }

    NodeRegistered current() {
        return current;
    }

    boolean joined() {
        return current != null;
    }

    /** Why the node is not joined; null when it is. */
    String notJoined() {
        return current == null ? notJoined : null;
    }

    /** What this node's work needs: the registration, or a sentence saying why there is none. */
    NodeRegistered require() {
        NodeRegistered registration = current;
        if (registration == null) {
            throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + node + "' is not in its cluster now: " + notJoined);
        }
        return registration;
    }

    String clusterId() {
        return require().clusterId();
    }

    void joined(NodeRegistered registration) {
        otherCluster = false;
        current = registration;
    }

    /** Out of the cluster: nothing runs on the cluster's behalf until it joins again. */
    void lost(String why) {
        lost(why, false);
    }

    /** Out of the cluster because the server serves another one: this host's set-up is left as it is. */
    void lostToOtherCluster(String why) {
        lost(why, true);
    }

    private void lost(String why, boolean toOtherCluster) {
        notJoined = why;
        otherCluster = toOtherCluster;
        current = null;
    }

    /** Whether the node is out because the server it reaches serves another cluster. */
    boolean facingOtherCluster() {
        return current == null && otherCluster;
    }

    /** From now on (or no longer) the node is leaving: nothing may register it again meanwhile. */
    void leaving(boolean now) {
        leaving = now;
    }

    boolean leaving() {
        return leaving;
    }

    void configured(NodeConfigured configured) {
        NodeRegistered before = require();
        current = new NodeRegistered(configured.clusterId(), node, configured.subnet(), configured.bridgeIp(),
                before.heartbeatMillis(), configured.vxlan());
    }
}
