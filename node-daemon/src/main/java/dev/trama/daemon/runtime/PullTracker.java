package dev.trama.daemon.runtime;

import dev.trama.protocol.PullProgress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds up the engine's pull messages, one per layer event ({@code Pulling fs layer}, {@code Downloading} with
 * bytes, {@code Download complete}, {@code Pull complete}, {@code Already exists}), into one {@link PullProgress}.
 * Not thread-safe: fed from the one thread that reads the pull's stream.
 */
final class PullTracker {

    private record Layer(long done, long total, boolean finished) {
    }

    private final Map<String, Layer> layers = new LinkedHashMap<>();

    /**
     * Takes one message of the pull: the layer it is about ({@code id}), its {@code status} and the byte counts
     * the engine gives with it (null when none). True when the sum changed.
     */
    boolean accept(String id, String status, Long current, Long total) {
        if (id == null || status == null || isImageLine(status)) {
            return false;
        }
        boolean seen = layers.containsKey(id);
        Layer before = layers.getOrDefault(id, new Layer(0, 0, false));
        Layer after = switch (status) {
            case "Downloading" -> new Layer(current == null ? before.done() : current, total == null ? before.total() : total, false);
            case "Download complete", "Verifying Checksum", "Extracting" ->
                    new Layer(Math.max(before.done(), before.total()), before.total(), false);
            case "Pull complete", "Already exists" -> new Layer(Math.max(before.done(), before.total()), before.total(), true);
            default -> before;
        };
        layers.put(id, after);
        return !seen || !after.equals(before);
    }

    /** Messages about the image as a whole (its tag, its digest) carry the tag as their id: not a layer. */
    private static boolean isImageLine(String status) {
        return status.startsWith("Pulling from") || status.startsWith("Digest:") || status.startsWith("Status:");
    }

    PullProgress progress() {
        int done = 0;
        long bytesDone = 0;
        long bytesTotal = 0;
        for (Layer layer : layers.values()) {
            done += layer.finished() ? 1 : 0;
            bytesDone += layer.done();
            bytesTotal += layer.total();
        }
        return new PullProgress(done, layers.size(), bytesDone, bytesTotal);
    }
}
