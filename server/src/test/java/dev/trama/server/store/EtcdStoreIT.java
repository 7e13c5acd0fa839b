package dev.trama.server.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.testkit.FreePorts;
import dev.trama.testkit.SharedEtcd;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class EtcdStoreIT extends StoreContract {

    @Override
    protected KeyValueStore open() {
        return new EtcdStore(List.of(SharedEtcd.endpoint()), Duration.ofSeconds(5));
    }

    @Override
    protected String freshRoot() {
        return SharedEtcd.freshRoot();
    }

    @Test
    void anUnreachableStoreFailsFastWithAClearCode() {
        try (EtcdStore nowhere = new EtcdStore(List.of("http://127.0.0.1:" + FreePorts.next()), Duration.ofMillis(500))) {
            assertThatThrownBy(() -> nowhere.get("/x"))
                    .isInstanceOf(TramaException.class)
                    .hasMessageStartingWith("cluster store unavailable")
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            // a renewal that cannot reach the store fails: it is no answer that the lease is gone
            assertThatThrownBy(() -> nowhere.renewLease(1))
                    .isInstanceOf(TramaException.class)
                    .hasMessageStartingWith("cluster store unavailable")
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        }
    }
}
