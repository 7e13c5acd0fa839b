package dev.trama.server.store;

/** What every holder of a {@link KeyValueStore#watch} does with one it no longer wants. */
public final class Watches {

    private Watches() {
    }

    /** Closes a watch, if there is one; a watch that broke has nothing left to close, which is no failure. */
    public static void closeQuietly(AutoCloseable watch) {
        if (watch == null) {
            return;
        }
        try {
            watch.close();
        } catch (Exception ignored) {
            // already broken: nothing to release
        }
    }
}
