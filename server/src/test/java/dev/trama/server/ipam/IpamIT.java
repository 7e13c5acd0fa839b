package dev.trama.server.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.server.store.EtcdStore;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import dev.trama.testkit.SharedEtcd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The allocator against a real etcd: boundaries, exhaustion, concurrency across clients, release. */
@Timeout(180)
class IpamIT {

    private final List<AutoCloseable> opened = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void freshPrefix() {
        prefix = SharedEtcd.freshRoot() + "ips/";
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private KeyValueStore client() {
        EtcdStore store = new EtcdStore(List.of(SharedEtcd.endpoint()), Duration.ofSeconds(10));
        opened.add(store);
        return store;
    }

    private Ipam ipam(KeyValueStore store) {
        Ipam ipam = new Ipam(store, prefix);
        opened.add(0, ipam);
        return ipam;
    }

    /** The smallest claim: the address key alone, created only if absent. */
    private Ipam.Claim claim(KeyValueStore store, String holder) {
        return candidate -> {
            String key = prefix + candidate;
            return store.commit(Txn.create().ifAbsent(key).put(key, holder)).succeeded()
                    ? Ipam.Outcome.CLAIMED : Ipam.Outcome.TAKEN;
        };
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8, 10.0.0.1, 10.0.0.2", "10.20.0.0/16, 10.20.0.1, 10.20.0.2",
            "10.30.40.0/24, 10.30.40.1, 10.30.40.2", "10.50.60.16/28, 10.50.60.17, 10.50.60.18"})
    void startsAfterTheNetworkAddress(String segment, String first, String second) {
        KeyValueStore store = client();
        Ipam ipam = ipam(store);
        Cidr cidr = Cidr.parse(segment);
        assertThat(ipam.allocate(cidr, claim(store, "a"))).hasToString(first);
        assertThat(ipam.allocate(cidr, claim(store, "b"))).hasToString(second);
    }

    @ParameterizedTest
    @CsvSource({"10.30.40.0/24, 10.30.40.1, 10.30.40.254", "10.50.60.16/28, 10.50.60.17, 10.50.60.30"})
    void givesEveryHostAddressOnceThenSaysFull(String segment, String first, String last) {
        KeyValueStore store = client();
        Ipam ipam = ipam(store);
        Cidr cidr = Cidr.parse(segment);
        Set<Ipv4> given = new HashSet<>();
        for (int i = 0; i < cidr.usableHosts(); i++) {
            given.add(ipam.allocate(cidr, claim(store, "c" + i)));
        }
        assertThat(given).hasSize((int) cidr.usableHosts())
                .contains(Ipv4.parse(first), Ipv4.parse(last))
                .doesNotContain(cidr.network(), cidr.broadcast());
        assertThatThrownBy(() -> ipam.allocate(cidr, claim(store, "one too many")))
                .isInstanceOf(TramaException.class)
                .hasMessage("segment " + segment + " is full: all " + cidr.usableHosts() + " addresses are in use")
                .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.SEGMENT_FULL);
    }

    @Test
    void findsTheLastFreeAddressOfABusySlash16() {
        KeyValueStore store = client();
        Cidr cidr = Cidr.parse("10.70.0.0/16");
        fill(store, cidr, cidr.usableHosts() - 1);
        Ipam ipam = ipam(store);
        long before = store.roundTrips();
        assertThat(ipam.allocate(cidr, claim(store, "last"))).hasToString("10.70.255.254");
        // one listing of the 65 533 keys in use (7 pages), one watch, one transaction
        assertThat(store.roundTrips() - before).isLessThanOrEqualTo(9);
        assertThatThrownBy(() -> ipam.allocate(cidr, claim(store, "none")))
                .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.SEGMENT_FULL);
    }

    @Test
    void costsOneTransactionPerAllocationWhateverTheOccupancy() {
        KeyValueStore store = client();
        Cidr cidr = Cidr.parse("10.80.0.0/16");
        Ipam ipam = ipam(store);
        ipam.allocate(cidr, claim(store, "warm-up"));
        long before = store.roundTrips();
        for (int i = 0; i < 50; i++) {
            ipam.allocate(cidr, claim(store, "e" + i));
        }
        assertThat(store.roundTrips() - before).isEqualTo(50);

        fill(store, cidr, 5_000);
        KeyValueStore other = client();
        Ipam busy = ipam(other);
        busy.allocate(cidr, claim(other, "warm-up"));
        long busyBefore = other.roundTrips();
        for (int i = 0; i < 50; i++) {
            busy.allocate(cidr, claim(other, "b" + i));
        }
        assertThat(other.roundTrips() - busyBefore).isEqualTo(50);
    }

    @Test
    void eightThreadsOnEachOfTwoClientsNeverShareAnAddress() throws Exception {
        Cidr cidr = Cidr.parse("10.90.0.0/16");
        List<KeyValueStore> clients = List.of(client(), client());
        List<Ipam> allocators = clients.stream().map(this::ipam).toList();
        int perThread = 40;
        ConcurrentLinkedQueue<Ipv4> given = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            KeyValueStore store = clients.get(c);
            Ipam ipam = allocators.get(c);
            for (int t = 0; t < 8; t++) {
                String holder = "client" + c + "-thread" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        given.add(ipam.allocate(cidr, claim(store, holder + "-" + i)));
                    }
                    return null;
                }));
            }
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(given).hasSize(2 * 8 * perThread).doesNotHaveDuplicates();
        assertThat(clients.get(0).listKeys(prefix).entries()).hasSize(2 * 8 * perThread);
    }

    @Test
    void racingClientsExhaustASegmentExactly() throws Exception {
        Cidr cidr = Cidr.parse("10.91.0.0/24");
        List<KeyValueStore> clients = List.of(client(), client());
        List<Ipam> allocators = clients.stream().map(this::ipam).toList();
        ConcurrentLinkedQueue<Ipv4> given = new ConcurrentLinkedQueue<>();
        AtomicInteger full = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            KeyValueStore store = clients.get(c);
            Ipam ipam = allocators.get(c);
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    while (true) {
                        try {
                            given.add(ipam.allocate(cidr, claim(store, Thread.currentThread().getName())));
                        } catch (TramaException e) {
                            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SEGMENT_FULL);
                            full.incrementAndGet();
                            return null;
                        }
                    }
                }));
            }
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(given).hasSize(254).doesNotHaveDuplicates();
        assertThat(full).hasValue(16);
    }

    @Test
    void releasedAddressesAreGivenAgainAfterTheOthers() throws Exception {
        KeyValueStore store = client();
        Ipam ipam = ipam(store);
        Cidr cidr = Cidr.parse("10.92.0.0/28");
        List<Ipv4> given = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            given.add(ipam.allocate(cidr, claim(store, "c" + i)));
        }
        store.commit(Txn.create().delete(prefix + given.get(2)).delete(prefix + given.get(5)));
        // next fit: the four never used come first, then the released ones
        List<Ipv4> more = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            more.add(ipam.allocate(cidr, claim(store, "d" + i)));
        }
        assertThat(more.subList(0, 4)).extracting(Ipv4::toString)
                .containsExactly("10.92.0.11", "10.92.0.12", "10.92.0.13", "10.92.0.14");
        assertThat(more.subList(4, 6)).containsExactlyInAnyOrder(given.get(2), given.get(5));
        assertThatThrownBy(() -> ipam.allocate(cidr, claim(store, "x")))
                .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.SEGMENT_FULL);
    }

    @Test
    void aCandidateRefusedForAnotherReasonIsGivenBack() {
        KeyValueStore store = client();
        Ipam ipam = ipam(store);
        Cidr cidr = Cidr.parse("10.93.0.0/28");
        assertThatThrownBy(() -> ipam.allocate(cidr, candidate -> {
            throw new TramaException(ErrorCode.ALREADY_EXISTS, "name taken");
        })).hasMessage("name taken");
        // next fit moves on; the address given back stays free for the next round
        assertThat(ipam.allocate(cidr, claim(store, "a"))).hasToString("10.93.0.2");
        assertThat(store.get(prefix + "10.93.0.1")).isEmpty();
    }

    /** Marks the first {@code count} host addresses as taken, straight in the store. */
    private void fill(KeyValueStore store, Cidr cidr, long count) {
        for (long from = 0; from < count; from += 100) {
            Txn txn = Txn.create();
            for (long i = from; i < Math.min(count, from + 100); i++) {
                txn.put(prefix + cidr.host(i), "filled");
            }
            store.commit(txn);
        }
    }
}
