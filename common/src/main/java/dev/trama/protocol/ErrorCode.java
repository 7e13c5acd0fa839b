package dev.trama.protocol;

/** The machine half of an error reply; the human half is its message. */
public enum ErrorCode {
    /** The frames could not be read as a message: wrong frame count, not JSON, wrong fields. */
    MALFORMED,
    UNKNOWN_METHOD,
    UNSUPPORTED_VERSION,
    TOO_LARGE,
    /** A well-formed request with a value that is not acceptable (a bad name, a bad prefix). */
    INVALID_ARGUMENT,
    NOT_FOUND,
    /** The name or address is already taken by something else. */
    ALREADY_EXISTS,
    /** The node asked for a segment other than the cluster's. */
    SEGMENT_CONFLICT,
    SEGMENT_FULL,
    NOT_CONFIGURED,
    /** A node that is not a member could not show it may join (no join token, or not the cluster's). */
    NOT_ADMITTED,
    /** The caller may not do this: e.g. a node speaking for another node, or someone who is not a member. */
    NOT_ALLOWED,
    /** The peer serves another cluster than the one the node belongs to. */
    WRONG_CLUSTER,
    /** etcd did not answer in time. */
    STORE_UNAVAILABLE,
    /** The peer (server, node or daemon) did not answer in time. */
    UNAVAILABLE,
    /** A node tried the task and it failed there. */
    TASK_FAILED,
    INTERNAL
}
