package dev.trama.server.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The little of etcd that Trama needs: reads, atomic conditional transactions and prefix watches.
 * Every method is one round trip to the store ({@link #list} may page: one per 10 000 keys), counted
 * by {@link #roundTrips()}. A store that does not answer in time throws a
 * {@link dev.trama.protocol.TramaException} with code {@code STORE_UNAVAILABLE}.
 */
public interface KeyValueStore extends AutoCloseable {

    Optional<Entry> get(String key);

    /** Several keys in one round trip; absent keys are missing from the map. */
    Map<String, Entry> getAll(List<String> keys);

    /** Every entry under the prefix, all as of one revision. */
    Listing list(String prefix);

    /** Every key under the prefix (values left empty), all as of one revision. */
    Listing listKeys(String prefix);

    TxnResult commit(Txn txn);

    /** Grants a lease of the given time to live (whole seconds, at least one) and returns its id. */
    long grantLease(java.time.Duration ttl);

    /** Renews a lease for its whole time to live; false when it has expired or never existed. */
    boolean renewLease(long lease);

    /** Watches the prefix for changes after {@code afterRevision}. Close the result to stop. */
    AutoCloseable watch(String prefix, long afterRevision, WatchListener listener);

    long roundTrips();

    @Override
    void close();
}
