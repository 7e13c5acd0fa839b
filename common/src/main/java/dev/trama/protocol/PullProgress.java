package dev.trama.protocol;

/**
 * How far a node is in pulling a launch's image: layers done of those seen so far, and bytes downloaded of the
 * sizes known so far (a registry tells each layer's size only when its download starts).
 */
public record PullProgress(int layersDone, int layersTotal, long bytesDone, long bytesTotal) {

    public PullProgress {
        if (layersDone < 0 || layersTotal < layersDone || bytesDone < 0 || bytesTotal < 0) {
            throw new IllegalArgumentException("pull progress out of range");
        }
    }

    /** For a person: {@code 2/5 layers, 12.4/40.1 MB}. */
    @Override
    public String toString() {
        String bytes = bytesTotal > 0 ? megabytes(bytesDone) + "/" + megabytes(bytesTotal) + " MB" : megabytes(bytesDone) + " MB";
        return layersDone + "/" + layersTotal + (layersTotal == 1 ? " layer, " : " layers, ") + bytes;
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
