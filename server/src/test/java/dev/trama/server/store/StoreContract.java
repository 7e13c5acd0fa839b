package dev.trama.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/** What every {@link KeyValueStore} must do; run against etcd and against the in-memory store. */
abstract class StoreContract {

    protected KeyValueStore store;
    protected String root;

    protected abstract KeyValueStore open();

    protected abstract String freshRoot();

    @BeforeEach
    void openStore() {
        store = open();
        root = freshRoot();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void createsOnlyWhenAbsentAndReportsTheHolderOtherwise() {
        String key = root + "ips/10.0.0.1";
        assertThat(store.get(key)).isEmpty();
        assertThat(store.commit(Txn.create().ifAbsent(key).put(key, "first")).succeeded()).isTrue();
        TxnResult second = store.commit(Txn.create().ifAbsent(key).put(key, "second").readOnFailure(key));
        assertThat(second.succeeded()).isFalse();
        assertThat(second.read(key).orElseThrow().text()).isEqualTo("first");
        assertThat(store.get(key).orElseThrow().text()).isEqualTo("first");
    }

    @Test
    void appliesAllOrNothing() {
        String a = root + "a";
        String b = root + "b";
        store.commit(Txn.create().put(b, "held"));
        TxnResult result = store.commit(Txn.create().ifAbsent(a).ifAbsent(b).put(a, "1").put(b, "2"));
        assertThat(result.succeeded()).isFalse();
        assertThat(store.get(a)).isEmpty();
        assertThat(store.get(b).orElseThrow().text()).isEqualTo("held");
    }

    @Test
    void unchangedHoldsUntilTheKeyChanges() {
        String key = root + "node";
        store.commit(Txn.create().put(key, "v1"));
        Entry seen = store.get(key).orElseThrow();
        assertThat(store.commit(Txn.create().ifUnchanged(seen).put(key, "v2")).succeeded()).isTrue();
        assertThat(store.commit(Txn.create().ifUnchanged(seen).put(key, "v3")).succeeded()).isFalse();
        Entry now = store.get(key).orElseThrow();
        assertThat(now.text()).isEqualTo("v2");
        assertThat(now.modRevision()).isGreaterThan(seen.modRevision());
        assertThat(store.commit(Txn.create().ifUnchanged(now).delete(key)).succeeded()).isTrue();
        assertThat(store.get(key)).isEmpty();
        assertThat(store.commit(Txn.create().ifUnchanged(now).put(key, "v4")).succeeded()).isFalse();
    }

    @Test
    void readsSeveralKeysAtOnce() {
        store.commit(Txn.create().put(root + "x", "1").put(root + "y", "2"));
        var found = store.getAll(List.of(root + "x", root + "y", root + "z"));
        assertThat(found).containsOnlyKeys(root + "x", root + "y");
        assertThat(found.get(root + "y").text()).isEqualTo("2");
    }

    @Test
    void listsExactlyThePrefixAcrossPages() {
        int count = 10_050;
        for (int from = 0; from < count; from += 100) {
            Txn txn = Txn.create();
            for (int i = from; i < Math.min(count, from + 100); i++) {
                txn.put(root + "ips/" + i, "v" + i);
            }
            store.commit(txn);
        }
        store.commit(Txn.create().put(root + "ipsx", "sibling").put(root + "ip", "shorter"));
        Listing all = store.list(root + "ips/");
        assertThat(all.entries()).hasSize(count);
        assertThat(all.entries()).extracting(Entry::key).doesNotHaveDuplicates().allMatch(k -> k.startsWith(root + "ips/"));
        assertThat(all.entries().get(0).value()).isNotEmpty();
        Listing keys = store.listKeys(root + "ips/");
        assertThat(keys.entries()).hasSize(count).allMatch(e -> e.value().length == 0);
        assertThat(keys.revision()).isGreaterThanOrEqualTo(all.revision());
    }

    @Test
    void watchDeliversLaterChangesInOrder() throws Exception {
        String prefix = root + "ips/";
        store.commit(Txn.create().put(prefix + "before", "old"));
        long revision = store.listKeys(prefix).revision();
        List<String> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = store.watch(prefix, revision, new WatchListener() {
            @Override
            public void onPut(String key, byte[] value, long rev) {
                events.add("put " + key.substring(prefix.length()) + "=" + new String(value, StandardCharsets.UTF_8));
            }

            @Override
            public void onDelete(String key, long rev) {
                events.add("delete " + key.substring(prefix.length()));
            }

            @Override
            public void onBroken(Throwable cause) {
                events.add("broken");
            }
        })) {
            store.commit(Txn.create().put(prefix + "a", "1"));
            store.commit(Txn.create().put(root + "elsewhere", "x"));
            store.commit(Txn.create().delete(prefix + "a"));
            store.commit(Txn.create().put(prefix + "a", "2"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> events.size() >= 3);
            assertThat(events).containsExactly("put a=1", "delete a", "put a=2");
        }
    }

    @Test
    void watchReplaysEveryChangeAfterItsRevisionBeforeLiveOnes() throws Exception {
        String prefix = root + "ips/";
        store.commit(Txn.create().put(prefix + "old", "0"));
        long before = store.listKeys(prefix).revision();
        store.commit(Txn.create().put(prefix + "a", "1"));
        long putA = store.get(prefix + "a").orElseThrow().modRevision();
        store.commit(Txn.create().put(root + "elsewhere", "x"));
        store.commit(Txn.create().put(prefix + "b", "2").delete(prefix + "old"));
        long putBDeleteOld = store.get(prefix + "b").orElseThrow().modRevision();
        // a key outside the prefix tells the revision of the delete
        store.commit(Txn.create().delete(prefix + "a").put(root + "marker", "m"));
        long deleteA = store.get(root + "marker").orElseThrow().modRevision();
        long now = store.listKeys(prefix).revision();
        Recorder fromBefore = new Recorder(prefix);
        Recorder fromNow = new Recorder(prefix);
        try (AutoCloseable replaying = store.watch(prefix, before, fromBefore);
             AutoCloseable current = store.watch(prefix, now, fromNow)) {
            store.commit(Txn.create().put(prefix + "c", "3"));
            long putC = store.get(prefix + "c").orElseThrow().modRevision();
            await().atMost(5, TimeUnit.SECONDS).until(() -> fromBefore.events.size() >= 5 && !fromNow.events.isEmpty());
            assertThat(fromBefore.events).containsExactly(
                    "put a=1 @" + putA,
                    "put b=2 @" + putBDeleteOld,
                    "delete old @" + putBDeleteOld,
                    "delete a @" + deleteA,
                    "put c=3 @" + putC);
            assertThat(fromNow.events).containsExactly("put c=3 @" + putC);
        }
    }

    /** Writes down each event with its revision, keys relative to the watched prefix. */
    static final class Recorder implements WatchListener {
        private final String prefix;
        final List<String> events = new CopyOnWriteArrayList<>();

        Recorder(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void onPut(String key, byte[] value, long revision) {
            events.add("put " + key.substring(prefix.length()) + "=" + new String(value, StandardCharsets.UTF_8) + " @" + revision);
        }

        @Override
        public void onDelete(String key, long revision) {
            events.add("delete " + key.substring(prefix.length()) + " @" + revision);
        }

        @Override
        public void onBroken(Throwable cause) {
            events.add("broken " + cause);
        }
    }

    @Test
    void ofManyRacingCreatorsExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String key = root + "race/" + round;
                AtomicInteger winners = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String me = "t" + t;
                    futures.add(pool.submit(() -> {
                        if (store.commit(Txn.create().ifAbsent(key).put(key, me)).succeeded()) {
                            winners.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                assertThat(winners).hasValue(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyOnALeaseLivesWhileItIsRenewedAndGoesWithIt() throws Exception {
        String key = root + "alive/n1";
        long lease = store.grantLease(Duration.ofSeconds(2));
        assertThat(store.commit(Txn.create().ifAbsent(key).putWithLease(key, "up".getBytes(), lease)).succeeded()).isTrue();
        List<String> deleted = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = store.watch(root + "alive/", store.listKeys(root + "alive/").revision(), new WatchListener() {
            @Override
            public void onPut(String k, byte[] value, long rev) {
            }

            @Override
            public void onDelete(String k, long rev) {
                deleted.add(k);
            }

            @Override
            public void onBroken(Throwable cause) {
            }
        })) {
            // renewed every half second, the key outlives its two-second time to live
            await().pollInterval(Duration.ofMillis(500)).during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> store.renewLease(lease) && store.get(key).isPresent());
            await().atMost(6, TimeUnit.SECONDS).until(() -> store.get(key).isEmpty());
            await().atMost(3, TimeUnit.SECONDS).until(() -> deleted.contains(key));
        }
        assertThat(store.renewLease(lease)).isFalse();
        assertThat(store.renewLease(123_456_789L)).isFalse();
    }

    @Test
    void countsRoundTrips() {
        long before = store.roundTrips();
        store.get(root + "x");
        store.getAll(List.of(root + "x", root + "y"));
        store.commit(Txn.create().put(root + "x", "1"));
        assertThat(store.roundTrips() - before).isEqualTo(3);
    }
}
