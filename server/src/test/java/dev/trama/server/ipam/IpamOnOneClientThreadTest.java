package dev.trama.server.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trama.net.Cidr;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Listing;
import dev.trama.server.store.MemoryStore;
import dev.trama.server.store.Txn;
import dev.trama.server.store.TxnResult;
import dev.trama.server.store.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The allocator on a store whose one client thread both answers calls and delivers watch events, as
 * etcd's client does: a listener that waited there for a lock held around a store call stalled every
 * call until it timed out.
 */
class IpamOnOneClientThreadTest {

    private static final String PREFIX = "/ips/";

    @Test
    void aSegmentFoundFullIsReportedWithoutStallingTheClientThread() {
        try (OneThreadStore store = new OneThreadStore(); Ipam ipam = new Ipam(store, PREFIX)) {
            Cidr cidr = Cidr.parse("10.0.0.0/29");
            for (int i = 0; i < cidr.usableHosts(); i++) {
                ipam.allocate(cidr, candidate -> store.commit(Txn.create().ifAbsent(PREFIX + candidate).put(PREFIX + candidate, "c"))
                        .succeeded() ? Ipam.Outcome.CLAIMED : Ipam.Outcome.TAKEN);
            }
            // the last claim's event waits on the client thread, delivered before the next call it answers
            await().atMost(Duration.ofSeconds(5)).until(store::hasEventsWaiting);
            assertThatThrownBy(() -> ipam.allocate(cidr, candidate -> Ipam.Outcome.TAKEN))
                    .isInstanceOfSatisfying(TramaException.class, e -> assertThat(e.code()).as(e.getMessage())
                            .isEqualTo(ErrorCode.SEGMENT_FULL));
        }
    }

    /** A store in memory served by one thread, which delivers the waiting watch events before each call. */
    private static final class OneThreadStore implements KeyValueStore {

        private final MemoryStore delegate = new MemoryStore();
        private final ExecutorService clientThread = Executors.newSingleThreadExecutor();
        private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();

        boolean hasEventsWaiting() {
            return !events.isEmpty();
        }

        private <T> T call(Supplier<T> operation) {
            try {
                return clientThread.submit(() -> {
                    for (Runnable event = events.poll(); event != null; event = events.poll()) {
                        event.run();
                    }
                    return operation.get();
                }).get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new TramaException(ErrorCode.STORE_UNAVAILABLE, "cluster store unavailable: no answer within 1 s");
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<Entry> get(String key) {
            return call(() -> delegate.get(key));
        }

        @Override
        public Map<String, Entry> getAll(List<String> keys) {
            return call(() -> delegate.getAll(keys));
        }

        @Override
        public Listing list(String prefix) {
            return call(() -> delegate.list(prefix));
        }

        @Override
        public Listing listKeys(String prefix) {
            return call(() -> delegate.listKeys(prefix));
        }

        @Override
        public TxnResult commit(Txn txn) {
            return call(() -> delegate.commit(txn));
        }

        @Override
        public long grantLease(Duration ttl) {
            return call(() -> delegate.grantLease(ttl));
        }

        @Override
        public boolean renewLease(long lease) {
            return call(() -> delegate.renewLease(lease));
        }

        @Override
        public AutoCloseable watch(String prefix, long afterRevision, WatchListener listener) {
            return delegate.watch(prefix, afterRevision, new WatchListener() {
                @Override
                public void onPut(String key, byte[] value, long revision) {
                    events.add(() -> listener.onPut(key, value, revision));
                }

                @Override
                public void onDelete(String key, long revision) {
                    events.add(() -> listener.onDelete(key, revision));
                }

                @Override
                public void onBroken(Throwable cause) {
                    events.add(() -> listener.onBroken(cause));
                }
            });
        }

        @Override
        public long roundTrips() {
            return delegate.roundTrips();
        }

        @Override
        public void close() {
            clientThread.shutdownNow();
            delegate.close();
        }
    }
}
