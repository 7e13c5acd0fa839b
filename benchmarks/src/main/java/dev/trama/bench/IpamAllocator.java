package dev.trama.bench;

import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;

/** The project's allocator, claiming each candidate with the smallest claim: its address key, created only if absent. */
final class IpamAllocator implements Allocator {

    private final KeyValueStore store;
    private final String prefix;
    private final Cidr segment;
    private final Ipam ipam;

    IpamAllocator(KeyValueStore store, String prefix, Cidr segment) {
        this.store = store;
        this.prefix = prefix;
        this.segment = segment;
        this.ipam = new Ipam(store, prefix);
    }

    @Override
    public Ipv4 allocate(String holder) {
        return ipam.allocate(segment, candidate -> {
            String key = prefix + candidate;
            return store.commit(Txn.create().ifAbsent(key).put(key, holder)).succeeded()
                    ? Ipam.Outcome.CLAIMED : Ipam.Outcome.TAKEN;
        });
    }

    /** The first allocation of an {@link Ipam} lists the addresses in use and starts watching them. */
    @Override
    public void warmUp() {
        allocate("first");
    }

    @Override
    public void close() {
        ipam.close();
    }
}
