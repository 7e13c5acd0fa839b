package dev.trama.server.store;

/**
 * Receives the changes under a watched prefix, in revision order, on the store client's own threads. A
 * listener must not wait there for anything that may itself be waiting for the store (a lock held
 * around a store call, a store call): the client would stall until its calls time out.
 */
public interface WatchListener {

    void onPut(String key, byte[] value, long revision);

    void onDelete(String key, long revision);

    /** The watch broke (store unreachable, history compacted): what the listener knows may be stale. */
    void onBroken(Throwable cause);
}
