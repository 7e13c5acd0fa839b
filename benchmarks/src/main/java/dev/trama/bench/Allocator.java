package dev.trama.bench;

import dev.trama.net.Ipv4;

/** One client's way of handing out addresses of a segment. */
interface Allocator extends AutoCloseable {

    /** Takes a free address for the holder. */
    Ipv4 allocate(String holder);

    /** What the client does once before it is measured: nothing, unless the strategy keeps state. */
    default void warmUp() {
    }

    @Override
    default void close() {
    }
}
