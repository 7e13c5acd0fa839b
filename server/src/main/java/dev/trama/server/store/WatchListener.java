package dev.trama.server.store;

/** Receives the changes under a watched prefix, in revision order. */
public interface WatchListener {

    void onPut(String key, byte[] value, long revision);

    void onDelete(String key, long revision);

    /** The watch broke (store unreachable, history compacted): what the listener knows may be stale. */
    void onBroken(Throwable cause);
}
