package dev.trama.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LaneTest {

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private Runnable note(String what) {
        return () -> ran.add(what);
    }

    private Runnable held(String what) {
        return () -> {
            ran.add(what);
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void peersTakeTurnsWhateverTheOrderOfArrival() {
        try (Lane lane = new Lane("lane", 1, new Lane.Limits(100, 1 << 20, 100, 1 << 20, 1))) {
            lane.offer("a", 1, held("a0"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> ran.contains("a0"));
            for (int i = 1; i <= 3; i++) {
                lane.offer("a", 1, note("a" + i));
            }
            lane.offer("b", 1, note("b1"));
            lane.offer("b", 1, note("b2"));
            release.countDown();
            await().atMost(10, TimeUnit.SECONDS).until(() -> ran.size() == 6);
            assertThat(ran).containsExactly("a0", "b1", "a1", "b2", "a2", "a3");
        }
    }

    @Test
    void aPeerHoldsNoMoreThanItsShareOfWorkersOrOfTheQueue() {
        try (Lane lane = new Lane("lane", 2, new Lane.Limits(5, 60, 3, 50, 1))) {
            assertThat(lane.offer("a", 10, held("a0"))).isEqualTo(Lane.Offer.ACCEPTED);
            assertThat(lane.offer("a", 10, note("a1"))).isEqualTo(Lane.Offer.ACCEPTED);
            assertThat(lane.offer("a", 10, note("a2"))).isEqualTo(Lane.Offer.ACCEPTED);
            assertThat(lane.offer("a", 1, note("a3"))).as("a peer's count").isEqualTo(Lane.Offer.PEER_FULL);
            assertThat(lane.offer("b", 51, note("b0"))).as("a peer's bytes").isEqualTo(Lane.Offer.PEER_FULL);
            // the second worker is free for another peer while the first peer's work waits behind its held one
            assertThat(lane.offer("b", 10, note("b1"))).isEqualTo(Lane.Offer.ACCEPTED);
            await().atMost(10, TimeUnit.SECONDS).until(() -> ran.contains("b1"));
            assertThat(ran).doesNotContain("a1");
            assertThat(lane.offer("c", 31, note("c0"))).as("the lane's bytes").isEqualTo(Lane.Offer.FULL);
            // held, so that it keeps the second worker and what follows stays counted in the lane
            assertThat(lane.offer("c", 1, held("c1"))).isEqualTo(Lane.Offer.ACCEPTED);
            assertThat(lane.offer("d", 1, note("d1"))).isEqualTo(Lane.Offer.ACCEPTED);
            assertThat(lane.offer("e", 1, note("e1"))).as("the lane's count").isEqualTo(Lane.Offer.FULL);
            release.countDown();
            await().atMost(10, TimeUnit.SECONDS).until(() -> ran.size() == 6);
            assertThat(lane.offer("a", 50, note("a4"))).as("room again once done").isEqualTo(Lane.Offer.ACCEPTED);
        }
    }

    @Test
    void workThatThrowsAnErrorLeavesTheWorkerServing() {
        try (Lane lane = new Lane("lane", 1, new Lane.Limits(10, 100, 10, 100, 1))) {
            lane.offer("a", 1, () -> {
                throw new OutOfMemoryError("test");
            });
            lane.offer("a", 1, note("after"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> ran.contains("after"));
        }
    }
}
