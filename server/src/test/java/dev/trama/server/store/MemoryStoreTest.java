package dev.trama.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MemoryStoreTest extends StoreContract {

    @Override
    protected KeyValueStore open() {
        return new MemoryStore();
    }

    @Override
    protected String freshRoot() {
        return "/t/" + UUID.randomUUID() + "/";
    }

    @Test
    void onAClockOfItsOwnALeaseExpiresWhenToldAndOnlyThen() throws Exception {
        ManualClock clock = new ManualClock();
        String prefix = root + "alive/";
        try (MemoryStore byHand = new MemoryStore(clock)) {
            long lease = byHand.grantLease(Duration.ofSeconds(10));
            byHand.commit(Txn.create().putWithLease(prefix + "n1", utf8("up"), lease).put(prefix + "n2", "no lease"));
            Recorder events = new Recorder(prefix);
            try (AutoCloseable watch = byHand.watch(prefix, byHand.listKeys(prefix).revision(), events)) {
                clock.advance(Duration.ofSeconds(9));
                byHand.expireLeases();
                assertThat(byHand.get(prefix + "n1")).isPresent();
                assertThat(byHand.renewLease(lease)).isTrue();

                clock.advance(Duration.ofSeconds(10));
                assertThat(byHand.renewLease(lease)).as("renewing a lease whose time is up").isFalse();
                assertThatThrownBy(() -> byHand.commit(Txn.create().putWithLease(prefix + "n3", utf8("up"), lease)))
                        .isInstanceOfSatisfying(TramaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
                assertThat(byHand.get(prefix + "n1")).as("the key until the expiry runs").isPresent();

                byHand.expireLeases();
                long expiredAt = byHand.listKeys(prefix).revision();
                assertThat(byHand.get(prefix + "n1")).isEmpty();
                assertThat(byHand.get(prefix + "n2")).isPresent();
                await().atMost(Duration.ofSeconds(5)).until(() -> !events.events.isEmpty());
                assertThat(events.events).containsExactly("delete n1 @" + expiredAt);
                assertThat(byHand.renewLease(lease)).isFalse();
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
