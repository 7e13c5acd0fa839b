package dev.trama.server.cluster;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.transport.Peer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a caller may ask. In a secure cluster the transport has proved each caller's key: a member node speaks
 * only for itself (its registration, heartbeats, assignments, configuration, leaving, reports), any member may
 * launch and remove containers and read the cluster, and anyone else may only ask to join. In an insecure
 * cluster every caller is believed.
 */
public final class Access {

    private static final Logger log = LoggerFactory.getLogger(Access.class);

    private final Members members;

    /** @param members the members by key; {@code null} for an insecure cluster */
    public Access(Members members) {
        this.members = members;
    }

    /** The caller must be the node it speaks for. */
    public void self(Peer caller, String node) {
        if (members == null) {
            return;
        }
        Optional<String> who = members.nodeOf(caller.identity());
        if (who.isEmpty()) {
            throw notMember(caller);
        }
        if (!who.get().equals(node)) {
            log.warn("node {} ({}) spoke for node {}: refused", who.get(), caller.host(), node);
            throw new TramaException(ErrorCode.NOT_ALLOWED, "node '" + who.get() + "' may speak only for itself, not for '"
                    + node + "'");
        }
    }

    /** The caller must be a member of the cluster. */
    public void member(Peer caller) {
        if (members != null && members.nodeOf(caller.identity()).isEmpty()) {
            throw notMember(caller);
        }
    }

    /** Whether a report said to be node's may be believed: on the report socket, the peer is a member's name. */
    public boolean reportsFor(Peer sender, String node) {
        if (members == null || node.equals(sender.identity())) {
            return true;
        }
        log.warn("a report for node {} came from {} ({}): dropped", node, sender.identity(), sender.host());
        return false;
    }

    private static TramaException notMember(Peer caller) {
        log.warn("a caller that is not a member ({}) asked for more than to join: refused", caller.host());
        return new TramaException(ErrorCode.NOT_ALLOWED, "only members of the cluster may do this; a new node joins"
                + " with the cluster's join token");
    }
}
