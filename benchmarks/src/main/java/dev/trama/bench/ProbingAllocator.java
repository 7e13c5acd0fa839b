package dev.trama.bench;

import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;

/**
 * The original allocator, kept as the baseline: from the first host address of the segment, reads each
 * address key in turn until one is absent, then writes it. One round trip per address probed plus one.
 * There is no transaction, so two clients probing at once can both find an address free and both hand
 * it out.
 */
final class ProbingAllocator implements Allocator {

    private final KeyValueStore store;
    private final String prefix;
    private final Cidr segment;

    ProbingAllocator(KeyValueStore store, String prefix, Cidr segment) {
        this.store = store;
        this.prefix = prefix;
        this.segment = segment;
    }

    @Override
    public Ipv4 allocate(String holder) {
        for (long index = 0; index < segment.usableHosts(); index++) {
            Ipv4 candidate = segment.host(index);
            String key = prefix + candidate;
            if (store.get(key).isEmpty()) {
                store.commit(Txn.create().put(key, holder));
                return candidate;
            }
        }
        throw new TramaException(ErrorCode.SEGMENT_FULL, "segment " + segment + " is full");
    }
}
