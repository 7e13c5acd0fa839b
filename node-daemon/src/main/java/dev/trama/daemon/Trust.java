package dev.trama.daemon;

import dev.trama.identity.JoinToken;
import java.util.Optional;

/**
 * Whom this node talks to and how it gets in: the public key its cluster's servers must prove, the cluster's
 * id, and, for a first join only, the join secret. From the node's own state once it has joined; from its join
 * token before. All null in an insecure cluster.
 */
record Trust(String serverKey, String clusterId, String joinSecret) {

    static final Trust INSECURE = new Trust(null, null, null);

    /** What a node that has joined keeps; else its token; refused with one sentence if neither will do. */
    static Trust of(String node, NodeState state, Optional<JoinToken> token) {
        Optional<String> trusted = state.serverKey();
        if (trusted.isPresent()) {
            if (token.isPresent() && !token.get().serverKey().equals(trusted.get())) {
                throw new IllegalStateException("node '" + node + "' already belongs to cluster "
                        + state.clusterId().orElse("(unknown)") + ", whose servers are not the ones of this join token;"
                        + " run 'trama leave' on this host before joining another cluster");
            }
            return new Trust(trusted.get(), state.clusterId().orElse(null), null);
        }
        JoinToken given = token.orElseThrow(() -> new IllegalStateException("node '" + node + "' has not joined a"
                + " cluster yet: give it the cluster's join token with --token, --token-file or TRAMA_JOIN_TOKEN"
                + " ('trama-server join-token' prints it)"));
        return new Trust(given.serverKey(), given.clusterId(), given.secret());
    }

    boolean secure() {
        return serverKey != null;
    }
}
