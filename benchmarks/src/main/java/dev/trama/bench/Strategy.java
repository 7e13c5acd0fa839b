package dev.trama.bench;

import dev.trama.net.Cidr;
import dev.trama.server.store.KeyValueStore;

/** The allocators compared. */
enum Strategy {

    IPAM("Ipam") {
        @Override
        Allocator open(KeyValueStore store, String prefix, Cidr segment) {
            return new IpamAllocator(store, prefix, segment);
        }
    },

    PROBING("probing (baseline)") {
        @Override
        Allocator open(KeyValueStore store, String prefix, Cidr segment) {
            return new ProbingAllocator(store, prefix, segment);
        }
    };

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    /** An allocator for one client, with address keys under the prefix. */
    abstract Allocator open(KeyValueStore store, String prefix, Cidr segment);

    String label() {
        return label;
    }
}
