package dev.trama.daemon.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.protocol.PullProgress;
import org.junit.jupiter.api.Test;

/** The engine's per-layer pull messages, added up as a person reads them. */
class PullTrackerTest {

    @Test
    void layersAndBytesAddUpAsTheEngineReportsThem() {
        PullTracker pull = new PullTracker();
        assertThat(pull.accept("v1", "Pulling from trama-test/app", null, null)).isFalse();
        assertThat(pull.accept("aaa", "Already exists", null, null)).isTrue();
        assertThat(pull.accept("bbb", "Pulling fs layer", null, null)).isTrue();
        assertThat(pull.progress()).isEqualTo(new PullProgress(1, 2, 0, 0));
        assertThat(pull.accept("bbb", "Downloading", 1_000_000L, 4_000_000L)).isTrue();
        assertThat(pull.accept("bbb", "Downloading", 1_000_000L, 4_000_000L)).as("nothing new").isFalse();
        assertThat(pull.progress()).isEqualTo(new PullProgress(1, 2, 1_000_000, 4_000_000));
        assertThat(pull.progress().toString()).isEqualTo("1/2 layers, 1.0/4.0 MB");
        pull.accept("bbb", "Download complete", null, null);
        assertThat(pull.progress().bytesDone()).isEqualTo(4_000_000);
        pull.accept("bbb", "Extracting", 100L, 4_000_000L);
        pull.accept("bbb", "Pull complete", null, null);
        assertThat(pull.accept("sha256:abc", "Digest: sha256:abc", null, null)).isFalse();
        assertThat(pull.accept("v1", "Status: Downloaded newer image for x:v1", null, null)).isFalse();
        assertThat(pull.progress()).isEqualTo(new PullProgress(2, 2, 4_000_000, 4_000_000));
    }

    @Test
    void messagesWithoutALayerChangeNothing() {
        PullTracker pull = new PullTracker();
        assertThat(pull.accept(null, "Downloading", 1L, 2L)).isFalse();
        assertThat(pull.accept("aaa", null, 1L, 2L)).isFalse();
        assertThat(pull.progress()).isEqualTo(new PullProgress(0, 0, 0, 0));
        assertThat(pull.progress().toString()).isEqualTo("0/0 layers, 0.0 MB");
    }
}
