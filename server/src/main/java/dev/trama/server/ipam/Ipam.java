package dev.trama.server.ipam;

import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Listing;
import dev.trama.server.store.WatchListener;
import dev.trama.server.store.Watches;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses free addresses of a segment; the store decides who gets them.
 *
 * <p>Each address in use is a key under {@code ips/}, created only if absent in the same transaction
 * as whatever holds it (a container, a node's bridge), so two servers or threads can never hold one
 * address. Choosing a candidate does not touch the store: this class keeps a bitmap of the keys,
 * loaded once by a listing and kept current by a watch, and gives out the next clear bit after the
 * last one given (next fit, so a released address is not reused at once). An allocation therefore
 * costs one transaction whatever the occupancy; a candidate another server took meanwhile costs one
 * more. "Full" is only answered after a fresh listing confirms it.
 */
public final class Ipam implements AutoCloseable {

    /** What became of a candidate address. */
    public enum Outcome {
        /** The caller's transaction took the address. */
        CLAIMED,
        /** Someone else holds the address: try another. */
        TAKEN
    }

    /**
     * Tries to take a candidate address in one transaction, with whatever else must change with it.
     * A failure for any other reason than the address is thrown, and the candidate is given back.
     */
    @FunctionalInterface
    public interface Claim {
        Outcome attempt(Ipv4 candidate);
    }

    private static final Logger log = LoggerFactory.getLogger(Ipam.class);
    private static final int MAX_ATTEMPTS = 1_000;
    /** Listings in one allocation before giving up on a watch that keeps breaking. */
    private static final int MAX_LOADS = 3;

    private final KeyValueStore store;
    private final String prefix;
    private final Set<Ipv4> known = new HashSet<>();
    private Cidr subnet;
    private BitSet used = new BitSet();
    private long cursor;
    private boolean synced;
    /** Which load the current watch belongs to: events of an older watch are dropped. */
    private long generation;
    private AutoCloseable watch;

    /** @param prefix the key prefix of allocated addresses, e.g. {@code /trama/v1/ips/} */
    public Ipam(KeyValueStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public Ipv4 allocate(Cidr segment, Claim claim) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Ipv4 candidate = reserve(segment);
            boolean keep = false;
            try {
                Outcome outcome = claim.attempt(candidate);
                keep = true;
                if (outcome == Outcome.CLAIMED) {
                    return candidate;
                }
                log.debug("address {} was taken meanwhile, trying another", candidate);
            } finally {
                if (!keep) {
                    giveBack(candidate);
                }
            }
        }
        throw new TramaException(ErrorCode.INTERNAL, "no address of " + segment + " could be claimed after "
                + MAX_ATTEMPTS + " attempts");
    }

    private Ipv4 reserve(Cidr segment) {
        for (int loads = 0; ; loads++) {
            synchronized (this) {
                if (synced && segment.equals(subnet)) {
                    long index = nextFree();
                    if (index >= 0) {
                        used.set((int) index);
                        cursor = index + 1;
                        return segment.host(index);
                    }
                    if (loads > 0) {
                        throw new TramaException(ErrorCode.SEGMENT_FULL, "segment " + segment + " is full: all "
                                + segment.usableHosts() + " addresses are in use");
                    }
                }
            }
            if (loads == MAX_LOADS) {
                throw new TramaException(ErrorCode.STORE_UNAVAILABLE, "cluster store unavailable: the watch of "
                        + "allocated addresses broke " + MAX_LOADS + " times in a row");
            }
            load(segment);
        }
    }

    private long nextFree() {
        long size = subnet.usableHosts();
        int from = (int) (cursor >= size ? 0 : cursor);
        int index = used.nextClearBit(from);
        if (index >= size) {
            index = used.nextClearBit(0);
        }
        return index < size ? index : -1;
    }

    private synchronized void giveBack(Ipv4 candidate) {
        if (subnet != null && usable(candidate) && !known.contains(candidate)) {
            used.clear((int) subnet.hostIndex(candidate));
        }
    }

    /**
     * Reloads every allocated address from the store and watches for changes from there on. The store is
     * called outside the lock: the watch delivers its events on the store client's own threads, which
     * must never wait for a thread that waits for the store.
     */
    private void load(Cidr segment) {
        Listing listing = store.listKeys(prefix);
        Set<Ipv4> present = new HashSet<>();
        for (Entry entry : listing.entries()) {
            parse(entry.key()).ifPresent(present::add);
        }
        Listener listener;
        AutoCloseable previous;
        synchronized (this) {
            listener = new Listener(++generation);
            previous = watch;
            watch = null;
            if (!segment.equals(subnet)) {
                cursor = 0;
            }
            subnet = segment;
            known.clear();
            known.addAll(present);
            used = new BitSet((int) Math.min(Integer.MAX_VALUE, segment.usableHosts()));
            known.stream().filter(this::usable).forEach(a -> used.set((int) segment.hostIndex(a)));
            synced = true;
        }
        Watches.closeQuietly(previous);
        // events after the listing's revision are replayed, so the bitmap misses nothing in between
        AutoCloseable started = store.watch(prefix, listing.revision(), listener);
        synchronized (this) {
            if (listener.generation == generation) {
                watch = started;
                started = null;
            }
        }
        Watches.closeQuietly(started);
        log.debug("loaded {} allocated addresses at revision {}", present.size(), listing.revision());
    }

    private boolean usable(Ipv4 address) {
        return subnet.contains(address) && !address.equals(subnet.network()) && !address.equals(subnet.broadcast());
    }

    private java.util.Optional<Ipv4> parse(String key) {
        try {
            return java.util.Optional.of(Ipv4.parse(key.substring(prefix.length())));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            log.warn("ignoring malformed address key {}", key);
            return java.util.Optional.empty();
        }
    }

    /** Applies the events of one watch, until a newer load replaces it. */
    private final class Listener implements WatchListener {

        private final long generation;

        Listener(long generation) {
            this.generation = generation;
        }

        @Override
        public void onPut(String key, byte[] value, long revision) {
            parse(key).ifPresent(address -> {
                synchronized (Ipam.this) {
                    if (generation == Ipam.this.generation) {
                        known.add(address);
                        if (usable(address)) {
                            used.set((int) subnet.hostIndex(address));
                        }
                    }
                }
            });
        }

        @Override
        public void onDelete(String key, long revision) {
            parse(key).ifPresent(address -> {
                synchronized (Ipam.this) {
                    if (generation == Ipam.this.generation) {
                        known.remove(address);
                        if (usable(address)) {
                            used.clear((int) subnet.hostIndex(address));
                        }
                    }
                }
            });
        }

        @Override
        public void onBroken(Throwable cause) {
            synchronized (Ipam.this) {
                if (generation != Ipam.this.generation) {
                    return;
                }
                synced = false;
            }
            log.warn("watch of allocated addresses broke ({}); reloading at the next allocation", cause.toString());
        }
    }


    @Override
    public void close() {
        AutoCloseable closing;
        synchronized (this) {
            generation++;
            closing = watch;
            watch = null;
            synced = false;
        }
        Watches.closeQuietly(closing);
    }
}
